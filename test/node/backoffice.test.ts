// The back office's lane of createRelay (`POST /backoffice/orders`, issue 15), with a scripted eSputnik and Calltouch:
// what each status sends where (exact bodies, each also judged by the stand-ins' schemas), every refusal (token,
// method, media type, body, fields), batches, idempotency, each destination's failures, and that the token and the
// API key reach no answer and no log line. The relay process against the stateful stand-ins: backoffice-e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from '../../src/relay/env';
import { validateCalltouch } from '../support/calltouch-schema.mjs';
import { validateEsputnikEvent } from '../support/esputnik-schema.mjs';
import { tagBodies } from '../support/relay-bodies.mjs';
import { validateEsputnikContact } from '../support/routes/esputnik-contact.mjs';
import { CALLTOUCH_URL, order, read, setupBackOffice, SITE_ID, TOKEN } from '../support/backoffice-handler';
import { AUTHORIZATION, KEY, post } from '../support/relay-handler';

const CONTACT = { email: 'Anna@Example.com ', phone: '+7 (900) 123-45-67', name: 'Анна' };
const PRODUCTS = [
  { id: 1003, name: 'USB-удлинитель', price: '150.50', quantity: 2, discount: 10.5, url: 'https://shop.example/p/1003', imageUrl: 'https://shop.example/p/1003.jpg' },
  { id: 'SKU-5', name: 'Наушники', price: 2000, quantity: '1', url: 'https://shop.example/p/sku-5', imageUrl: 'https://shop.example/p/sku-5.jpg' },
];
/** Seed 001's items for PRODUCTS: a unit costs price − discount (150.50 − 10.5 = 140), totalCost Σ cost × quantity. */
const ITEMS = JSON.stringify([
  { externalItemId: '1003', name: 'USB-удлинитель', quantity: 2, cost: 140, url: 'https://shop.example/p/1003', imageUrl: 'https://shop.example/p/1003.jpg' },
  { externalItemId: 'SKU-5', name: 'Наушники', quantity: 1, cost: 2000, url: 'https://shop.example/p/sku-5', imageUrl: 'https://shop.example/p/sku-5.jpg' },
]);
const EMAIL = 'anna@example.com';

type Params = Record<string, string>;
const paramsOf = (event: { params: Array<{ name: string; value: string }> }): Params => Object.fromEntries(event.params.map(({ name, value }) => [name, value]));

