/**
 * Typed configuration read from the environment once, at start. A service declares a TypeBox
 * object of its keys; `loadConfig` converts strings to the declared types, applies defaults and
 * fails with every bad key listed, so a misconfigured deployment dies at boot, not at first use.
 */
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Environment values are text: numbers are converted only when the whole text is a plain
 * decimal (so `80.5` stays 80.5 and fails an integer key instead of becoming 80), booleans only
 * from `true`/`false`; anything else is left for the schema to judge.
 */
function fromText(schema: TSchema, text: string): unknown {
  const type = (schema as { type?: unknown }).type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined> = process.env): Static<T> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  const required = new Set(schema.required ?? []);
  // Each key is judged on its own, so one bad key can't crowd the others out of the report.
  for (const [key, property] of Object.entries<TSchema>(schema.properties)) {
    const text = env[key];
    const value = text === undefined || text === '' ? Value.Default(property, undefined) : fromText(property, text);
    if (value === undefined) {
      if (required.has(key)) problems.push(`${key}: is required`);
      continue;
    }
    const [error] = Value.Errors(property, value);
    if (error) problems.push(`${key}: ${error.message}`);
    else config[key] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Static<T>;
}

/** Settings every service shares: adapters are picked by whether their URL is set. */
export const CommonConfig = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), { default: 'info' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  AGORA_DATA_DIR: Type.String({ default: '.data' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /**
   * Connections each service instance keeps to PostgreSQL (plus one for the outbox's LISTEN).
   * Thirteen services share one server's max_connections (100 by default), and more connections
   * than cores only queue inside PostgreSQL.
   */
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  AMQP_URL: Type.Optional(Type.String({ pattern: '^amqps?://' })),
  /** Prefix of the exchange and queues on RabbitMQ, so several platforms can share a broker. */
  AMQP_NAMESPACE: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 10_000 }),
  /** An OTLP/HTTP collector's base URL (`http://jaeger:4318`): traces are exported there when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Share of traces begun here that are recorded; one begun upstream keeps its caller's choice. */
  OTEL_TRACES_SAMPLER_ARG: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
  /** Milliseconds spans wait to be exported together. */
  OTEL_BSP_SCHEDULE_DELAY: Type.Integer({ minimum: 1, default: 5_000 }),
});
export type CommonConfig = Static<typeof CommonConfig>;

/** Merges a service's own keys into the common ones. */
export function serviceConfig<P extends Record<string, TSchema>>(properties: P) {
  return Type.Object({ ...CommonConfig.properties, ...properties });
}
