// eSputnik's Generate event v2 in Chromium, end to end (issues 3, 13): the page's tag posts to the real relay
// process (`dist/relay.mjs`, started as `npx ecomtag-relay` would be), which checks the signed identity the store's
// server rendered into the page, adds Basic auth and forwards to the stand-in eSputnik upstream; that one refuses a
// wrong key, checks every body against seeds 001/002 and keeps contacts and orders as the real one does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ESPUTNIK_API_KEY } from '../support/collector.mjs';
import { identity } from '../support/identity.mjs';
import { generated, paramsOf, shopper, storeConfig, storePage as store, useRelay } from '../support/relay-scenario.mjs';
import { flush, quiet, tagReady, useScenario } from '../support/scenario.mjs';
import { startSite, type Site } from '../support/site.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
const KEY = DEFAULT_ESPUTNIK_API_KEY;
const ours = useRelay(s);
// A tight rate limit, for the refusal table's flood.
const strict = useRelay(s, { RELAY_RATE_LIMIT_BURST: '3', RELAY_RATE_LIMIT_PER_SECOND: '0.1' });
let foreign: Site;

beforeAll(async () => {
  foreign = await startSite({ root: '.' });
});
afterAll(async () => {
  await foreign?.close();
});

const storePage = (path: string, head = '', calltouch = true) => store(s.h, path, storeConfig(s.h, { format: 'event', relay: ours.relay, calltouch }), head);

describe('Generate event v2 through the relay', () => {
  it('holds events until set_contact gives a contact, across pages, then sends them in order', async () => {
    const first = storePage('/catalog');
    // The shopper logs in: the account page is rendered with her contact and the identity the server signed for it.
    const second = storePage('/account', shopper({ email: 'anna@example.com', phone: '79001234567' }));
    const tab = await s.context.newPage();
    await tab.goto(first);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'detail', { products: [{ id: 'WS01-L-Green', price: 45.5, isInStock: 1 }] });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'WS01-L-Green', price: 45.5, name: 'Mug' }] });
    });
    await flush(tab);
    expect(generated(await quiet(s.h.collector, 800))).toEqual([]);
    await tab.goto(second);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 10, quantity: 2, name: 'Cable' }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3, timeout: 8000 });
    const bodies = generated(await quiet(s.h.collector, 800));
    expect(bodies.map((b) => [b.eventTypeKey, b.keyValue])).toEqual([
      ['productViewed', 'anna@example.com'],
      ['cartUpdated', 'anna@example.com'],
      ['cartUpdated', 'anna@example.com'],
    ]);
    expect(paramsOf(bodies[0]).product).toBe('{"productId":"WS01-L-Green","price":45.5,"isInStock":1}');
    expect(JSON.parse(paramsOf(bodies[2]).products!)).toEqual([
      { productId: 'WS01-L-Green', quantity: 1, price: 45.5, name: 'Mug' },
      { productId: '2', quantity: 2, price: 10, name: 'Cable' },
    ]);
    expect(paramsOf(bodies[2]).recycleStateId).toBe(paramsOf(bodies[1]).recycleStateId);
    // The stand-in demands the key as Basic auth: every one of them was let in.
    expect(s.h.collector.all.filter((r) => r.service === 'esputnik-event' && r.status !== 200)).toEqual([]);
  });

  it('purchase: orderCreated once under the cart’s recycleStateId, also after a reload; the cart closed; a full refund cancels it; the next cart has a new id', async () => {
    // A customer the store's CRM has put in eSputnik already; the relay updates her before her first order.
    s.h.collector.esputnik.addKnownContact({ email: 'olga@example.com', externalCustomerId: 'C-42' });
    const url = storePage('/thanks', shopper({ email: 'olga@example.com' }));
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab);
    const shop = s.h.site.url;
    await tab.evaluate((shop) => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 100, name: 'Kettle' }] });
      ct('send_ecommerce', 'purchase', {
        id: 'V2-1',
        products: [{ id: 1, price: 100, quantity: 2, name: 'Kettle', url: `${shop}/1`, imageUrl: `${shop}/1.jpg` }],
      });
    }, shop);
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3 });
    await tab.reload();
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'V2-1', products: [{ id: 1, price: 100, quantity: 2, name: 'Kettle' }] });
      ct('send_ecommerce', 'refund', { id: 'V2-1' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 3, price: 5, name: 'Cup' }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 5 });
    await flush(tab);
    const bodies = generated(await quiet(s.h.collector, 800));
    expect(bodies.map((b) => b.eventTypeKey)).toEqual(['cartUpdated', 'orderCreated', 'cartUpdated', 'orderCancelled', 'cartUpdated']);
    const bought = paramsOf(bodies[0]).recycleStateId;
    expect(Object.fromEntries(bodies[1].params.filter((p) => p.name !== 'date').map((p) => [p.name, p.value]))).toEqual({
      email: 'olga@example.com',
      externalOrderId: 'V2-1',
      totalCost: '200',
      status: 'INITIALIZED',
      currency: 'RUB',
      recycleStateId: bought,
      items: JSON.stringify([{ externalItemId: '1', name: 'Kettle', quantity: 2, cost: 100, url: `${shop}/1`, imageUrl: `${shop}/1.jpg` }]),
    });
    // Seed 002 l.252: the bought cart, closed empty under its own id; the next cart is a new one.
    expect([paramsOf(bodies[2]).recycleStateId, paramsOf(bodies[2]).products]).toEqual([bought, '[]']);
    expect(paramsOf(bodies[4]).recycleStateId).not.toBe(bought);
    // What eSputnik kept: the order, with its items, under the CRM's contact (not a second one), then cancelled.
    expect(s.h.collector.esputnik.contacts).toHaveLength(1);
    expect(s.h.collector.esputnik.order('V2-1')).toMatchObject({
      status: 'CANCELLED', totalCost: '200', recycleStateId: bought, contact: { externalCustomerId: 'C-42' },
      history: [{ eventTypeKey: 'orderCreated', status: 'INITIALIZED' }, { eventTypeKey: 'orderCancelled', status: 'CANCELLED' }],
    });
    expect(s.h.collector.esputnik.order('V2-1')?.items).toHaveLength(1);
  });

  it('an upstream answering 503 is passed back as retryable: the tag retries and the event arrives once', async () => {
    // An account without Calltouch, so the simulated 503 can only meet the relay's forward.
    const url = storePage('/retry', shopper({ phone: '79001234567' }), false);
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab);
    s.h.collector.failNext(1, 503);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'detail', { products: [{ id: 'R', price: 1 }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { timeout: 8000 });
    const all = (await quiet(s.h.collector, 800)).filter((r) => r.service === 'esputnik-event');
    expect(all.map((r) => [r.status, r.kind])).toEqual([
      [503, 'productViewed'],
      [200, 'productViewed'],
    ]);
    expect(all[1].raw).toBe(all[0].raw);
    expect(await ours.relay.waitForLog((l) => l.status === 503)).toMatchObject({ upstream: 503 });
  });
});