describe('the back office: what each status sends where', () => {
  type Row = [label: string, body: Record<string, unknown>, esputnik: [string, Params] | null, calltouch: unknown, answer: { esputnik: string; calltouch: string }];
  const id = '10031004';
  const rows: Row[] = [
    // seed 001: orderUpdated "updates the order"; IN_PROGRESS is one of its statuses.
    ['in_progress', { id, status: 'in_progress', contact: CONTACT }, ['orderUpdated', { email: EMAIL, externalOrderId: id, status: 'IN_PROGRESS' }], null, { esputnik: 'sent', calltouch: 'skipped: ' }],
    ['in_progress with the order', { id, status: 'in_progress', contact: CONTACT, date: '2026-11-05 14:03:00', products: PRODUCTS },
      ['orderUpdated', { email: EMAIL, externalOrderId: id, status: 'IN_PROGRESS', totalCost: '2280', date: '2026-11-05T14:03:00', items: ITEMS }], null, { esputnik: 'sent', calltouch: 'skipped: ' }],
    // seed 001: orderDelivered "changes the order's status to DELIVERED"; only DELIVERED counts in revenue and RFM.
    ['delivered', { id, status: 'delivered', contact: CONTACT }, ['orderDelivered', { email: EMAIL, externalOrderId: id }], null, { esputnik: 'sent', calltouch: 'skipped: ' }],
    // seed 001: orderUpdated creates a missing order, with orderCreated's requirements.
    ['delivered with the order', { id, status: 'delivered', contact: CONTACT, date: '2026-11-05T14:03:00', products: PRODUCTS },
      ['orderUpdated', { email: EMAIL, externalOrderId: id, status: 'DELIVERED', totalCost: '2280', date: '2026-11-05T14:03:00', items: ITEMS }], null, { esputnik: 'sent', calltouch: 'skipped: ' }],
    // seed 000 l.298-309: a full refund "on a full return or refusal of the purchase": products [].
    ['cancelled', { id, status: 'cancelled', contact: CONTACT }, ['orderCancelled', { email: EMAIL, externalOrderId: id }],
      { siteId: SITE_ID, eventType: 'refund', id, products: [] }, { esputnik: 'sent', calltouch: 'sent' }],
    ['refunded in full', { id, status: 'refunded', contact: CONTACT }, ['orderCancelled', { email: EMAIL, externalOrderId: id }],
      { siteId: SITE_ID, eventType: 'refund', id, products: [] }, { esputnik: 'sent', calltouch: 'sent' }],
    ['refunded, refund.products empty (Calltouch\'s own "whole order")', { id, status: 'refunded', contact: CONTACT, refund: { products: [] } }, ['orderCancelled', { email: EMAIL, externalOrderId: id }],
      { siteId: SITE_ID, eventType: 'refund', id, products: [] }, { esputnik: 'sent', calltouch: 'sent' }],
    // seed 000 l.316-327: a partial refund names id and quantity, an id of digits as a number.
    ['refunded in part, with the lines kept', { id, status: 'refunded', contact: CONTACT, products: [PRODUCTS[1]], refund: { products: [{ id: 1003, quantity: 2 }] } },
      ['orderUpdated', { email: EMAIL, externalOrderId: id, totalCost: '2000', items: JSON.stringify([JSON.parse(ITEMS)[1]]) }],
      { siteId: SITE_ID, eventType: 'refund', id, products: [{ id: 1003, quantity: 2 }] }, { esputnik: 'sent', calltouch: 'sent' }],
    ['refunded in part, without the order', { id, status: 'refunded', contact: CONTACT, refund: { products: [{ id: 'SKU-5', quantity: 1 }] } }, null,
      { siteId: SITE_ID, eventType: 'refund', id, products: [{ id: 'SKU-5', quantity: 1 }] }, { esputnik: 'skipped: ', calltouch: 'sent' }],
    ['updated', { id, status: 'updated', contact: CONTACT, products: PRODUCTS }, ['orderUpdated', { email: EMAIL, externalOrderId: id, totalCost: '2280', items: ITEMS }], null,
      { esputnik: 'sent', calltouch: 'skipped: ' }],
    // seed 000 l.250-266: the offline purchase, for an order no page with the tag saw.
    ['delivered, a phone order (origin offline)', { id, status: 'delivered', origin: 'offline', contact: CONTACT, date: '2026-11-05T14:03:00', products: PRODUCTS },
      ['orderUpdated', { email: EMAIL, externalOrderId: id, status: 'DELIVERED', totalCost: '2280', date: '2026-11-05T14:03:00', items: ITEMS }],
      { siteId: SITE_ID, eventType: 'purchase', id, products: [{ id: 1003, name: 'USB-удлинитель', price: 150.5, quantity: 2 }, { id: 'SKU-5', name: 'Наушники', price: 2000, quantity: 1 }] },
      { esputnik: 'sent', calltouch: 'sent' }],
  ];

  it.each(rows)('%s', async (_, body, esputnik, calltouch, answer) => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order(body)));
    expect(response.status).toBe(200);
    expect(response.body.orders).toHaveLength(1);
    const [got] = response.body.orders!;
    expect(got).toMatchObject({ id, status: body.status });
    for (const destination of ['esputnik', 'calltouch'] as const) {
      if (answer[destination] === 'sent') expect(got[destination]).toBe('sent');
      else expect(got[destination]).toMatch(/^skipped: ./);
    }
    const events = setup.events();
    if (esputnik) {
      expect(events).toHaveLength(1);
      expect(events[0].eventTypeKey).toBe(esputnik[0]);
      expect(events[0].keyValue).toBe(EMAIL);
      expect(paramsOf(events[0])).toEqual(esputnik[1]);
      expect(validateEsputnikEvent(events[0])).toEqual([]);
    } else expect(events).toEqual([]);
    if (calltouch) {
      expect(setup.calltouch()).toEqual([calltouch]);
      expect(validateCalltouch(setup.calltouch()[0])).toEqual([]);
    } else expect(setup.calltouch()).toEqual([]);
  });

  it('posts Calltouch seed 000’s headers: JSON, Accept: application/json, Cache-Control: no-cache', async () => {
    const { relay, sent } = setupBackOffice();
    await relay(order({ id: 'A-1', status: 'refunded' }));
    const call = sent.find((entry) => entry.url === CALLTOUCH_URL)!;
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('accept')).toBe('application/json');
    expect(call.headers.get('cache-control')).toBe('no-cache');
    expect(call.headers.get('authorization')).toBeNull();
    expect(call.redirect).toBe('manual');
  });

  it('adds the whole contact to eSputnik before an order event that may create the order, with the key', async () => {
    const { relay, contacts, sent } = setupBackOffice();
    await relay(order({ id: 'P-1', status: 'delivered', contact: { ...CONTACT, externalCustomerId: 'C-42' }, date: '2026-11-05T14:03:00', products: PRODUCTS }));
    expect(contacts()).toEqual([{ firstName: 'Анна', channels: [{ type: 'email', value: EMAIL }, { type: 'sms', value: '79001234567' }], externalCustomerId: 'C-42' }]);
    expect(validateEsputnikContact(contacts()[0])).toEqual([]);
    expect(sent.map((call) => call.url.split('/').slice(-2).join('/'))).toEqual(['v1/contact', 'v2/event']);
    expect(sent.every((call) => call.headers.get('authorization') === AUTHORIZATION)).toBe(true);
  });

  it('names the contact by externalCustomerId first, then email, then phone, as the tag does', async () => {
    for (const [contact, keyValue, param] of [
      [{ ...CONTACT, externalCustomerId: 42 }, '42', 'externalCustomerId'],
      [CONTACT, EMAIL, 'email'],
      [{ phone: '+7 900 123-45-67' }, '79001234567', 'phone'],
    ] as const) {
      const { relay, events } = setupBackOffice();
      await relay(order({ id: 'K-1', status: 'delivered', contact }));
      expect(events()[0]).toEqual({ eventTypeKey: 'orderDelivered', keyValue, params: [{ name: param, value: keyValue }, { name: 'externalOrderId', value: 'K-1' }] });
    }
  });

  it('without a contact, names the one whose page placed the order (the browser lane’s orderCreated)', async () => {
    const setup = setupBackOffice();
    const placed = tagBodies('email:anna@example.com', { orderId: 'W-7' }).orderCreated;
    expect((await setup.relay(post(placed))).status).toBe(200);
    const response = await read(await setup.relay(order({ id: 'W-7', status: 'delivered' })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent' });
    expect(setup.events().at(-1)).toEqual({ eventTypeKey: 'orderDelivered', keyValue: EMAIL, params: [{ name: 'email', value: EMAIL }, { name: 'externalOrderId', value: 'W-7' }] });
  });

  it('remembers the contact of an order no page placed, for a later change that names none', async () => {
    const setup = setupBackOffice();
    await setup.relay(order({ id: 'PH-2', status: 'delivered', origin: 'offline', contact: { phone: '79112223344' }, products: PRODUCTS }));
    const response = await read(await setup.relay(order({ id: 'PH-2', status: 'refunded' })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent' });
    expect(setup.events().at(-1)).toEqual({ eventTypeKey: 'orderCancelled', keyValue: '79112223344', params: [{ name: 'phone', value: '79112223344' }, { name: 'externalOrderId', value: 'PH-2' }] });
  });

  it('leaves a page’s order its shopper’s, whatever contact the back office names: the shopper’s own refund is still taken', async () => {
    const setup = setupBackOffice();
    const anna = tagBodies('email:anna@example.com', { orderId: 'W-8' });
    expect((await setup.relay(post(anna.orderCreated))).status).toBe(200);
    await setup.relay(order({ id: 'W-8', status: 'delivered', contact: { externalCustomerId: 'C-42' } }));
    expect((await setup.relay(post(anna.orderCancelled))).status).toBe(200);
  });

  it('without any contact: eSputnik refused (it files orders under contacts), Calltouch still gets the refund', async () => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order({ id: 'N-1', status: 'refunded' })));
    expect(response.status).toBe(200);
    expect(response.body.orders![0]).toEqual({
      id: 'N-1',
      status: 'refunded',
      esputnik: "refused: eSputnik files an order under its contact, and this order names none it can match: give contact.email, contact.phone or contact.externalCustomerId",
      calltouch: 'sent',
    });
    expect(setup.events()).toEqual([]);
  });

  it('a malformed email from the store’s data costs eSputnik that locator only, and says so', async () => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order({ id: 'M-1', status: 'delivered', contact: { email: 'anna@', phone: '79001234567' } })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent', notes: ['contact.email left out: it is not an email address'] });
    expect(setup.events()[0].keyValue).toBe('79001234567');
  });

  it('sends an order without items when a line lacks what seed 001 requires of an item, and says why', async () => {
    const setup = setupBackOffice();
    const lines = [{ id: 1, price: 10, quantity: 3 }];
    const response = await read(await setup.relay(order({ id: 'I-1', status: 'delivered', contact: CONTACT, products: lines })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent', notes: ["eSputnik's order goes without items: items[0].name is required"] });
    expect(paramsOf(setup.events()[0])).toEqual({ email: EMAIL, externalOrderId: 'I-1', status: 'DELIVERED', totalCost: '30' });
  });

  it('sends only to the destinations asked for', async () => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order({ id: 'D-1', status: 'refunded', contact: CONTACT, destinations: ['calltouch'] })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'skipped: not among the destinations asked for', calltouch: 'sent' });
    expect(setup.events()).toEqual([]);
  });

  it('without a Calltouch site id, Calltouch is skipped and says why', async () => {
    const setup = setupBackOffice({}, { backOffice: { token: TOKEN } });
    const response = await read(await setup.relay(order({ id: 'S-1', status: 'refunded', contact: CONTACT })));
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'skipped: RELAY_CALLTOUCH_SITE_ID is not set' });
    expect(setup.calltouch()).toEqual([]);
  });
});

