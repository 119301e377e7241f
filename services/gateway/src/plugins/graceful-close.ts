/**
 * Event streams never finish by themselves, so a closing gateway cuts them (the kit already
 * closes keep-alive connections as they turn idle); EventSource clients reconnect, through
 * another instance.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export function registerGracefulClose(app: FastifyInstance, eventStreams: Set<Readable>): void {
  app.addHook('preClose', async () => {
    for (const stream of eventStreams) stream.destroy();
    eventStreams.clear();
  });
}
