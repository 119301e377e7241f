/** Events from media: the uploads sellers may show on products. Thin: the rules live in domain/project-media.ts. */
import { MediaDeleted, MediaUploaded, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CatalogContext } from '../domain/context.ts';
import { trackDeletion, trackUpload } from '../domain/project-media.ts';

export function mediaConsumers(ctx: CatalogContext) {
  const handlers: Record<string, EventHandler> = {
    'media.uploaded': async (event, tx) => {
      await trackUpload(tx, event.data as EventData<'media.uploaded'>);
    },
    'media.deleted': async (event, tx) => {
      await trackDeletion(tx, event.data as EventData<'media.deleted'>, ctx.clock.now());
    },
  };
  return { handlers, schemas: { 'media.uploaded': MediaUploaded, 'media.deleted': MediaDeleted } };
}