describe('the back office: refusals', () => {
  const valid = { id: 'R-1', status: 'delivered', contact: CONTACT };
  type Case = [label: string, request: () => Request, status: number, errors: string[], headers?: Record<string, string>];
  const cases: Case[] = [
    ['no Authorization', () => order(valid, { Authorization: '' }), 401, ['the Authorization header must be: Bearer <RELAY_BACKOFFICE_TOKEN>'], { 'www-authenticate': 'Bearer realm="ecomtag back office"' }],
    ['Basic instead of Bearer', () => order(valid, { Authorization: `Basic ${btoa(`x:${TOKEN}`)}` }), 401, ['the Authorization header must be: Bearer <RELAY_BACKOFFICE_TOKEN>']],
    ['a wrong token', () => order(valid, { Authorization: `Bearer ${'0'.repeat(64)}` }), 401, ['the token is not RELAY_BACKOFFICE_TOKEN'], { 'www-authenticate': 'Bearer realm="ecomtag back office", error="invalid_token"' }],
    ['the token less its last character', () => order(valid, { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }), 401, ['the token is not RELAY_BACKOFFICE_TOKEN']],
    ['the token and more', () => order(valid, { Authorization: `Bearer ${TOKEN}0` }), 401, ['the token is not RELAY_BACKOFFICE_TOKEN']],
    ['the token in upper case', () => order(valid, { Authorization: `Bearer ${TOKEN.toUpperCase()}` }), 401, ['the token is not RELAY_BACKOFFICE_TOKEN']],
    ['a token of 10 KB', () => order(valid, { Authorization: `Bearer ${'a'.repeat(10240)}` }), 401, ['the token is not RELAY_BACKOFFICE_TOKEN']],
    ['GET', () => new Request('https://relay.example/backoffice/orders', { headers: { Authorization: `Bearer ${TOKEN}` } }), 405, ['only POST is accepted'], { allow: 'POST' }],
    ['OPTIONS (no CORS: no page calls it)', () => new Request('https://relay.example/backoffice/orders', { method: 'OPTIONS', headers: { Origin: 'https://shop.example' } }), 405, ['only POST is accepted']],
    ['text/plain', () => order(valid, { 'Content-Type': 'text/plain' }), 415, ['Content-Type must be application/json (UTF-8)']],
    ['JSON in another charset', () => order(valid, { 'Content-Type': 'application/json; charset=windows-1251' }), 415, ['Content-Type must be application/json (UTF-8)']],
    ['a form', () => order('id=1&status=delivered', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, ['Content-Type must be application/json (UTF-8)']],
    ['20481 bytes', () => order(JSON.stringify({ ...valid, pad: 'x'.repeat(20480) }).slice(0, 20481)), 413, ['the body must be at most 20480 bytes']],
    ['not JSON', () => order('{id: 1}'), 400, ['the body is not JSON']],
  ];

  it.each(cases)('%s', async (_, request, status, errors, headers = {}) => {
    const setup = setupBackOffice();
    const response = await setup.relay(request());
    expect(response.status).toBe(status);
    expect(((await response.json()) as { errors: string[] }).errors).toEqual(errors);
    for (const [name, value] of Object.entries(headers)) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(setup.sent).toEqual([]);
    expect(setup.requestLogs()).toMatchObject([{ status, level: 'warn', path: '/backoffice/orders' }]);
  });

  it('is not there (404) without a token configured, and the browser lane is unchanged', async () => {
    const setup = setupBackOffice({}, { backOffice: undefined });
    const response = await setup.relay(order(valid));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ['no back office here: the relay runs without RELAY_BACKOFFICE_TOKEN'] });
    expect(setup.sent).toEqual([]);
  });

  it('answers only at /backoffice/orders: elsewhere a Bearer token is nothing to the browser lane', async () => {
    const setup = setupBackOffice();
    expect((await setup.relay(order(valid, {}, '/ecomtag/backoffice/orders'))).status).toBe(403);
    expect(setup.sent).toEqual([]);
  });

  it('refuses a token shorter than 32 characters at start', () => {
    expect(() => setupBackOffice({}, { backOffice: { token: 'short' } })).toThrow('backOffice.token must be at least 32 characters');
    expect(() => setupBackOffice({}, { backOffice: { token: TOKEN, calltouchSiteId: 12.5 } })).toThrow("backOffice.calltouchSiteId must be a whole number, Calltouch's site id");
    expect(() => setupBackOffice({}, { backOffice: { token: TOKEN, calltouchUrl: 'ftp://x' } })).toThrow('backOffice.calltouchUrl must be an http(s) URL');
  });

  it('limits each client: 429 with Retry-After past its burst, before the body is read', async () => {
    const setup = setupBackOffice({}, { backOffice: { token: TOKEN, rateLimit: { burst: 2, perSecond: 0.5 } } });
    for (let i = 0; i < 2; i += 1) expect((await setup.relay(order({ id: `L-${i}`, status: 'cancelled' }), { client: '203.0.113.9' })).status).toBe(200);
    const limited = await setup.relay(order('not even JSON'), { client: '203.0.113.9' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    // Another client is not in that bucket.
    expect((await setup.relay(order({ id: 'L-9', status: 'cancelled' }), { client: '203.0.113.10' })).status).toBe(200);
  });

  const fields: Array<[string, unknown, string[]]> = [
    ['a string', '"delivered"', ['the body must be an order {id, status, …}, a list of orders, or {orders: [...]}']],
    ['nothing in it', {}, ['status is required', 'id is required']],
    ['an unknown status', { id: 1, status: 'shipped' }, ['status must be one of in_progress, delivered, cancelled, refunded, updated']],
    ['an id of 201 characters', { id: 'x'.repeat(201), status: 'delivered' }, ['id must be at most 200 characters']],
    ['an id with a line break', { id: 'A\n1', status: 'delivered' }, ['id must not contain control characters']],
    ['a fractional id', { id: 1.5, status: 'delivered' }, ['id must be a string or a whole number']],
    ['a list with a string in it', ['10031004'], ['orders[0]: an order must be an object']],
    ['a misspelt field', { id: 1, status: 'refunded', refunds: { products: [{ id: 1, quantity: 1 }] } }, ['refunds is not a field of an order (id, status, date, contact, products, refund, origin, destinations)']],
    ['a date without a time', { id: 1, status: 'delivered', date: '2026-11-05' }, ["date must be the order's date as YYYY-MM-DDTHH:mm:ss, in the store's time"]],
    ['a date that is none', { id: 1, status: 'delivered', date: '2026-02-30T10:00:00' }, ["date must be the order's date as YYYY-MM-DDTHH:mm:ss, in the store's time"]],
    ['contact not an object', { id: 1, status: 'delivered', contact: 'anna@example.com' }, ['contact must be an object']],
    ['a contact field of another name', { id: 1, status: 'delivered', contact: { mail: 'a@b.ru' } }, ['contact.mail is not a field of the contact (email, phone, externalCustomerId, name)']],
    ['an email that is an object', { id: 1, status: 'delivered', contact: { email: { a: 1 } } }, ['contact.email must be a string']],
    ['products not a list', { id: 1, status: 'updated', products: { id: 1 } }, ['products must be an array']],
    ['products empty', { id: 1, status: 'updated', products: [] }, ['products must not be empty']],
    ['a line without price and quantity', { id: 1, status: 'updated', products: [{ id: 7 }] }, ['products[0].price is required', 'products[0].quantity is required']],
    ['a decimal comma', { id: 1, status: 'updated', products: [{ id: 7, price: '150,50', quantity: 1 }] }, ['products[0].price must be a number from 0 to 1000000000 such as 150.50']],
    ['a negative price', { id: 1, status: 'updated', products: [{ id: 7, price: -1, quantity: 1 }] }, ['products[0].price must be a number from 0 to 1000000000 such as 150.50']],
    ['Infinity as a price', { id: 1, status: 'updated', products: [{ id: 7, price: '1e400', quantity: 1 }] }, ['products[0].price must be a number from 0 to 1000000000 such as 150.50']],
    ['a fractional quantity', { id: 1, status: 'updated', products: [{ id: 7, price: 1, quantity: 1.5 }] }, ['products[0].quantity must be a whole number from 1 to 100000']],
    ['a quantity of 0', { id: 1, status: 'updated', products: [{ id: 7, price: 1, quantity: 0 }] }, ['products[0].quantity must be a whole number from 1 to 100000']],
    ['a line without id', { id: 1, status: 'updated', products: [{ id: ' ', price: 1, quantity: 1 }] }, ['products[0].id is required']],
    ['a line field of another name', { id: 1, status: 'updated', products: [{ id: 7, price: 1, count: 2 }] }, ['products[0].count is not a field of a product (id, name, price, quantity, discount, url, imageUrl)', 'products[0].quantity is required']],
    ['a name that is a number', { id: 1, status: 'updated', products: [{ id: 7, price: 1, quantity: 1, name: 5 }] }, ['products[0].name must be a string']],
    ['501 lines', { id: 1, status: 'updated', products: Array.from({ length: 501 }, (_, i) => ({ id: i, price: 1, quantity: 1 })) }, ['products must have at most 500 lines']],
    ['updated without products', { id: 1, status: 'updated' }, ["products is required with status updated: the order's lines as they now stand"]],
    ['an offline order without products', { id: 1, status: 'delivered', origin: 'offline' }, ["products is required with origin offline: Calltouch's purchase lists them"]],
    ['an unknown origin', { id: 1, status: 'delivered', origin: 'phone' }, ['origin must be one of site, offline']],
    ['a refund with another status', { id: 1, status: 'cancelled', refund: {} }, ['refund goes only with status refunded']],
    ['a refund line without quantity', { id: 1, status: 'refunded', refund: { products: [{ id: 1003 }] } }, ['refund.products[0].quantity is required']],
    ['a refund line with a price', { id: 1, status: 'refunded', refund: { products: [{ id: 1003, quantity: 1, price: 5 }] } }, ['refund.products[0].price is not a field of a refunded line (id, quantity)']],
    ['unknown destinations', { id: 1, status: 'refunded', destinations: ['esputnik', 'mindbox'] }, ['destinations must list some of esputnik, calltouch, each once']],
    ['a destination twice', { id: 1, status: 'refunded', destinations: ['calltouch', 'calltouch'] }, ['destinations must list some of esputnik, calltouch, each once']],
  ];

  it.each(fields)('%s → 400 with one reason per field', async (_, body, errors) => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order(typeof body === 'string' ? body : body)));
    expect(response).toEqual({ status: 400, retryAfter: null, body: { errors } });
    expect(setup.sent).toEqual([]);
  });
});

