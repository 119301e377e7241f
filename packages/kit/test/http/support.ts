/** Small factories for the HTTP chassis tests: a real app per test, closed when the test ends. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import type { Problem } from '../../src/http/problem.ts';

export const given = {
  /** A chassis with the test's own routes added by `routes`, ready to inject into. */
  async app(t: TestContext, routes: (app: HttpApp) => void = () => {}, options: Partial<HttpAppOptions> = {}): Promise<HttpApp> {
    const app = await createHttpApp({ service: 'test', logger: createLogger('test', 'silent'), ...options });
    t.after(() => app.close());
    routes(app);
    await app.ready();
    return app;
  },
};

/** The problem+json document of a response, after checking its status and content type. */
export function problemOf(response: LightMyRequestResponse, status: number): Problem {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = response.json<Problem>();
  assert.equal(problem.status, status);
  assert.equal(problem.type, `/problems/${problem.code.toLowerCase()}`);
  return problem;
}
