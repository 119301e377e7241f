/** The public signing keys (RFC 7517 JWK Set) every verifier fetches. */
import { Type } from 'typebox';
import type { HttpApp } from '@agora/kit/http/app';
import { problems } from '@agora/kit/http/schemas';
import type { KeyRing } from '../keys/key-ring.ts';

// Only these fields are ever serialized: a private `d` can't leak through this route.
const PublicKey = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
});

export function jwksRoutes(app: HttpApp, keys: KeyRing): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['keys'],
        summary: 'Public keys that verify access tokens',
        // 401 only for a bad bearer token sent along: the kit checks any token a request carries.
        response: { 200: Type.Object({ keys: Type.Array(PublicKey) }, { title: 'JWKS' }), ...problems(401) },
      },
    },
    async (_request, reply) => {
      // Short: a new key is published minutes before it signs, and verifiers refetch on an unknown kid.
      void reply.header('cache-control', 'public, max-age=60');
      return { keys: keys.publicKeys() };
    },
  );
}
