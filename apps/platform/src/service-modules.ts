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
import { catalogModule } from '@agora/catalog/module';
import { cartModule } from '@agora/cart/module';
import { ordersModule } from '@agora/orders/module';
import { paymentsModule } from '@agora/payments/module';

export const serviceModules: ServiceModule<TObject>[] = [
  identityModule,
  usersModule,
  postsModule,
  commentsModule,
  likesModule,
  mediaModule,
  notificationsModule,
  searchModule,
  catalogModule,
  cartModule,
  ordersModule,
  paymentsModule,
];