describe('what the relay refuses, as a browser meets it', () => {
  const signed = (body: object) => JSON.stringify({ ...body, identity: identity('email:a@b.ru') });
  const validBody = signed({ eventTypeKey: 'orderCancelled', keyValue: 'a@b.ru', params: [{ name: 'email', value: 'a@b.ru' }, { name: 'externalOrderId', value: '1' }] });
  const orderWithoutParams = { eventTypeKey: 'orderCreated', keyValue: 'a@b.ru', params: [{ name: 'email', value: 'a@b.ru' }] };

  it.each([
    ['GET', 405, { method: 'GET' }],
    ['a body over 20 KB', 413, { method: 'POST', body: JSON.stringify({ eventTypeKey: 'pageViewed', keyValue: 'a', params: [{ name: 'x', value: 'x'.repeat(21000) }] }) }],
    ['an XML body', 415, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<event/>' }],
    ['an unknown eventTypeKey', 400, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"eventTypeKey":"somethingElse","keyValue":"a@b.ru","params":[]}' }],
    // The identity is checked before an event's own rules: an unsigned caller learns nothing of them.
    ['an unsigned order without its required params', 403, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(orderWithoutParams) }],
    ['a signed order without its required params', 400, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: signed(orderWithoutParams) }],
    ['not JSON', 400, { method: 'POST', body: '{' }],
  ])('%s → %i, readable by the page (CORS) and without the key', async (name, status, init) => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/refusals', html({})));
    const answer = await tab.evaluate(async ([url, init]) => {
      const response = await fetch(url, init as RequestInit);
      return { status: response.status, text: await response.text(), headers: [...response.headers].join(' ') };
    }, [ours.relay.url + '/ecomtag/relay', init] as const);
    expect(answer.status).toBe(status);
    expect(answer.text + answer.headers).not.toContain(KEY);
    if (name.includes('unsigned order')) expect(JSON.parse(answer.text)).toEqual({ errors: ['identity is missing'] });
    if (name.startsWith('a signed order')) expect(answer.text).toMatch(/externalOrderId/);
    expect(s.h.collector.all.filter((record) => record.service === 'esputnik-event')).toEqual([]);
  });

  it('a page of another origin: 403, and the browser does not let it read the answer', async () => {
    const tab = await s.context.newPage();
    await tab.goto(foreign.page('/elsewhere', html({})));
    const failed = await tab.evaluate(async ([url, body]) => fetch(url, { method: 'POST', body }).then(() => false, () => true), [ours.relay.url + '/ecomtag/relay', validBody] as const);
    expect(failed).toBe(true);
    const line = await ours.relay.waitForLog((l) => l.status === 403 && l.reason === 'origin not allowed');
    expect(line).toMatchObject({ status: 403 });
    expect(s.h.collector.all.filter((record) => record.service === 'esputnik-event')).toEqual([]);
  });

  it('a flood from one client: 429 with Retry-After once its bucket is empty', async () => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/flood', html({})));
    const answers = await tab.evaluate(async ([url, body]) => {
      const out: Array<[number, string | null]> = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(url, { method: 'POST', body });
        out.push([response.status, response.headers.get('Retry-After')]);
      }
      return out;
    }, [strict.relay.url + '/ecomtag/relay', validBody] as const);
    expect(answers.slice(0, 3).map(([status]) => status)).toEqual([200, 200, 200]);
    expect(answers.slice(3).map(([status]) => status)).toEqual([429, 429, 429]);
    expect(Number(answers[3][1])).toBeGreaterThan(0);
  });
});
