/**
 * A stand-in for the cart service on 127.0.0.1: answers `GET /api/v1/cart` with whatever the
 * test sets, and records the Authorization header of each call. The real cart is exercised end
 * to end by the platform's tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CartAnswer = (request: IncomingMessage, response: ServerResponse) => void;

export interface CartStub {
  url: string;
  /** The Authorization header of every request received, oldest first. */
  calls: { path: string | undefined; authorization: string | undefined }[];
  answer(answer: CartAnswer): void;
  /** Answers 200 with a cart of these lines (names and prices deliberately wrong: orders must ignore them). */
  holds(lines: { productId: string; quantity: number }[]): void;
  close(): Promise<void>;
}

export async function startCartStub(): Promise<CartStub> {
  let current: CartAnswer = (_request, response) => response.writeHead(500).end();
  const calls: CartStub['calls'] = [];
  const server = createServer((request, response) => {
    calls.push({ path: request.url, authorization: request.headers.authorization });
    current(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    answer(answer) {
      current = answer;
    },
    holds(lines) {
      const items = lines.map((line) => ({ ...line, name: 'cart name', unitPriceCents: 1, lineTotalCents: line.quantity }));
      current = (_request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, totalCents: 1, currency: 'USD' }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
