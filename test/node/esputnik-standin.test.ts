// The stand-in eSputnik keeps what the real one keeps (esputnik-state.mjs): contacts by email, phone and
// externalCustomerId; orders by externalOrderId with their status history. It answers 200 to what it then ignores,
// as eSputnik does (seed 001), so the relay's tests and the browser tests can assert what eSputnik *recorded*.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Collector, DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../support/collector.mjs';
import { addressed, ORDER_ITEMS, tagBodies, withParam } from '../support/relay-bodies.mjs';

const EVENT = '/esputnik/api/v2/event';
const CONTACT = '/api/v1/contact';
const AUTH = `Basic ${Buffer.from(`relay:${DEFAULT_ESPUTNIK_API_KEY}`).toString('base64')}`;

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
beforeEach(() => collector.reset());

const send = async (path: string, body: unknown, authorization = AUTH) => {
  const response = await fetch(collector.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
};

/** The tag's bodies for anna, as the relay forwards them: without the identity. */
const unsigned = (sub: string, orderId?: string) => {
  const bodies = tagBodies(sub, { orderId });
  return Object.fromEntries(Object.entries(bodies).map(([type, body]) => [type, addressed(body, sub)])) as Record<keyof typeof bodies, ReturnType<typeof addressed>>;
};
const anna = unsigned('email:anna@example.com');

describe('the stand-in eSputnik: Add/update a contact', () => {
  it('creates a contact, then updates the same one by any of its channels', async () => {
    expect(await send(CONTACT, { channels: [{ type: 'email', value: 'anna@example.com' }] })).toMatchObject({ status: 200 });
    expect(await send(CONTACT, { channels: [{ type: 'email', value: 'anna@example.com' }, { type: 'sms', value: '79001234567' }], externalCustomerId: 'C-42' })).toMatchObject({ status: 200 });
    expect(collector.esputnik.contacts).toEqual([{ id: 1, emails: ['anna@example.com'], phones: ['79001234567'], externalCustomerId: 'C-42' }]);
    expect(collector.records.map((record) => [record.service, record.outcome, record.note])).toEqual([
      ['esputnik-contact', 'recorded', 'contact 1 created'],
      ['esputnik-contact', 'recorded', 'contact 1 updated'],
    ]);
  });

  it.each<[string, unknown, string]>([
    ['no channel (an externalCustomerId alone)', { channels: [], externalCustomerId: 'C-42' }, 'channels: expected at least one email or sms channel, got []'],
    ['a phone with a plus', { channels: [{ type: 'sms', value: '+79001234567' }] }, 'channels[0].value: expected international digits, got "+79001234567"'],
    ['a channel eSputnik has no name for', { channels: [{ type: 'phone', value: '79001234567' }] }, 'channels[0].type: expected "email" or "sms", got "phone"'],
  ])('refuses %s (400), and keeps nothing', async (_, body, error) => {
    const answer = await send(CONTACT, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ errors: [error] });
    expect(collector.esputnik.contacts).toEqual([]);
  });

  it('wants the API key, as every eSputnik method does', async () => {
    expect((await send(CONTACT, { channels: [{ type: 'email', value: 'a@b.ru' }] }, `Basic ${Buffer.from('relay:wrong').toString('base64')}`)).status).toBe(401);
    expect(collector.esputnik.contacts).toEqual([]);
  });
});

