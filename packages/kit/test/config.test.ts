import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { ConfigError, loadConfig, serviceConfig } from '../src/config.ts';

/** A service's own keys on top of the common ones, as a service declares them. */
const OrdersConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 1, maximum: 65535 }),
  PAYMENT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 5_000 }),
  FEATURE_GIFT_CARDS: Type.Boolean({ default: false }),
  TAX_RATE: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
  PAYMENTS_URL: Type.String({ pattern: '^https?://' }),
});

const minimal = { PORT: '8080', PAYMENTS_URL: 'http://payments:3000' };

/** The ConfigError loadConfig throws for this environment. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(OrdersConfig, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('loadConfig accepted the environment');
}

/** The keys a ConfigError names, in order of first mention. */
const badKeys = (error: ConfigError): string[] => [...new Set(error.problems.map((problem) => problem.split(':')[0]!))];

void describe('loadConfig', () => {
  void it('converts strings to the declared integers, numbers and booleans', () => {
    const config = loadConfig(OrdersConfig, {
      ...minimal,
      PAYMENT_TIMEOUT_MS: '2500',
      FEATURE_GIFT_CARDS: 'true',
      TAX_RATE: '0.075',
      SHUTDOWN_TIMEOUT_MS: '0',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.PAYMENT_TIMEOUT_MS, 2500);
    assert.equal(config.FEATURE_GIFT_CARDS, true);
    assert.equal(config.TAX_RATE, 0.075);
    assert.equal(config.SHUTDOWN_TIMEOUT_MS, 0);
    assert.equal(loadConfig(OrdersConfig, { ...minimal, FEATURE_GIFT_CARDS: 'false' }).FEATURE_GIFT_CARDS, false);
  });

  void it('applies the defaults of the service and common keys left unset or empty', () => {
    const config = loadConfig(OrdersConfig, { ...minimal, PAYMENT_TIMEOUT_MS: '', LOG_LEVEL: '' });
    assert.deepEqual(
      { ...config },
      {
        PORT: 8080,
        PAYMENTS_URL: 'http://payments:3000',
        PAYMENT_TIMEOUT_MS: 5_000,
        FEATURE_GIFT_CARDS: false,
        TAX_RATE: 0.2,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        AGORA_DATA_DIR: '.data',
        DATABASE_POOL_SIZE: 5,
        SHUTDOWN_TIMEOUT_MS: 10_000,
        OTEL_TRACES_SAMPLER_ARG: 1,
        OTEL_BSP_SCHEDULE_DELAY: 5_000,
      },
    );
  });

  void it('reads only declared keys from the environment', () => {
    const config = loadConfig(OrdersConfig, { ...minimal, AWS_SECRET_ACCESS_KEY: 'x', PATH: '/usr/bin' });
    assert.ok(!('AWS_SECRET_ACCESS_KEY' in config));
    assert.ok(!('PATH' in config));
  });

  void it('keeps optional adapter URLs unset when absent and checks them when set', () => {
    const config = loadConfig(OrdersConfig, minimal);
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(loadConfig(OrdersConfig, { ...minimal, REDIS_URL: 'rediss://cache:6380' }).REDIS_URL, 'rediss://cache:6380');
    assert.deepEqual(badKeys(configErrorFor({ ...minimal, DATABASE_URL: 'mysql://db/orders' })), ['DATABASE_URL']);
  });

  void it('names a missing required key', () => {
    const error = configErrorFor({ PAYMENTS_URL: 'http://payments:3000' });
    assert.deepEqual(badKeys(error), ['PORT']);
    assert.match(error.message, /PORT/);
  });

  void it('lists every bad key at once, not only the first', () => {
    const error = configErrorFor({ ...minimal, PORT: 'eighty', FEATURE_GIFT_CARDS: 'yes', SHUTDOWN_TIMEOUT_MS: '-1' });
    assert.deepEqual(badKeys(error).sort(), ['FEATURE_GIFT_CARDS', 'PORT', 'SHUTDOWN_TIMEOUT_MS']);
    for (const key of ['PORT', 'FEATURE_GIFT_CARDS', 'SHUTDOWN_TIMEOUT_MS']) assert.match(error.message, new RegExp(`^  ${key}: `, 'm'));
  });

  void it('lists missing and malformed keys together', () => {
    const error = configErrorFor({ PORT: '70000', NODE_ENV: 'staging' });
    assert.deepEqual(badKeys(error).sort(), ['NODE_ENV', 'PAYMENTS_URL', 'PORT']);
  });

  void it(
    'lists every bad key even when one of them is a bad LOG_LEVEL',

    () => {
      const error = configErrorFor({ ...minimal, LOG_LEVEL: 'verbose', PORT: 'eighty' });
      assert.deepEqual(badKeys(error).sort(), ['LOG_LEVEL', 'PORT']);
    },
  );

  void it(
    'refuses a fractional value for an integer key rather than truncating it',

    () => {
      assert.deepEqual(badKeys(configErrorFor({ ...minimal, PORT: '80.5' })), ['PORT']);
    },
  );
});
