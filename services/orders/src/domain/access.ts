/** Who may see and act on an order: its buyer, and admins. */
import type { Principal } from '@agora/kit/auth/access-token';

export const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

export const mayAccess = (principal: Principal, order: { userId: string }): boolean => order.userId === principal.userId || isAdmin(principal);
