/**
 * Secrets: Argon2id password hashes with OWASP's parameters (Password Storage Cheat Sheet:
 * m=19 MiB, t=2, p=1), and opaque bearer secrets (refresh and reset tokens) that are stored only
 * as SHA-256 hashes, so a database leak yields nothing a client could present.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';

const ARGON2ID: Options = {
  // Algorithm.Argon2id; the package's enum is an ambient const enum, which type stripping can't inline.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real verification when there is no account to check against, so an
 * unknown email can't be told from a wrong password by how long the answer takes.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** 32 random bytes, base64url: 256 bits, far beyond guessing (RFC 9700 §4.14.2 allows opaque tokens). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
