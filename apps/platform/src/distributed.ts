/**
 * `npm run start:distributed`: every service as its own process on PostgreSQL, RabbitMQ and
 * Redis (DATABASE_URL, AMQP_URL, REDIS_URL; a database per service, created if missing).
 */
import { startDistributedPlatform, missingSettings } from './distributed-platform.ts';

const missing = missingSettings(process.env);
if (missing.length > 0) {
  process.stderr.write(`The distributed platform needs ${missing.join(', ')}. For example:\n` +
    '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora AMQP_URL=amqp://guest:guest@127.0.0.1:5672 REDIS_URL=redis://127.0.0.1:6379 npm run start:distributed\n');
  process.exit(2);
}

const platform = await startDistributedPlatform();
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void platform.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.stdout.write(`\n  Agora (distributed) is up on ${platform.url}\n` +
  Object.values(platform.processes).map((managed) => `    ${managed.name.padEnd(10)} ${managed.url}  pid ${managed.process?.pid}`).join('\n') + '\n\n');
