/**
 * What changes with time: access-token expiry, the failed-login window, reset-link expiry and
 * the absolute session lifetime. The service reads a ManualClock; jose's verifier reads the
 * global Date, so Date is mocked in step with the clock for this whole file (the kit's verifier
 * takes no clock).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { AUTH, assertNoSecretsAnswered, rememberPassword, resetTokenIn, startIdentity, type TestIdentity } from './support/identity.ts';

const MINUTE = 60_000;

describe('identity over time', () => {
  const clock = new ManualClock();
  let identity: TestIdentity;
  const travel = (ms: number): void => {
    clock.advance(ms);
    mock.timers.setTime(clock.now().getTime());
  };

  before(async () => {
    mock.timers.enable({ apis: ['Date'], now: clock.now().getTime() });
    identity = await startIdentity({ clock });
  });
  after(async () => {
    await identity?.close();
    mock.timers.reset();
  });

  const me = (token: string) => identity.request('GET', `${AUTH}/me`, { token });

  it('expires an access token once the clock has moved 15 minutes, and a refresh brings a working one', async () => {
    const user = await identity.given.user();
    travel(14 * MINUTE);
    assert.equal((await me(user.accessToken)).statusCode, 200);
    travel(MINUTE);
    const expired = await me(user.accessToken);
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().code, 'AUTH.TOKEN_EXPIRED');

    const refreshed = await identity.request('POST', `${AUTH}/refresh`, { body: { refreshToken: user.refreshToken } });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.equal((await me(refreshed.json().accessToken)).statusCode, 200);
  });

  it('lets a throttled (email, client) pair try again once the 15-minute window has passed', async () => {
    const user = await identity.given.user();
    const ip = '203.0.113.50';
    for (let attempt = 1; attempt <= 10; attempt++) await identity.login(user.email, `guess-${attempt}`, ip);
    travel(10 * MINUTE);
    const refused = await identity.login(user.email, user.password, ip);
    assert.equal(refused.statusCode, 429);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 4 * 60 && retryAfter <= 5 * 60, `Retry-After ${retryAfter} should be what is left of the window`);

    travel(5 * MINUTE);
    assert.equal((await identity.login(user.email, user.password, ip)).statusCode, 200);
  });

  it('refuses a reset link after 30 minutes with 400 AUTH.INVALID_RESET_TOKEN', async () => {
    const user = await identity.given.user();
    assert.equal((await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: user.email } })).statusCode, 202);
    const token = resetTokenIn((await identity.mailbox(user.email))[0]!);
    travel(30 * MINUTE);
    const response = await identity.request('POST', `${AUTH}/password/reset`, { body: { token, newPassword: rememberPassword('too late now') } });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'AUTH.INVALID_RESET_TOKEN');
    assert.equal((await identity.login(user.email, user.password)).statusCode, 200, 'the password is unchanged');
  });

  it('accepts a reset link just before its 30 minutes are up', async () => {
    const user = await identity.given.user();
    await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: user.email } });
    const token = resetTokenIn((await identity.mailbox(user.email))[0]!);
    travel(29 * MINUTE);
    const response = await identity.request('POST', `${AUTH}/password/reset`, { body: { token, newPassword: rememberPassword('just in time') } });
    assert.equal(response.statusCode, 204, response.body);
  });

  it('ends a session after REFRESH_TOKEN_TTL_DAYS however often it was refreshed (401 AUTH.SESSION_EXPIRED)', async () => {
    const user = await identity.given.user();
    let refreshToken = user.refreshToken;
    for (let day = 0; day < 29; day++) {
      travel(24 * 60 * MINUTE);
      const response = await identity.request('POST', `${AUTH}/refresh`, { body: { refreshToken } });
      assert.equal(response.statusCode, 200, `day ${day + 1}: ${response.body}`);
      refreshToken = response.json().refreshToken;
    }
    travel(24 * 60 * MINUTE);
    const response = await identity.request('POST', `${AUTH}/refresh`, { body: { refreshToken } });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'AUTH.SESSION_EXPIRED');
  });

  it('never answered with a password or a password hash', () => {
    assertNoSecretsAnswered();
  });
});
