/**
 * The services the platform runs. Identity comes first: the others verify tokens against its
 * JWKS, so the embedded platform starts it before them and hands them its address.
 */
import type { TObject } from 'typebox';
import type { ServiceModule } from '@agora/kit/runtime';
import { identityModule } from '@agora/identity/module';
import { usersModule } from '@agora/users/module';
import { postsModule } from '@agora/posts/module';
import { commentsModule } from '@agora/comments/module';
import { likesModule } from '@agora/likes/module';
import { mediaModule } from '@agora/media/module';
import { notificationsModule } from '@agora/notifications/module';
import { searchModule } from '@agora/search/module';

export const serviceModules: ServiceModule<TObject>[] = [
  identityModule,
  usersModule,
  postsModule,
  commentsModule,
  likesModule,
  mediaModule,
  notificationsModule,
  searchModule,
];
