/**
 * Shutdown that lets clients go: requests in flight finish (the kit's close does that), but a
 * keep-alive connection that finishes its response after close began would otherwise idle until
 * keepAliveTimeout (72 s) and hold the shutdown past SHUTDOWN_TIMEOUT_MS; and an event stream
 * never finishes at all. So from preClose on, idle connections close at once and event streams
 * are cut; EventSource clients reconnect, through another instance.
 *
 * The keep-alive half applies to every service built on the kit and belongs in createHttpApp.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export function registerGracefulClose(app: FastifyInstance, eventStreams: Set<Readable>): void {
  app.addHook('preClose', async () => {
    // Read by Node each time a response finishes and its connection turns idle; 0 would mean "never".
    app.server.keepAliveTimeout = 1;
    for (const stream of eventStreams) stream.destroy();
    eventStreams.clear();
  });
}
