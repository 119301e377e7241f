/**
 * Rotates the access-token signing keys kept in identity's database:
 *
 *   node services/identity/src/rotate-keys.ts [--lead-seconds=300]
 *
 * The new key is published at once and signs after the lead time (default 5 minutes, longer
 * than the instances' key reload and any JWKS cache); keys superseded for longer than the
 * access-token lifetime are retired. Run it on a schedule (e.g. monthly). Same environment as the
 * service (DATABASE_URL, or AGORA_DATA_DIR for the embedded platform's PGlite cluster). In
 * embedded mode stop the platform first: PGlite's data directory must not be opened by two
 * processes at once. With JWT_SIGNING_KEYS set, keys
 * come from configuration and are rotated there instead (append a key; the last one signs).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '@agora/kit/clock';
import { loadConfig } from '@agora/kit/config';
import { migrate } from '@agora/kit/db/migrate';
import { embeddedClusterDir, openDatabase, openSharedPglite } from '@agora/kit/db/open-database';
import { createLogger } from '@agora/kit/logger';
import { IdentityConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { KEY_ACTIVATION_LEAD_MS, rotateSigningKeys } from './keys/signing-keys.ts';

const { values } = parseArgs({ options: { 'lead-seconds': { type: 'string' } } });
const leadMs = values['lead-seconds'] === undefined ? KEY_ACTIVATION_LEAD_MS : Number(values['lead-seconds']) * 1000;
if (!Number.isFinite(leadMs) || leadMs < 0) {
  console.error('--lead-seconds must be a number of seconds');
  process.exit(2);
}

const config = loadConfig(IdentityConfig);
if (config.JWT_SIGNING_KEYS) {
  console.error('JWT_SIGNING_KEYS is set: signing keys come from configuration; rotate them there.');
  process.exit(2);
}
const logger = createLogger(`${SERVICE_NAME}-rotate-keys`, config.LOG_LEVEL);
// Without DATABASE_URL the keys are those of the embedded platform (`npm start`).
const cluster = config.DATABASE_URL ? undefined : await openSharedPglite({ dataDir: embeddedClusterDir(config.AGORA_DATA_DIR) });
const database = await openDatabase({ service: SERVICE_NAME, url: config.DATABASE_URL, shared: cluster, logger });
try {
  await migrate(database, { namespace: SERVICE_NAME, dir: path.join(import.meta.dirname, 'db', 'migrations') });
  const result = await rotateSigningKeys(database, systemClock, leadMs);
  logger.info(result, 'rotated signing keys');
  console.log(JSON.stringify(result));
} finally {
  await database.close();
  await cluster?.close();
}