describe('the back office: batches', () => {
  it('answers each order of a list, in its order; orders of one id one after another', async () => {
    const setup = setupBackOffice();
    const orders = [
      { id: 'B-1', status: 'delivered', contact: CONTACT },
      { id: 'B-2', status: 'refunded', contact: CONTACT },
      { id: 'B-1', status: 'refunded', contact: CONTACT, refund: { products: [{ id: 1003, quantity: 1 }] } },
    ];
    for (const body of [orders, { orders }]) {
      const { relay, events, calltouch } = setupBackOffice();
      const response = await read(await relay(order(body)));
      expect(response.status).toBe(200);
      expect(response.body.orders!.map((answer) => [answer.id, answer.status, answer.esputnik, answer.calltouch])).toEqual([
        ['B-1', 'delivered', 'sent', expect.stringMatching(/^skipped: /)],
        ['B-2', 'refunded', 'sent', 'sent'],
        ['B-1', 'refunded', expect.stringMatching(/^skipped: a partial refund/), 'sent'],
      ]);
      const b1 = events().filter((event) => paramsOf(event).externalOrderId === 'B-1');
      expect(b1.map((event) => event.eventTypeKey)).toEqual(['orderDelivered']);
      expect(calltouch().map((body) => body.id).sort()).toEqual(['B-1', 'B-2']);
    }
    expect(setup.sent).toEqual([]);
  });

  it('refuses a list with one bad order whole, naming the order; nothing is sent', async () => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order([{ id: 'G-1', status: 'delivered' }, { id: 'G-2', status: 'sent' }, { id: 'G-3', status: 'updated' }])));
    expect(response).toEqual({
      status: 400,
      retryAfter: null,
      body: {
        errors: [
          'orders[1] (order G-2): status must be one of in_progress, delivered, cancelled, refunded, updated',
          "orders[2] (order G-3): products is required with status updated: the order's lines as they now stand",
        ],
      },
    });
    expect(setup.sent).toEqual([]);
  });

  it('takes 100 orders, not 101, nor an empty list', async () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i, status: 'cancelled' }));
    const setup = setupBackOffice();
    expect((await read(await setup.relay(order(many(101))))).body).toEqual({ errors: ['a body carries at most 100 orders, this one 101'] });
    expect((await read(await setup.relay(order([])))).body).toEqual({ errors: ['the list of orders is empty'] });
    const hundred = await read(await setup.relay(order(many(100))));
    expect(hundred.status).toBe(200);
    expect(hundred.body.orders).toHaveLength(100);
    expect(setup.calltouch()).toHaveLength(100);
  });

  it('lists at most 20 reasons, then how many more', async () => {
    const setup = setupBackOffice();
    const response = await read(await setup.relay(order(Array.from({ length: 30 }, () => ({})))));
    expect(response.body.errors).toHaveLength(21);
    expect(response.body.errors![20]).toBe('and 40 more');
  });
});

