/** The services the platform runs, in start order; the gateway is started last, in front of them. */
import type { TObject } from 'typebox';
import type { ServiceModule } from '@agora/kit/runtime';
import { identityModule } from '@agora/identity/module';

export const serviceModules: ServiceModule<TObject>[] = [identityModule];
