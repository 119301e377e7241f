/** How accounts and sessions look from outside, and the steps several use cases share. */
import type { Role } from '@agora/kit/auth/access-token';
import type { Tx } from '@agora/kit/db/database';
import { errors } from '@agora/kit/errors';
import { newId } from '@agora/kit/ids';
import { insertUser, UniqueViolation, type UserRow } from '../db/users.repository.ts';
import { emit } from './events.ts';
import type { RequestMeta } from './context.ts';

export interface Account {
  id: string;
  email: string;
  username: string;
  roles: Role[];
  createdAt: string;
}

export const toAccount = (user: UserRow): Account => ({
  id: user.id,
  email: user.email,
  username: user.username,
  roles: canonicalRoles(user.roles),
  createdAt: user.createdAt.toISOString(),
});

const ROLE_ORDER: Role[] = ['user', 'seller', 'admin'];

/** Known roles in a fixed order, duplicates dropped, and `user` always there (everyone is a user). */
export function canonicalRoles(roles: readonly string[]): Role[] {
  const wanted = new Set(roles);
  return ROLE_ORDER.filter((role) => role === 'user' || wanted.has(role));
}

export interface NewAccount {
  email: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
}

/** Inserts the account and announces it; a taken email or username is a 409 (race-safe: the unique index decides). */
export async function createAccount(tx: Tx, account: NewAccount, at: Date, meta: Partial<RequestMeta>): Promise<UserRow> {
  let user: UserRow;
  try {
    user = await insertUser(tx, { id: newId(), ...account, roles: canonicalRoles(account.roles), createdAt: at });
  } catch (error) {
    if (error instanceof UniqueViolation) {
      throw error.field === 'email'
        ? errors.conflict('AUTH.EMAIL_TAKEN', 'An account with this email exists', { cause: error })
        : errors.conflict('AUTH.USERNAME_TAKEN', 'This username is taken', { cause: error });
    }
    throw error;
  }
  await emit(
    tx,
    'user.registered',
    {
      userId: user.id,
      email: user.email,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      registeredAt: user.createdAt.toISOString(),
    },
    meta,
  );
  return user;
}

export const userNotFound = () => errors.notFound('AUTH.USER_NOT_FOUND', 'No such account');
