/**
 * The gateway's settings. `GatewayConfig` is the schema the platform launchers and server.ts
 * load; the upstream base URLs (`<SERVICE>_URL`) are read separately because their keys come
 * from the service list, and `buildApp` takes them as a plain map.
 */
import { Type, type Static, type TString } from 'typebox';
import { ConfigError, loadConfig, serviceConfig } from '@agora/kit/config';
import { GATEWAY_PORT, services as allServices, type ServiceEntry } from '@agora/contracts/services';

export const GatewayConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: GATEWAY_PORT }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  /** `*`, or a comma-separated list of allowed origins. */
  CORS_ORIGINS: Type.String({ minLength: 1, default: '*' }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 10_000 }),
  /**
   * Which hops in front of the gateway may set X-Forwarded-For: empty (none, the default: the
   * socket address is the client), `true` (any), or a comma-separated list of addresses/CIDRs.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** How long the merged OpenAPI document is reused before the services are asked again. */
  OPENAPI_CACHE_MS: Type.Integer({ minimum: 0, default: 30_000 }),
});
export type GatewayConfig = Static<typeof GatewayConfig>;

export const upstreamUrlKey = (service: string): string => `${service.toUpperCase()}_URL`;

/** `<NAME>_URL` for every service, defaulting to the service's own port on loopback. */
export function upstreamUrlSchema(list: ServiceEntry[] = allServices) {
  const properties: Record<string, TString> = {};
  for (const service of list) {
    properties[upstreamUrlKey(service.name)] = Type.String({ pattern: '^https?://[^/?#]+', default: `http://127.0.0.1:${service.port}` });
  }
  return Type.Object(properties);
}

/** Base URL of each service by name, without a trailing slash. */
export function loadUpstreams(env: Record<string, string | undefined> = process.env, list: ServiceEntry[] = allServices): Record<string, string> {
  const urls = loadConfig(upstreamUrlSchema(list), env) as Record<string, string>;
  return Object.fromEntries(list.map((service) => [service.name, urls[upstreamUrlKey(service.name)]!.replace(/\/+$/, '')]));
}

/** Both halves at once, so a bad deployment hears about every bad key in one go. */
export function loadGatewaySettings(env: Record<string, string | undefined> = process.env): { config: GatewayConfig; upstreams: Record<string, string> } {
  const problems: string[] = [];
  let config: GatewayConfig | undefined;
  let upstreams: Record<string, string> | undefined;
  try {
    config = loadConfig(GatewayConfig, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  try {
    upstreams = loadUpstreams(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config || !upstreams) throw new ConfigError(problems);
  return { config, upstreams };
}

/** TRUST_PROXY as Fastify's `trustProxy` takes it. */
export function trustProxySetting(value: string): boolean | string[] {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
  if (trimmed === 'true') return true;
  return trimmed.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}