describe('the back office: idempotent', () => {
  const delivered = { id: 'O-1', status: 'delivered', contact: CONTACT };

  it('the same change twice sends once, and answers sent both times', async () => {
    const setup = setupBackOffice();
    const refund = { id: 'O-1', status: 'refunded', contact: CONTACT, products: [PRODUCTS[1]], refund: { products: [{ id: 1003, quantity: 2 }] } };
    const first = await read(await setup.relay(order(refund)));
    const second = await read(await setup.relay(order(refund)));
    expect(first.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent' });
    expect(second.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent', notes: ["eSputnik's orderUpdated was sent before: not sent again", "Calltouch's refund was sent before: not sent again"] });
    expect(setup.events()).toHaveLength(1);
    expect(setup.calltouch()).toHaveLength(1);
  });

  it('two requests of the same change at once send it once', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const setup = setupBackOffice({ events: async () => (await held, new Response('{}')) });
    const both = Promise.all([setup.relay(order(delivered)), setup.relay(order(delivered))]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const answers = await Promise.all((await both).map(read));
    expect(answers.map((answer) => answer.body.orders![0].esputnik)).toEqual(['sent', 'sent']);
    expect(setup.events()).toHaveLength(1);
  });

  it('a change back to an earlier state is sent: delivered, cancelled, delivered again', async () => {
    const setup = setupBackOffice();
    for (const status of ['delivered', 'cancelled', 'delivered']) await setup.relay(order({ ...delivered, status }));
    expect(setup.events().map((event) => event.eventTypeKey)).toEqual(['orderDelivered', 'orderCancelled', 'orderDelivered']);
  });

  it('two partial refunds of one unit each are two refunds; the second sent again is one', async () => {
    const setup = setupBackOffice();
    const lines = (quantity: number) => [{ ...PRODUCTS[0], quantity }];
    const refund = (left: number) => ({ id: 'O-2', status: 'refunded', contact: CONTACT, products: lines(left), refund: { products: [{ id: 1003, quantity: 1 }] } });
    for (const body of [refund(3), refund(2), refund(2)]) await setup.relay(order(body));
    expect(setup.calltouch()).toEqual([
      { siteId: SITE_ID, eventType: 'refund', id: 'O-2', products: [{ id: 1003, quantity: 1 }] },
      { siteId: SITE_ID, eventType: 'refund', id: 'O-2', products: [{ id: 1003, quantity: 1 }] },
    ]);
    expect(setup.events().map((event) => paramsOf(event).totalCost)).toEqual(['420', '280']);
  });

  it("an offline order's purchase goes to Calltouch once, whatever statuses follow", async () => {
    const setup = setupBackOffice();
    const phone = { id: 'T-1', origin: 'offline', contact: CONTACT, products: PRODUCTS };
    for (const status of ['in_progress', 'delivered', 'updated']) await setup.relay(order({ ...phone, status }));
    expect(setup.calltouch().map((body) => body.eventType)).toEqual(['purchase']);
    expect(setup.events()).toHaveLength(3);
  });

  it('eSputnik’s "Duplicated request" counts as sent', async () => {
    const setup = setupBackOffice({ events: () => new Response('{"errorMessage":"Duplicated request"}', { status: 400 }) });
    const response = await read(await setup.relay(order(delivered)));
    expect(response.status).toBe(200);
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'sent', notes: ['eSputnik had the event already (400, "Duplicated request"): delivered'] });
  });

  it('a retried order goes again only to the destination that did not take it', async () => {
    let fail = true;
    const setup = setupBackOffice({ calltouch: () => new Response(fail ? 'busy' : '{}', { status: fail ? 503 : 200 }) });
    const refund = { id: 'O-3', status: 'refunded', contact: CONTACT };
    const first = await read(await setup.relay(order(refund)));
    expect(first.status).toBe(503);
    expect(first.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'retry: Calltouch answered 503' });
    fail = false;
    const second = await read(await setup.relay(order(refund)));
    expect(second.status).toBe(200);
    expect(second.body.orders![0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent' });
    expect(setup.events()).toHaveLength(1);
    expect(setup.calltouch()).toHaveLength(2);
  });
});

describe('the back office: each destination’s failures', () => {
  const refund = { id: 'F-1', status: 'refunded', contact: CONTACT };

  it.each<[string, Parameters<typeof setupBackOffice>[0], number, string | null, { esputnik: string; calltouch: string }]>([
    ['eSputnik 503 with Retry-After 7', { events: () => new Response('down', { status: 503, headers: { 'Retry-After': '7' } }) }, 503, '7', { esputnik: 'retry: eSputnik is unavailable; retry later', calltouch: 'sent' }],
    ['eSputnik 500', { events: () => new Response('oops', { status: 500 }) }, 503, '5', { esputnik: 'retry: eSputnik failed; retry later', calltouch: 'sent' }],
    ['eSputnik 429', { events: () => new Response('slow down', { status: 429, headers: { 'Retry-After': '3' } }) }, 429, '3', { esputnik: 'retry: eSputnik is rate limiting; retry later', calltouch: 'sent' }],
    ['eSputnik unreachable', { events: () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })) }, 503, '5', { esputnik: 'retry: eSputnik could not be reached; retry later', calltouch: 'sent' }],
    ['eSputnik 401 (the key)', { events: () => new Response('bad key', { status: 401 }) }, 503, '5', { esputnik: 'retry: the relay is misconfigured; retry later', calltouch: 'sent' }],
    ['eSputnik 400, in its own words', { events: () => new Response('{"error":"externalOrderId is too long"}', { status: 400 }) }, 200, null, { esputnik: 'refused: eSputnik refused the event (400): {"error":"externalOrderId is too long"}', calltouch: 'sent' }],
    ['Calltouch 500', { calltouch: () => new Response('oops', { status: 500 }) }, 503, '5', { esputnik: 'sent', calltouch: 'retry: Calltouch answered 500' }],
    ['Calltouch 429', { calltouch: () => new Response('', { status: 429, headers: { 'Retry-After': '9' } }) }, 429, '9', { esputnik: 'sent', calltouch: 'retry: Calltouch answered 429' }],
    ['Calltouch 400, in its own words', { calltouch: () => new Response('{"error":"siteId not found"}', { status: 400 }) }, 200, null, { esputnik: 'sent', calltouch: 'refused: Calltouch refused it (400): {"error":"siteId not found"}' }],
    ['Calltouch 404 (the URL)', { calltouch: () => new Response('', { status: 404 }) }, 503, '5', { esputnik: 'sent', calltouch: 'retry: the relay is misconfigured' }],
    ['both down', { events: () => new Response('', { status: 502 }), calltouch: () => new Response('', { status: 502 }) }, 503, '5', { esputnik: 'retry: eSputnik failed; retry later', calltouch: 'retry: Calltouch answered 502' }],
  ])('%s', async (_, upstreams, status, retryAfter, answer) => {
    const setup = setupBackOffice(upstreams);
    const response = await read(await setup.relay(order(refund)));
    expect({ status: response.status, retryAfter: response.retryAfter }).toEqual({ status, retryAfter });
    expect(response.body.orders![0]).toMatchObject(answer);
  });

  it('the contact call failing holds the order: retry, and the order is not sent', async () => {
    const setup = setupBackOffice({ contacts: () => new Response('', { status: 503 }) });
    const response = await read(await setup.relay(order({ id: 'F-2', status: 'delivered', contact: CONTACT, products: PRODUCTS })));
    expect(response.status).toBe(503);
    expect(response.body.orders![0]).toMatchObject({ esputnik: 'retry: eSputnik could not add the contact; retry later' });
    expect(setup.events()).toEqual([]);
  });

  it('once a destination fails, the rest of the list is not sent there: each answered retry', async () => {
    const setup = setupBackOffice({ calltouch: () => new Response('', { status: 503 }) });
    const orders = Array.from({ length: 20 }, (_, i) => ({ id: `F-${i}`, status: 'cancelled', contact: CONTACT }));
    const response = await read(await setup.relay(order(orders)));
    expect(response.status).toBe(503);
    expect(response.body.orders!.every((answer) => answer.calltouch === 'retry: Calltouch answered 503' && answer.esputnik === 'sent')).toBe(true);
    // At most one call per order being worked on at once.
    expect(setup.calltouch().length).toBeLessThanOrEqual(4);
    expect(setup.events()).toHaveLength(20);
  });

  it('a slow Calltouch is given up at the timeout: retry', async () => {
    const setup = setupBackOffice({ calltouch: (sent) => new Promise((_, reject) => sent.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))) }, { upstreamTimeoutMs: 50 });
    const response = await read(await setup.relay(order(refund)));
    expect(response.body.orders![0]).toMatchObject({ calltouch: 'retry: Calltouch did not answer in time' });
  });
});