describe('the stand-in eSputnik: Generate event, recorded or ignored', () => {
  it('ignores (answering 200) an order for a contact it does not know', async () => {
    expect((await send(EVENT, anna.orderCreated)).status).toBe(200);
    expect(collector.records[0]).toMatchObject({ status: 200, outcome: 'ignored', note: 'the order names no contact eSputnik has' });
    expect(collector.esputnik.order('10031004')).toBeUndefined();
  });

  it('records an order for a contact it knows, with its status history, and the refund of it', async () => {
    collector.esputnik.addKnownContact({ email: 'Anna@Example.com' });
    await send(EVENT, withParam(anna.orderCreated, 'recycleStateId', 'cart-1'));
    await send(EVENT, anna.orderCancelled);
    expect(collector.records.map((record) => record.outcome)).toEqual(['recorded', 'recorded']);
    expect(collector.esputnik.order('10031004')).toMatchObject({
      status: 'CANCELLED',
      totalCost: '2201',
      items: ORDER_ITEMS,
      recycleStateId: 'cart-1',
      contact: { emails: ['anna@example.com'] },
      history: [
        { eventTypeKey: 'orderCreated', status: 'INITIALIZED' },
        { eventTypeKey: 'orderCancelled', status: 'CANCELLED' },
      ],
    });
  });

  it('finds an order’s contact by externalCustomerId or phone as well', async () => {
    collector.esputnik.addKnownContact({ externalCustomerId: 'C-42' });
    collector.esputnik.addKnownContact({ phone: '79001234567' });
    await send(EVENT, unsigned('ext:C-42', 'E-1').orderCreated);
    await send(EVENT, unsigned('phone:79001234567', 'P-1').orderCreated);
    expect([collector.esputnik.order('E-1')?.contact.id, collector.esputnik.order('P-1')?.contact.id]).toEqual([1, 2]);
  });

  it('ignores an order whose items lack a field seed 001 requires', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    const { url: _url, ...item } = ORDER_ITEMS[0];
    expect((await send(EVENT, withParam(withParam(anna.orderCreated, 'items', JSON.stringify([item])), 'totalCost', '301'))).status).toBe(200);
    expect(collector.records[0]).toMatchObject({ outcome: 'ignored', note: 'an item lacks a required field: items[0].url' });
    expect(collector.esputnik.order('10031004')).toBeUndefined();
  });

  it('records an order that comes without items', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    await send(EVENT, withParam(anna.orderCreated, 'items', undefined));
    expect(collector.esputnik.order('10031004')).toMatchObject({ status: 'INITIALIZED', items: null });
  });

  it('ignores the refund or delivery of an order it does not have', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    const delivered = { ...anna.orderCancelled, eventTypeKey: 'orderDelivered' };
    for (const body of [anna.orderCancelled, delivered]) expect((await send(EVENT, body)).status).toBe(200);
    expect(collector.records.map((record) => [record.outcome, record.note])).toEqual([
      ['ignored', 'no order 10031004'],
      ['ignored', 'no order 10031004'],
    ]);
  });

  it('delivers an order it has, and updates it (orderUpdated), as the back office will', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    await send(EVENT, anna.orderCreated);
    await send(EVENT, { ...anna.orderCancelled, eventTypeKey: 'orderUpdated', params: [...anna.orderCancelled.params, { name: 'status', value: 'IN_PROGRESS' }] });
    await send(EVENT, { ...anna.orderCancelled, eventTypeKey: 'orderDelivered' });
    expect(collector.esputnik.order('10031004')?.history.map((step) => step.status)).toEqual(['INITIALIZED', 'IN_PROGRESS', 'DELIVERED']);
  });

  // Seed 001: orderUpdated "updates the order"; "if the order does not exist, it is created", with orderCreated's rules.
  it('takes an order’s new total and items from orderUpdated, its status unchanged when none is given', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    await send(EVENT, anna.orderCreated);
    const kept = [ORDER_ITEMS[0]];
    const total = String(ORDER_ITEMS[0].cost * ORDER_ITEMS[0].quantity);
    await send(EVENT, { ...anna.orderCancelled, eventTypeKey: 'orderUpdated', params: [...anna.orderCancelled.params, { name: 'totalCost', value: total }, { name: 'items', value: JSON.stringify(kept) }] });
    expect(collector.esputnik.order('10031004')).toMatchObject({ status: 'INITIALIZED', totalCost: total, items: kept });
  });

  it('creates an order from orderUpdated only with what orderCreated requires (total, status, date), else ignores it', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    const created = { ...anna.orderCreated, eventTypeKey: 'orderUpdated' };
    await send(EVENT, withParam(withParam(created, 'externalOrderId', 'U-1'), 'date', undefined));
    await send(EVENT, withParam(withParam(created, 'externalOrderId', 'U-2'), 'status', 'DELIVERED'));
    expect(collector.records.map((record) => [record.outcome, record.note])).toEqual([
      ['ignored', 'orderUpdated would create order U-1, and lacks date'],
      ['recorded', 'order U-2 DELIVERED'],
    ]);
    expect(collector.esputnik.order('U-2')?.history).toEqual([{ eventTypeKey: 'orderUpdated', status: 'DELIVERED' }]);
  });

  it('files site activity under the contact keyValue names, when it has one', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    await send(EVENT, anna.cartUpdated);
    await send(EVENT, unsigned('email:bob@example.com').productViewed);
    expect(collector.esputnik.events.map((event) => [event.eventTypeKey, event.contactId, event.outcome])).toEqual([
      ['cartUpdated', 1, 'recorded'],
      ['productViewed', null, 'recorded'],
    ]);
  });

  it('answers an identical repeat "Duplicated request" (not a 2xx) when told to, and takes nothing from it', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    collector.esputnik.duplicates();
    expect((await send(EVENT, anna.orderCreated)).status).toBe(200);
    const repeat = await send(EVENT, anna.orderCreated);
    expect({ status: repeat.status, text: repeat.text }).toEqual({ status: 400, text: '{"errorMessage":"Duplicated request"}' });
    expect(collector.all.map((record) => [record.status, record.outcome])).toEqual([[200, 'recorded'], [400, 'duplicate']]);
    expect(collector.esputnik.order('10031004')?.history).toHaveLength(1);
  });

  it('records nothing for what a fault answered instead of it', async () => {
    collector.esputnik.addKnownContact({ email: 'anna@example.com' });
    collector.failNext(1, 503);
    await send(EVENT, anna.orderCreated);
    expect(collector.all[0]).toMatchObject({ status: 503, outcome: null });
    expect(collector.esputnik.order('10031004')).toBeUndefined();
  });
});
