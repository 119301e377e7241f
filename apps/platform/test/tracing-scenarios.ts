/**
 * Traces end to end: the platform runs with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP
 * receiver, and a checkout begun with a caller's `traceparent` must come back as one trace: the
 * gateway, orders (and its call to cart), then every hop of the saga through the outbox and the
 * broker (order.created → catalog, stock.reserved → payments, payment.succeeded → orders) and
 * every consumer order.confirmed wakes, each span the child of the one that caused it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { eventually, type PlatformUnderTest } from './client.ts';
import type { OtlpReceiver, ReceivedSpan } from './otlp-receiver.ts';
import { CATCH_UP_MS, shippingAddress, shop } from './shoppers.ts';

/** Settings that make every service export its spans to `receiver`, quickly. */
export const tracingSettings = (receiver: OtlpReceiver): Record<string, string> => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '100',
});

/** The saga's hops after orders placed the order: who sends what, and who processes it. */
const HOPS = [
  { sender: 'orders', type: 'order.created', consumers: ['catalog'] },
  { sender: 'catalog', type: 'stock.reserved', consumers: ['payments'] },
  { sender: 'payments', type: 'payment.succeeded', consumers: ['orders'] },
  { sender: 'orders', type: 'order.confirmed', consumers: ['catalog', 'cart', 'notifications'] },
];

export function tracingScenarios(platform: () => PlatformUnderTest, receiver: () => OtlpReceiver): void {
  const { api, buyer, seller, product, settled } = shop(platform);

  describe('tracing', () => {
    it('exports a checkout as one trace: gateway, orders, cart, and every event hop through the outbox and the broker', async () => {
      const shopkeeper = await seller();
      const kettle = await product(shopkeeper, { priceCents: 2_000, stock: 3 });
      const ada = await buyer('traced');
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/cart/items/${kettle.id}`, { token: ada.token, body: { quantity: 1 } })).status, 200));

      const traceId = randomBytes(16).toString('hex');
      const callerSpanId = randomBytes(8).toString('hex');
      receiver().watch(traceId);
      const key = randomUUID();
      const order = await eventually(CATCH_UP_MS * 2, async () => {
        const reply = await api('POST', '/orders', {
          token: ada.token,
          headers: { 'idempotency-key': key, traceparent: `00-${traceId}-${callerSpanId}-01` },
          body: { shippingAddress, paymentMethod: 'pm_card_ok' },
        });
        assert.equal(reply.status, 201, reply.text);
        return reply.body;
      });
      assert.equal((await settled(ada, order.id)).status, 'confirmed');

      const spans = await eventually(10_000, async () => {
        const spans = receiver().spansOf(traceId);
        for (const hop of HOPS) {
          for (const consumer of hop.consumers) {
            assert.ok(spans.some((span) => span.service === consumer && span.name === `process ${hop.type}`), `${consumer} processed ${hop.type} in the trace`);
          }
        }
        return spans;
      });
      const describeTrace = () => spans.map((span) => `${span.service}:${span.kind}:${span.name}`).join(', ');
      const only = (service: string, kind: ReceivedSpan['kind'], name: string, where: (span: ReceivedSpan) => boolean = () => true): ReceivedSpan => {
        const found = spans.filter((span) => span.service === service && span.kind === kind && span.name === name && where(span));
        assert.equal(found.length, 1, `one ${kind} span ${name} by ${service} in: ${describeTrace()}`);
        return found[0]!;
      };
      const assertChild = (child: ReceivedSpan, parent: ReceivedSpan) =>
        assert.equal(child.parentSpanId, parent.spanId, `${child.service} ${child.name} is a child of ${parent.service} ${parent.name}`);

      // HTTP: the caller's span → the gateway → orders → the synchronous read of the cart.
      const placed = only('orders', 'server', 'POST /api/v1/orders', (span) => span.attributes['http.response.status_code'] === 201);
      const gateway = spans.find((span) => span.spanId === placed.parentSpanId);
      assert.ok(gateway && gateway.service === 'gateway' && gateway.kind === 'server', `orders' request came from a gateway span: ${describeTrace()}`);
      assert.equal(gateway.parentSpanId, callerSpanId, 'the gateway continued the caller’s trace');
      assertChild(only('cart', 'server', 'GET /api/v1/cart', (span) => span.parentSpanId === placed.spanId), placed);

      // Events: each send is the child of what caused it, each process the child of its send.
      let cause = placed;
      for (const hop of HOPS) {
        const send = only(hop.sender, 'producer', `send ${hop.type}`);
        assertChild(send, cause);
        const processed = hop.consumers.map((consumer) => only(consumer, 'consumer', `process ${hop.type}`));
        for (const span of processed) {
          assertChild(span, send);
          assert.equal(span.attributes['messaging.consumer.group.name'], span.service);
        }
        // The next hop is caused by the first consumer's handling (the saga's chain).
        cause = processed[0]!;
      }
      assert.ok(receiver().received() > spans.length, 'the services export the spans of other requests too');
    });
  });
}