describe('the back office: secrets', () => {
  it('the token and the API key are in no answer and no log line, whatever is sent and answered', async () => {
    // eSputnik and Calltouch echoing what they were sent, the Authorization header included.
    const echo = (sent: { headers: Headers; text: string }) => new Response(`${sent.headers.get('authorization')} ${sent.text} ${KEY}`, { status: 400 });
    const setup = setupBackOffice({ events: echo, contacts: echo, calltouch: echo });
    const texts: string[] = [];
    const requests = [
      order({ id: 'X-1', status: 'delivered', contact: CONTACT, products: PRODUCTS }),
      order({ id: 'X-2', status: 'refunded', contact: CONTACT }),
      order({ id: TOKEN, status: 'refunded' }),
      order({ id: 'X-3', status: TOKEN }),
      order({ id: 'X-4', status: 'delivered', [TOKEN]: 1 }),
      order({ id: 'X-5', status: 'delivered' }, { Authorization: `Bearer ${TOKEN.slice(0, 40)}` }),
      order({ id: 'X-6', status: 'delivered' }, { Authorization: `Bearer ${KEY}` }),
      order({ id: 'X-7', status: 'delivered' }, { Authorization: `Basic ${TOKEN}` }),
    ];
    for (const request of requests) {
      const response = await setup.relay(request);
      texts.push(JSON.stringify([...response.headers]), await response.text());
    }
    texts.push(...setup.logs.map((line) => JSON.stringify(line)));
    expect(setup.requestLogs()).toHaveLength(requests.length);
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.slice(0, 40));
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(AUTHORIZATION.slice(6));
    }
    // eSputnik's own words are there, the secrets taken out.
    expect(texts.join('\n')).toContain('[redacted]');
  });

  it('logs one line per request: path, status, no body, no contact, how each destination fared', async () => {
    const setup = setupBackOffice({ calltouch: () => new Response('', { status: 503 }) });
    await setup.relay(order([{ id: 'Y-1', status: 'refunded', contact: CONTACT }, { id: 'Y-2', status: 'delivered', contact: CONTACT }]), { client: '198.51.100.7' });
    const [line] = setup.requestLogs();
    expect(line).toMatchObject({
      level: 'error',
      msg: 'request',
      method: 'POST',
      path: '/backoffice/orders',
      status: 503,
      eventTypeKey: null,
      client: '198.51.100.7',
      upstream: 200,
      reason: '2 order(s): eSputnik sent 2; Calltouch retry 1 (Calltouch answered 503), skipped 1',
    });
    expect(JSON.stringify(line)).not.toMatch(/anna|79001234567|Анна/i);
  });
});

