/**
 * API.md's identity section end to end over HTTP: on the embedded adapters, and on PostgreSQL,
 * RabbitMQ and Redis too when DATABASE_URL, AMQP_URL and REDIS_URL are set.
 */
import { distributedFromEnv, startIdentity } from './support/identity.ts';
import { describeMainFlow, MAIN_FLOW_ENV } from './support/main-flow.ts';

describeMainFlow('embedded: PGlite, in-process bus, memory stores', () => startIdentity({ env: MAIN_FLOW_ENV }));

const distributed = distributedFromEnv();
describeMainFlow('distributed: PostgreSQL, RabbitMQ, Redis', () => startIdentity({ env: MAIN_FLOW_ENV, distributed: distributed! }), {
  skip: !distributed && 'DATABASE_URL, AMQP_URL and REDIS_URL are not all set',
});
