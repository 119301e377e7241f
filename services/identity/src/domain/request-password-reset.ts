/**
 * "Forgot password": mails a single-use link valid 30 minutes. The caller always gets the same
 * answer at once, and the work (lookup, token, mail) happens after the response, so neither the
 * answer nor its timing tells whether the email has an account. At most a few mails per address
 * per hour, so the endpoint can't be used to flood someone's inbox.
 */
import { checkRateLimit } from '@agora/kit/store/rate-limit';
import { insertResetToken } from '../db/reset-tokens.repository.ts';
import { findUserByEmail } from '../db/users.repository.ts';
import type { IdentityContext } from './context.ts';
import { hashToken, newOpaqueToken, normalizeEmail } from './credentials.ts';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
const MAILS_PER_ADDRESS = 5;
const MAIL_WINDOW_MS = 60 * 60_000;

export function requestPasswordReset(ctx: IdentityContext, input: { email: string }): void {
  const email = normalizeEmail(input.email);
  ctx.background.run('password-reset mail', async () => {
    const at = ctx.clock.now();
    const quota = await checkRateLimit(ctx.counters, `identity:reset-mails:${hashToken(email)}`, MAILS_PER_ADDRESS, MAIL_WINDOW_MS, at.getTime());
    if (!quota.allowed) {
      ctx.logger.warn('password-reset mail quota reached for an address; request dropped');
      return;
    }
    const user = await findUserByEmail(ctx.database.db, email);
    if (!user) return;
    const token = newOpaqueToken();
    await insertResetToken(ctx.database.db, {
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: at,
      expiresAt: new Date(at.getTime() + RESET_TOKEN_TTL_MS),
    });
    const link = `${ctx.config.AGORA_PUBLIC_URL.replace(/\/+$/, '')}/reset-password?token=${token}`;
    await ctx.mailer.send({
      to: user.email,
      subject: 'Reset your Agora password',
      text: [
        `Hello ${user.displayName},`,
        '',
        'Someone asked to reset the password of your Agora account. To choose a new one, open this link within 30 minutes:',
        '',
        link,
        '',
        'The link works once. If you did not ask for this, ignore this mail: your password stays as it is.',
        '',
      ].join('\n'),
    });
  });
}
