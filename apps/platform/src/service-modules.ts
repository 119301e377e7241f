/**
 * The services the platform runs. Identity comes first: the others verify tokens against its
 * JWKS, so the embedded platform starts it before them and hands them its address.
 */
import type { TObject } from 'typebox';
import type { ServiceModule } from '@agora/kit/runtime';
import { identityModule } from '@agora/identity/module';
import { usersModule } from '@agora/users/module';

export const serviceModules: ServiceModule<TObject>[] = [identityModule, usersModule];
