/**
 * `npm start`: the whole platform in one process on embedded adapters (PGlite under
 * AGORA_DATA_DIR, the in-process bus, in-memory stores), the gateway on PORT.
 */
import { startEmbeddedPlatform } from './embedded-platform.ts';
import { closeOnSignals } from '@agora/kit/shutdown';

const platform = await startEmbeddedPlatform();
closeOnSignals([{ name: 'platform', close: () => platform.close() }], platform.logger, 15_000);

const url = `http://localhost:${platform.port}`;
process.stdout.write(
  [
    '',
    `  Agora is up on ${url}`,
    `    API docs      ${url}/docs`,
    `    OpenAPI       ${url}/openapi.json`,
    `    health        ${url}/health/ready`,
    `    metrics       ${url}/metrics`,
    `    data          ${platform.dataDir} (one PGlite, a schema per service; mail in ${platform.dataDir}/mailbox)`,
    '',
    '  Ctrl-C stops it.',
    '',
  ].join('\n') + '\n',
);