describe('the back office: its environment (npx ecomtag-relay)', () => {
  const required = { ESPUTNIK_API_KEY: 'k', RELAY_ALLOWED_ORIGINS: 'https://shop.example' };

  it('is off without RELAY_BACKOFFICE_TOKEN, and reads its settings with it', () => {
    expect(optionsFromEnv(required).options).not.toHaveProperty('backOffice');
    expect(optionsFromEnv({ ...required, RELAY_BACKOFFICE_TOKEN: TOKEN }).options?.backOffice).toEqual({ token: TOKEN, rateLimit: { burst: 20, perSecond: 5 } });
    expect(
      optionsFromEnv({
        ...required,
        RELAY_BACKOFFICE_TOKEN: TOKEN,
        RELAY_CALLTOUCH_SITE_ID: '25775',
        CALLTOUCH_URL: 'http://127.0.0.1:9/ecommerce.php',
        RELAY_BACKOFFICE_RATE_LIMIT_BURST: '3',
        RELAY_BACKOFFICE_RATE_LIMIT_PER_SECOND: '0.5',
      }).options?.backOffice,
    ).toEqual({ token: TOKEN, calltouchSiteId: 25775, calltouchUrl: 'http://127.0.0.1:9/ecommerce.php', rateLimit: { burst: 3, perSecond: 0.5 } });
  });

  it.each<[Record<string, string>, string[]]>([
    [{ RELAY_BACKOFFICE_TOKEN: 'short' }, ['RELAY_BACKOFFICE_TOKEN must be at least 32 characters (e.g. the output of openssl rand -hex 32)']],
    [{ RELAY_BACKOFFICE_TOKEN: TOKEN, RELAY_CALLTOUCH_SITE_ID: '12a' }, ["RELAY_CALLTOUCH_SITE_ID must be Calltouch's site id, a whole number"]],
    [{ RELAY_CALLTOUCH_SITE_ID: '25775', CALLTOUCH_URL: 'https://x' }, [
      'RELAY_CALLTOUCH_SITE_ID is a setting of the back office: set RELAY_BACKOFFICE_TOKEN too',
      'CALLTOUCH_URL is a setting of the back office: set RELAY_BACKOFFICE_TOKEN too',
    ]],
    [{ RELAY_BACKOFFICE_TOKEN: TOKEN, RELAY_BACKOFFICE_RATE_LIMIT_BURST: '0' }, ['RELAY_BACKOFFICE_RATE_LIMIT_BURST must be a whole number of at least 1']],
  ])('refuses %j, naming no value', (env, errors) => {
    expect(optionsFromEnv({ ...required, ...env })).toEqual({ options: null, errors });
  });
});
