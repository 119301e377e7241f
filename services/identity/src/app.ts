/**
 * Identity: credentials, sessions (refresh-token families), roles, signing keys (JWKS) and
 * password reset. `buildApp` wires the service from the adapters it is given and never listens;
 * server.ts runs it standalone, the platform runs it embedded, tests call it with `inject`.
 */
import path from 'node:path';
import type { JWTVerifyGetKey } from 'jose';
import { ConfigError } from '@agora/kit/config';
import type { HttpApp } from '@agora/kit/http/app';
import { createServiceApp, type ServiceDeps } from '@agora/kit/service';
import { createRevocationList } from '@agora/kit/store/revocation';
import type { IdentityConfig } from './config.ts';
import { bootstrapAdmin } from './domain/bootstrap-admin.ts';
import { createBackgroundWork, type IdentityContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { purgeEnded } from './domain/housekeeping.ts';
import { configuredKeyRing, databaseKeyRing, type KeyRing } from './keys/key-ring.ts';
import { parseConfiguredKeys } from './keys/signing-keys.ts';
import { createMailer } from './mail/mailer.ts';
import { accountRoutes } from './routes/account.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { jwksRoutes } from './routes/jwks.routes.ts';

export const API_PREFIX = '/api/v1/auth';
const HOUSEKEEPING_INTERVAL_MS = 60 * 60_000;

export async function buildApp(deps: ServiceDeps<IdentityConfig>): Promise<HttpApp> {
  const { config, logger, database, stores, clock } = deps;

  // Fail at start on what the schema alone can't judge.
  if (Boolean(config.AGORA_ADMIN_EMAIL) !== Boolean(config.AGORA_ADMIN_PASSWORD)) {
    throw new ConfigError([`${config.AGORA_ADMIN_EMAIL ? 'AGORA_ADMIN_PASSWORD' : 'AGORA_ADMIN_EMAIL'}: must be set together with the other`]);
  }
  const configuredKeys = config.JWT_SIGNING_KEYS ? parseConfiguredKeys(config.JWT_SIGNING_KEYS) : null;

  // The database-held keys can only be read once createServiceApp has migrated; no request is
  // served before buildApp returns, so the verifier reaches the ring through this indirection.
  const loaded: { keys?: KeyRing } = {};
  const getKey: JWTVerifyGetKey = (header, token) => {
    if (!loaded.keys) throw new Error('signing keys not loaded yet');
    return loaded.keys.getKey(header, token);
  };

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: getKey,
    // Behind the gateway: its X-Forwarded-For names the client, which the login throttle keys on.
    // Only hops on loopback and private networks are believed, never a client on the internet.
    trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
    openapi: { title: 'Agora identity', description: 'Accounts, sessions, roles and signing keys' },
  });

  try {
    const keys = configuredKeys ? await configuredKeyRing(configuredKeys, clock, logger) : await databaseKeyRing(database, clock, logger);
    loaded.keys = keys;
    const mailer = createMailer({ from: config.MAIL_FROM, smtpUrl: config.SMTP_URL, mailboxDir: path.join(config.AGORA_DATA_DIR, 'mailbox') });
    const ctx: IdentityContext = {
      config,
      database,
      clock,
      logger,
      counters: stores.counters,
      revocations: createRevocationList(stores.kv),
      keys,
      mailer,
      background: createBackgroundWork(logger),
    };

    const housekeeping = setInterval(() => {
      purgeEnded(ctx).then(
        (purged) => logger.debug(purged, 'purged ended sessions and expired reset tokens'),
        (err: unknown) => logger.warn({ err }, 'housekeeping failed'),
      );
    }, HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();
    app.addHook('onClose', async () => {
      clearInterval(housekeeping);
      keys.close();
      // Mail accepted before shutdown still goes out.
      await ctx.background.settled();
      await mailer.close();
    });

    if (config.AGORA_ADMIN_EMAIL && config.AGORA_ADMIN_PASSWORD) {
      await bootstrapAdmin(ctx, { email: config.AGORA_ADMIN_EMAIL, password: config.AGORA_ADMIN_PASSWORD });
    }

    jwksRoutes(app, keys);
    await app.register(
      async (api) => {
        authRoutes(api, ctx);
        accountRoutes(api, ctx);
        adminRoutes(api, ctx);
      },
      { prefix: API_PREFIX },
    );
  } catch (error) {
    // Timers and hooks set up so far must not outlive a failed start.
    await app.close();
    throw error;
  }
  return app;
}
