// The audit of issue 13, replayed against the built relay (`node dist/relay.mjs`) in front of the stand-in eSputnik
// that keeps contacts and orders as the real one does (esputnik-state.mjs): each attack as the auditor made it (a
// script that writes `Origin`, as curl does), and each order a shopper places, judged by what eSputnik *recorded*.
// The relay's own mechanics are in relay-server.test.ts, its limits under load in relay-limits.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector, type Collector } from '../support/collector.mjs';
import { identity } from '../support/identity.mjs';
import { addressed, ORDER_ITEMS, tagBodies, withParam, type TagBody } from '../support/relay-bodies.mjs';
import { startRelay, type RelayProcess } from '../support/relay-process.mjs';

const ORIGIN = 'https://shop.example';
const VICTIM = 'email:victim@example.org';
const ATTACKER = 'email:mallory@example.net';

let collector: Collector;
let relay: RelayProcess;

beforeAll(async () => {
  collector = await startCollector();
  relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: ORIGIN, upstreamUrl: `${collector.url}/esputnik/api/v2/event` });
});
afterAll(async () => {
  await relay.close();
  await collector.close();
});
beforeEach(() => collector.reset());

/** A POST as the auditor's curl made it: any header it likes, Origin included. */
const send = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${relay.url}/ecomtag/relay`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? (JSON.parse(text) as unknown) : null };
};

const eventsReceived = () => collector.all.filter((record) => record.service === 'esputnik-event');

describe('the audit: anyone could name any contact', () => {
  it("an order for a stranger, DELIVERED, 999999, posted with the store's Origin: 403, eSputnik sees nothing", async () => {
    let forged = withParam(addressed(tagBodies(VICTIM).orderCreated, VICTIM), 'status', 'DELIVERED');
    forged = withParam(withParam(forged, 'totalCost', '999999'), 'items', undefined);
    expect(await send(forged)).toMatchObject({ status: 403, body: { errors: ['identity is missing'] } });
    expect(collector.all).toEqual([]);
  });

  it("a cart for a stranger's email (abandoned-cart mail from the store's domain): 403", async () => {
    expect(await send(addressed(tagBodies(VICTIM).cartUpdated, VICTIM))).toMatchObject({ status: 403, body: { errors: ['identity is missing'] } });
    expect(collector.all).toEqual([]);
  });

  it('what a page’s console can do with its own shopper’s identity: only that shopper’s events', async () => {
    // The page rendered mallory's identity; ct('set_contact', {email: victim}) makes the tag send this.
    const fromConsole = { ...addressed(tagBodies(VICTIM).cartUpdated, VICTIM), identity: identity(ATTACKER) };
    expect(await send(fromConsole)).toMatchObject({ status: 403, body: { errors: ["the event's contact is not the identity's"] } });
    expect(collector.all).toEqual([]);
  });

  it('order changes: orderUpdated and orderDelivered never come from a page, orderCancelled only from its own shopper', async () => {
    collector.esputnik.addKnownContact({ email: 'victim@example.org' });
    const victim = tagBodies(VICTIM, { orderId: 'V-100' });
    expect((await send(victim.orderCreated)).status).toBe(200);
    const guessed = (eventTypeKey: string) => ({ ...addressed(victim.orderCancelled, VICTIM), eventTypeKey });
    expect(await send(guessed('orderDelivered'))).toMatchObject({ status: 400, body: { errors: ['eventTypeKey must be one of productViewed, cartUpdated, orderCreated, orderCancelled'] } });
    expect(await send(guessed('orderUpdated'))).toMatchObject({ status: 400 });
    expect(await send(guessed('orderCancelled'))).toMatchObject({ status: 403, body: { errors: ['identity is missing'] } });
    const mallorys = { ...withParam(addressed(tagBodies(ATTACKER).orderCancelled, ATTACKER), 'externalOrderId', 'V-100'), identity: identity(ATTACKER) };
    expect(await send(mallorys)).toMatchObject({ status: 403, body: { errors: ['the order belongs to another contact'] } });
    expect(collector.esputnik.order('V-100')).toMatchObject({ status: 'INITIALIZED', history: [{ eventTypeKey: 'orderCreated', status: 'INITIALIZED' }] });
  });

  it("attacker links in an order's items: the order is recorded, without the items", async () => {
    const mallory = tagBodies(ATTACKER, { orderId: 'M-1' });
    const links = [{ ...ORDER_ITEMS[0], name: 'Pay here: https://evil.example/pay', url: 'https://evil.example/pay', imageUrl: 'https://evil.example/pay.png' }];
    const order = withParam(withParam(mallory.orderCreated, 'items', JSON.stringify(links)), 'totalCost', '301');
    expect((await send(order)).status).toBe(200);
    const recorded = collector.esputnik.order('M-1');
    expect(recorded).toMatchObject({ status: 'INITIALIZED', totalCost: '301', items: null });
    expect(JSON.stringify(eventsReceived().map((record) => record.body))).not.toContain('evil.example');
    const line = await relay.waitForLog((entry) => typeof entry.reason === 'string' && entry.reason.startsWith('forwarded without items'));
    expect(line.reason).toBe('forwarded without items: items[0].name carries a link');
  });
});

describe('orders that land (issue 14): what eSputnik recorded', () => {
  it("a first-time shopper's order: the contact is added first, and the order is recorded under it", async () => {
    const shopper = tagBodies('email:new.shopper@example.com', { orderId: 'N-1' });
    expect(collector.esputnik.findContact({ email: 'new.shopper@example.com' })).toBeUndefined();
    expect((await send(shopper.orderCreated)).status).toBe(200);
    expect(collector.all.map((record) => [record.service, record.outcome])).toEqual([
      ['esputnik-contact', 'recorded'],
      ['esputnik-event', 'recorded'],
    ]);
    expect(collector.esputnik.order('N-1')).toMatchObject({ status: 'INITIALIZED', items: ORDER_ITEMS, contact: { emails: ['new.shopper@example.com'] } });
    // Its refund lands on the same order.
    expect((await send(shopper.orderCancelled)).status).toBe(200);
    expect(collector.esputnik.order('N-1')?.history.map((step) => step.status)).toEqual(['INITIALIZED', 'CANCELLED']);
  });

  it('a shopper known by phone: added with an sms channel of digits', async () => {
    const shopper = tagBodies('phone:79001234567', { orderId: 'P-1' });
    expect((await send(withParam(shopper.orderCreated, 'phone', '+7 (900) 123-45-67'))).status).toBe(200);
    expect(collector.esputnik.order('P-1')?.contact).toMatchObject({ phones: ['79001234567'] });
  });

  it('when adding the contact fails, the order is answered 503 (the tag retries it) and lands on the retry', async () => {
    const shopper = tagBodies('email:retry@example.com', { orderId: 'R-1' });
    collector.failNext(1, 503);
    expect(await send(shopper.orderCreated)).toMatchObject({ status: 503, retryAfter: '5', body: { errors: ['eSputnik could not add the contact; retry later'] } });
    expect(eventsReceived()).toEqual([]);
    expect((await send(shopper.orderCreated)).status).toBe(200);
    expect(collector.esputnik.order('R-1')?.status).toBe('INITIALIZED');
  });

  it('a new shopper known by externalCustomerId: added with the email its identity also signed, so the order lands', async () => {
    const payload = { sub: 'ext:C-3', exp: Math.floor(Date.now() / 1000) + 3600, email: 'new@example.com' };
    expect((await send(tagBodies('ext:C-3', { orderId: 'X-3', payload }).orderCreated)).status).toBe(200);
    expect(collector.all.map((record) => [record.service, record.status, record.outcome])).toEqual([
      ['esputnik-contact', 200, 'recorded'],
      ['esputnik-event', 200, 'recorded'],
    ]);
    expect(collector.esputnik.order('X-3')?.contact).toMatchObject({ externalCustomerId: 'C-3', emails: ['new@example.com'] });
  });

  it('a shopper known only by externalCustomerId: no channel to add the contact by, so no call; the order lands if the store synced the contact', async () => {
    const unknown = tagBodies('ext:C-1', { orderId: 'X-1' });
    expect((await send(unknown.orderCreated)).status).toBe(200);
    expect(collector.all.map((record) => [record.service, record.status, record.outcome])).toEqual([['esputnik-event', 200, 'ignored']]);
    collector.reset();
    collector.esputnik.addKnownContact({ externalCustomerId: 'C-2', email: 'synced@example.com' });
    expect((await send(tagBodies('ext:C-2', { orderId: 'X-2' }).orderCreated)).status).toBe(200);
    expect(collector.esputnik.order('X-2')?.contact).toMatchObject({ externalCustomerId: 'C-2' });
  });

  it('"Duplicated request" for an event eSputnik already took counts as delivered', async () => {
    collector.esputnik.addKnownContact({ email: 'dup@example.com' });
    collector.esputnik.duplicates();
    const shopper = tagBodies('email:dup@example.com');
    expect((await send(shopper.cartUpdated)).status).toBe(200);
    // The tag's retry of the same letter (its first answer was lost on the way back).
    expect(await send(shopper.cartUpdated)).toMatchObject({ status: 200, body: { ok: true } });
    expect(collector.all.map((record) => record.outcome)).toEqual(['recorded', 'duplicate']);
  });

  it('a cart and its purchase share the recycleStateId the tag sends', async () => {
    collector.esputnik.addKnownContact({ email: 'cart@example.com' });
    const shopper = tagBodies('email:cart@example.com', { orderId: 'C-1' });
    const cartId = 'b1d4e6f8-2a3c-4e5f-8a7b-9c0d1e2f3a4b';
    expect((await send(withParam(shopper.orderCreated, 'recycleStateId', cartId))).status).toBe(200);
    expect(collector.esputnik.order('C-1')?.recycleStateId).toBe(cartId);
  });

  it('never lets a refused body through, whatever its shape: every event eSputnik received passed its schema', async () => {
    const bodies: TagBody[] = Object.values(tagBodies('email:schema@example.com', { orderId: 'S-1' }));
    for (const body of bodies) await send(body);
    expect(collector.invalid).toEqual([]);
  });
});
