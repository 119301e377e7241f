/**
 * Dead-letter queue command for operators:
 *   AMQP_URL=amqp://… node packages/kit/src/bus/dlq-cli.ts <queue> list|count|replay|purge
 * `list` prints one JSON dead letter per line; the others print a number. The queue is the
 * consuming service's name (its dead letters live in `<queue>.dlq`).
 */
import { createLogger } from '../logger.ts';
import { errorMessage } from './message-headers.ts';
import { createRabbitBus } from './rabbitmq-bus.ts';

const USAGE = 'usage: AMQP_URL=amqp://user:pass@host:5672 node packages/kit/src/bus/dlq-cli.ts <queue> list|count|replay|purge [--limit N]';
const COMMANDS = ['list', 'count', 'replay', 'purge'] as const;
type Command = (typeof COMMANDS)[number];

const isCommand = (value: string | undefined): value is Command => COMMANDS.includes(value as Command);

async function main(argv: string[]): Promise<number> {
  const [queue, command, ...rest] = argv;
  const url = process.env.AMQP_URL;
  const limitAt = rest.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : 100;
  if (!url || !queue || !isCommand(command) || !Number.isInteger(limit) || limit < 1) {
    process.stderr.write(`${url ? '' : 'AMQP_URL is not set\n'}${USAGE}\n`);
    return 2;
  }
  const namespace = process.env.AMQP_NAMESPACE;
  const bus = await createRabbitBus({ url, ...(namespace ? { namespace } : {}), logger: createLogger('dlq-cli', 'warn'), connectionName: 'agora-dlq-cli', startupTimeoutMs: 10_000 });
  try {
    switch (command) {
      case 'list':
        for (const letter of await bus.deadLetters.list(queue, limit)) process.stdout.write(`${JSON.stringify(letter)}\n`);
        break;
      case 'count':
        process.stdout.write(`${await bus.deadLetters.count(queue)}\n`);
        break;
      case 'replay':
        process.stdout.write(`${await bus.deadLetters.replay(queue)}\n`);
        break;
      case 'purge':
        process.stdout.write(`${await bus.deadLetters.purge(queue)}\n`);
        break;
    }
    return 0;
  } finally {
    await bus.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dlq: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
