/**
 * Which service answers a path: pure matching over the prefixes of the service list. A prefix
 * matches a path equal to it or continuing it with `/…`; a `:name` segment matches any one
 * non-empty segment. The most specific prefix wins: more segments first, then, at the first
 * segment where two differ, a literal over a parameter. So `/api/v1/posts/:id/comments` goes to
 * comments while `/api/v1/posts/:id` still goes to posts.
 */
import type { ServiceEntry } from '@agora/contracts/services';

export interface Route {
  service: ServiceEntry;
  prefix: string;
}

export interface RouteTable {
  /** Routes in the order they are tried, most specific first. */
  readonly routes: readonly Route[];
  /** `path` is the path part of a URL, still percent-encoded, without the query. */
  match(path: string): Route | null;
}

interface CompiledRoute extends Route {
  /** null stands for a parameter segment. */
  segments: (string | null)[];
}

const segmentsOf = (path: string): string[] => path.split('/').slice(1);

function compile(route: Route): CompiledRoute {
  if (!route.prefix.startsWith('/') || route.prefix.endsWith('/')) {
    throw new Error(`Prefix of ${route.service.name} must start and not end with "/": ${route.prefix}`);
  }
  const segments = segmentsOf(route.prefix).map((segment) => {
    if (segment === '') throw new Error(`Prefix of ${route.service.name} has an empty segment: ${route.prefix}`);
    return segment.startsWith(':') ? null : segment;
  });
  return { ...route, segments };
}

/** Negative when `a` is more specific than `b`. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  for (let index = 0; index < a.segments.length; index += 1) {
    const aLiteral = a.segments[index] !== null;
    const bLiteral = b.segments[index] !== null;
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

const shape = (route: CompiledRoute): string => route.segments.map((segment) => segment ?? ':').join('/');

function matches(route: CompiledRoute, segments: string[]): boolean {
  if (segments.length < route.segments.length) return false;
  for (let index = 0; index < route.segments.length; index += 1) {
    const expected = route.segments[index];
    const actual = segments[index]!;
    if (expected === null ? actual === '' : actual !== expected) return false;
  }
  return true;
}

export function createRouteTable(services: readonly ServiceEntry[]): RouteTable {
  const compiled = services.flatMap((service) => service.prefixes.map((prefix) => compile({ service, prefix }))).sort(bySpecificity);
  const seen = new Map<string, CompiledRoute>();
  for (const route of compiled) {
    const other = seen.get(shape(route));
    // Two prefixes of the same shape would make the winner depend on list order.
    if (other) throw new Error(`Prefixes ${other.prefix} (${other.service.name}) and ${route.prefix} (${route.service.name}) overlap`);
    seen.set(shape(route), route);
  }
  return {
    routes: compiled.map(({ service, prefix }) => ({ service, prefix })),
    match(path) {
      const segments = segmentsOf(path);
      const found = compiled.find((route) => matches(route, segments));
      return found ? { service: found.service, prefix: found.prefix } : null;
    },
  };
}

/** The path part of a request URL (`/a/b?c` → `/a/b`). */
export const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};
