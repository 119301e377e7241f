// The seeds' gateway stack, kept as a baseline for bench/gateway: Express 5 with
// express-http-proxy, jsonwebtoken verifying the access token (public key from identity's
// JWKS) and express-rate-limit on Redis. It does the same job as Agora's gateway for one
// authenticated route: verify, rate-limit per user, proxy. Plain JavaScript, as such stacks are.
import crypto from 'node:crypto';
import http from 'node:http';
import express from 'express';
import proxy from 'express-http-proxy';
import jwt from 'jsonwebtoken';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import Redis from 'ioredis';

const port = Number(process.env.PORT ?? 8180);
const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:8081';
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const jwks = await (await fetch(`${upstream}/.well-known/jwks.json`)).json();
const keys = new Map(jwks.keys.map((jwk) => [jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' })]));

const app = express();
app.disable('x-powered-by');

// jsonwebtoken 9 knows no EdDSA, which identity signs with: it decodes the token and the
// signature is checked with node:crypto's Ed25519 (the primitive jose uses too); the claims are
// then checked as jsonwebtoken's verify() would.
function verifyEdDSA(token) {
  const decoded = jwt.decode(token, { complete: true });
  const key = decoded && decoded.header.alg === 'EdDSA' && keys.get(decoded.header.kid);
  if (!key) throw new Error('unknown key');
  const [header, payload, signature] = token.split('.');
  if (!crypto.verify(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  const claims = decoded.payload;
  if (claims.iss !== 'agora-identity' || claims.aud !== 'agora' || !(claims.exp > Date.now() / 1000)) throw new Error('bad claims');
  return claims;
}

app.use((req, res, next) => {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return next();
  try {
    req.user = verifyEdDSA(header.slice(7));
    next();
  } catch {
    res.status(401).json({ error: 'invalid token' });
  }
});

app.use(
  rateLimit({
    windowMs: 60_000,
    limit: Number(process.env.RATE_LIMIT_PER_MINUTE ?? 600),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => req.user?.sub ?? ipKeyGenerator(req.ip),
    store: new RedisStore({ sendCommand: (command, ...args) => redis.call(command, ...args), prefix: `bench-express:${process.pid}:` }),
  }),
);

// Configured as fairly as the stack allows: bodies stream through unparsed and upstream
// connections are kept alive, as in Agora's gateway. By default express-http-proxy would also
// copy the upstream's hop-by-hop `connection` header and close every client connection.
const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 128 });
app.use(
  '/',
  proxy(upstream, {
    parseReqBody: false,
    proxyReqPathResolver: (req) => req.originalUrl,
    proxyReqOptDecorator: (options) => {
      options.agent = upstreamAgent;
      delete options.headers.connection;
      return options;
    },
    userResHeaderDecorator: (headers) => {
      delete headers.connection;
      return headers;
    },
  }),
);

app.listen(port, '127.0.0.1', () => process.stdout.write(`express baseline on ${port}\n`));
