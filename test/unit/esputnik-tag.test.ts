import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCore } from '../../src/tag';
import { validateEsputnikEvent, validateEsputnikTracker } from '../support/esputnik-schema.mjs';
import { forwarded } from './relay-view';

// eSputnik's half of the pipeline in happy-dom: the cart across calls, pages and tabs, the `sc` cookie, the
// contact, and Generate event bodies waiting for a contact. fetch and sendBeacon are recorded, not sent.
const TRACKER = 'https://collector.test/esputnik/tracker';
const RELAY = 'https://shop.test/ecomtag/relay';
const CALLTOUCH = 'https://collector.test/calltouch/ecommerce.php';
const ACCOUNTS = [
  { modId: 'abcd1234', calltouch: false, esputnik: { siteId: '8A412DC' } },
  { modId: 'efgh5678', calltouch: {} },
];
const SC = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;
/** Two signed identities, as a store's server issues them (SPEC §6): base64url(JSON {sub, exp}) "." signature. */
const IDENTITY = 'eyJzdWIiOiJlbWFpbDphbm5hQGV4YW1wbGUucnUiLCJleHAiOjE4OTM0NTYwMDB9.' + 'A'.repeat(43);
const IDENTITY_2 = 'eyJzdWIiOiJlbWFpbDphbm5hQGV4YW1wbGUucnUiLCJleHAiOjE4OTM0NTk2MDB9.' + 'B'.repeat(43);

type Body = Record<string, Record<string, unknown> & { Products?: unknown[] }> & { eventTypeKey?: string; keyValue?: string; params?: Array<{ name: string; value: string }> };
let sent: Array<{ url: string; body: Body }>;
/** The status each next request gets (200 once they run out). */
let status: number[];
let errors: MockInstance;
let names = 0;

const clearCookies = () => document.cookie.split('; ').forEach((c) => (document.cookie = `${c.split('=')[0]}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`));

const setup = (config: Record<string, unknown> = {}, name = `e${names++}`) => {
  const core = createCore(window, { accounts: ACCOUNTS, calltouch: { endpoint: CALLTOUCH, global: 'ctw', sessionWaitMs: 0 }, esputnik: { endpoint: TRACKER }, ...config }, name);
  return Object.assign((...args: unknown[]) => core.handle(args), { flush: core.flush, ns: name });
};
const events = (config: Record<string, unknown> = {}, name?: string) => setup({ esputnik: { format: 'event', endpoint: RELAY }, ...config }, name);

const tracker = () => sent.filter((s) => s.url === TRACKER).map((s) => s.body);
const relay = () => sent.filter((s) => s.url === RELAY).map((s) => s.body);
const cartOf = (body: Body) => (body.StatusCart.Products as Array<{ productKey: string; quantity: number }>).map((p) => [p.productKey, p.quantity]);
const param = (body: Body, name: string) => body.params!.find((p) => p.name === name)?.value;

beforeEach(() => {
  sent = [];
  status = [];
  localStorage.clear();
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(String(init!.body)) });
    return new Response('{}', { status: status.shift() || 200 });
  });
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    sent.push({ url: String(url), body: JSON.parse(String(body)) });
    return true;
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  clearCookies();
});

describe('tracker format', () => {
  it('builds the cart over calls: the whole cart each time, a new GUID for every change', async () => {
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5, quantity: 2 }] });
    ct('send_ecommerce', 'removeFromCart', { products: [{ id: 1 }] });
    await ct.flush();
    const bodies = tracker();
    expect(bodies.map(cartOf)).toEqual([[['1', 1]], [['1', 1], ['2', 2]], [['2', 2]]]);
    expect(new Set(bodies.map((b) => b.StatusCart.GUID)).size).toBe(3);
    bodies.forEach((b) => expect(validateEsputnikTracker(b)).toEqual([]));
  });

  it('keeps the cart across pages and tabs: a change in one is the base of the next in another', async () => {
    const tabA = setup();
    tabA('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    await tabA.flush();
    const tabB = setup({}, tabA.ns);
    tabB('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    await tabB.flush();
    // What the browser tells the other tabs of tab B's write. Both tabs share this window, so both hear it.
    const key = `ecomtag:${tabA.ns}:cart:abcd1234`;
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: localStorage.getItem(key) }));
    tabA('send_ecommerce', 'addToCart', { products: [{ id: 3, price: 1 }] });
    await tabA.flush();
    expect(tracker().map(cartOf)).toEqual([[['1', 1]], [['1', 1], ['2', 1]], [['1', 1], ['2', 1], ['3', 1]]]);
  });

  it('sends the order under the GUID of the last StatusCart, empties the cart, and starts the next cart afresh', async () => {
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10, quantity: 2 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    await ct.flush();
    const [, last, order, next] = tracker();
    // reference/esputnik.md §1: the purchase belongs to the last cart state; then a new cart starts.
    expect(order.PurchasedItems).toEqual({ Products: [{ product_id: '1', unit_price: '10', quantity: 2 }], OrderNumber: 'O-1', GUID: last.StatusCart.GUID });
    expect(cartOf(next)).toEqual([['2', 1]]);
    expect(next.StatusCart.GUID).not.toBe(last.StatusCart.GUID);
  });

  it.each([
    ['tracker', {}],
    ['event', { esputnik: { format: 'event', endpoint: RELAY } }],
  ])('in the %s format, makes a uuid only for a cart, never for looking', async (format, config) => {
    const ct = setup(config);
    ct('set_contact', { email: 'a@b.ru' }); // in the tracker format, makes the visitor's sc cookie
    await ct.flush();
    const uuids = vi.spyOn(crypto, 'getRandomValues');
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }, { id: 2, price: 5 }] });
    await ct.flush();
    expect(uuids).toHaveBeenCalledTimes(0);
    ct('send_ecommerce', 'purchase', { id: 'O-0', products: [{ id: 1, price: 10, name: 'A' }] });
    await ct.flush();
    expect(uuids).toHaveBeenCalledTimes(1); // a purchase with no cart before it: the id its order carries
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    await ct.flush();
    // The cart after a purchase is a new one; the tracker's every state has its GUID, the event format's cart one id.
    expect(uuids).toHaveBeenCalledTimes(format == 'tracker' ? 3 : 2);
  });

  it('creates one first-party sc cookie and keeps it', async () => {
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'detail', { products: [{ id: 2, price: 10 }] });
    await ct.flush();
    const [first, second] = tracker().map((b) => (b.GeneralInfo.cookies as { sc: string }).sc);
    expect(first).toMatch(SC);
    expect(second).toBe(first);
    expect(document.cookie).toContain(`sc=${first}`);
    // The next page (another namespace, so not from the tag's storage) finds it in the cookie.
    const next = setup();
    next('send_ecommerce', 'detail', { products: [{ id: 3, price: 10 }] });
    await next.flush();
    expect((tracker()[2].GeneralInfo.cookies as { sc: string }).sc).toBe(first);
  });

  it("uses eSputnik's own sc cookie when its script set one", async () => {
    document.cookie = 'sc=ESPUTNIK-OWN-COOKIE; path=/';
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    await ct.flush();
    expect(tracker()[0].GeneralInfo.cookies).toEqual({ sc: 'ESPUTNIK-OWN-COOKIE' });
  });

  it('sends CustomerData when the contact changes, and the contact rides on every later event', async () => {
    const ct = setup();
    ct('set_contact', { email: 'a@b.ru', name: 'Анна' });
    ct('set_contact', { email: 'a@b.ru' });
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('set_contact', { phone: '79001234567' });
    await ct.flush();
    const bodies = tracker();
    expect(bodies.map((b) => b.GeneralInfo.eventName)).toEqual(['CustomerData', 'ProductPage', 'CustomerData']);
    expect(bodies[1].GeneralInfo).toMatchObject({ user_email: 'a@b.ru', user_name: 'Анна' });
    expect(bodies[2].GeneralInfo).toMatchObject({ user_email: 'a@b.ru', user_phone: '79001234567' });
  });

  it('a call one destination cannot use still reaches the others: Calltouch gets a detail without a price', async () => {
    document.cookie = '_ct=77; path=/';
    document.cookie = '_ct_ids=abcd1234:12345:111; path=/';
    const ct = setup({ accounts: [{ modId: 'abcd1234', calltouch: {}, esputnik: { siteId: '8A412DC' } }] });
    ct('send_ecommerce', 'detail', { products: [{ id: 1003, name: 'USB' }] });
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1003, quantity: 1 }] });
    await ct.flush();
    expect(sent.filter((s) => s.url === CALLTOUCH).map((s) => s.body.eventType)).toEqual(['detail', 'purchase']);
    expect(tracker()).toEqual([]);
    expect(errorLines().map((l) => l.replace(/^ecomtag: e\d+\(/, 'ecomtag: e(…'))).toEqual([
      "ecomtag: e(…'send_ecommerce', 'detail'): not sent to eSputnik: products[0].price is required",
      "ecomtag: e(…'send_ecommerce', 'purchase'): not sent to eSputnik: products[0].price is required",
    ]);
  });

  it('sends the contact with its phone in international digits and its email lower-cased, never the identity', async () => {
    const ct = setup();
    ct('set_contact', { phone: '+7 (900) 123-45-67', email: ' Anna@Example.RU ', identity: IDENTITY });
    ct('set_contact', { identity: IDENTITY_2 });
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    await ct.flush();
    // A new identity alone is no news for CustomerData.
    expect(tracker().map((b) => b.GeneralInfo)).toEqual([
      expect.objectContaining({ eventName: 'CustomerData', user_phone: '79001234567', user_email: 'anna@example.ru' }),
      expect.objectContaining({ eventName: 'ProductPage', user_phone: '79001234567', user_email: 'anna@example.ru' }),
    ]);
    expect(JSON.stringify(sent)).not.toContain('identity');
  });

  it('sends nothing to eSputnik for accounts without it, and routes by mod_id', async () => {
    const ct = setup();
    ct('efgh5678', 'send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('abcd1234', 'send_ecommerce', 'detail', { products: [{ id: 2, price: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'R-1' });
    await ct.flush();
    expect(tracker().map((b) => (b.ProductPage.Product as { productKey: string }).productKey)).toEqual(['2']);
    expect(errorLines()).toEqual([]);
  });

  // Seeds 001/002 require a price of every product eSputnik is shown; a removal's cart keeps it (SPEC §3).
  it.each([
    [['send_ecommerce', 'detail', { products: [{ id: 1 }] }], "ecomtag: e(…'send_ecommerce', 'detail'): not sent to eSputnik: products[0].price is required"],
    [['send_ecommerce', 'addToCart', { products: [{ id: 1, price: 1 }, { id: 2 }] }], "ecomtag: e(…'send_ecommerce', 'addToCart'): not sent to eSputnik: products[1].price is required"],
    [['send_ecommerce', 'checkout', { products: [{ id: 1 }] }], "ecomtag: e(…'send_ecommerce', 'checkout'): not sent to eSputnik: products[0].price is required"],
    [['send_ecommerce', 'purchase', { id: 'O', products: [{ id: 1, price: 1 }, { id: 2 }] }], "ecomtag: e(…'send_ecommerce', 'purchase'): not sent to eSputnik: products[1].price is required"],
  ])('skips what eSputnik cannot price with one line, and moves no cart for it: %j', async (args, line) => {
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct(...args);
    ct('send_ecommerce', 'removeFromCart', { products: [{ id: 1 }] });
    await ct.flush();
    expect(errorLines().map((l) => l.replace(/^ecomtag: e\d+\(/, 'ecomtag: e(…'))).toEqual([line]);
    expect(tracker().map(cartOf)).toEqual([[['1', 1]], []]);
  });
});

describe('event format', () => {
  it('holds events until set_contact gives a contact, then sends them in order', async () => {
    const ct = events();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10, name: 'A' }] });
    await ct.flush();
    expect(relay()).toEqual([]);
    ct('set_contact', { name: 'Анна' });
    await ct.flush();
    expect(relay()).toEqual([]);
    ct('set_contact', { email: 'a@b.ru' });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 3 }] });
    await ct.flush();
    const bodies = relay();
    expect(bodies.map((b) => [b.eventTypeKey, b.keyValue])).toEqual([
      ['productViewed', 'a@b.ru'],
      ['cartUpdated', 'a@b.ru'],
      ['orderCreated', 'a@b.ru'],
      ['cartUpdated', 'a@b.ru'],
      ['cartUpdated', 'a@b.ru'],
    ]);
    // The cart as it stood at each call: the order under the bought cart's recycleStateId, that cart closed
    // empty under the same id (seed 002 l.252, l.280-281), and a new id for the next cart.
    const bought = param(bodies[1], 'recycleStateId');
    expect(JSON.parse(param(bodies[1], 'products')!)).toEqual([{ productId: '1', quantity: 1, price: 10 }]);
    expect([param(bodies[2], 'recycleStateId'), param(bodies[3], 'recycleStateId'), param(bodies[3], 'products')]).toEqual([bought, bought, '[]']);
    expect(JSON.parse(param(bodies[4], 'products')!)).toEqual([{ productId: '2', quantity: 1, price: 3 }]);
    expect(param(bodies[4], 'recycleStateId')).not.toBe(bought);
    bodies.forEach((b) => expect(validateEsputnikEvent(forwarded(b as never))).toEqual([]));
  });

  it('keeps waiting events for a later page, which sends them once a contact is known', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ct = events();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    window.dispatchEvent(new Event('pagehide'));
    const nextPage = events({}, ct.ns);
    nextPage('set_contact', { externalCustomerId: '42' });
    // The next page adopts what the first left and acts once the adoption has settled.
    await vi.advanceTimersByTimeAsync(1200);
    await nextPage.flush();
    expect(relay().map((b) => [b.eventTypeKey, b.keyValue])).toEqual([['cartUpdated', '42']]);
  });

  it('sends a later page’s own event behind the ones it adopted from the page before, in call order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ct = events();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    window.dispatchEvent(new Event('pagehide'));
    const nextPage = events({}, ct.ns);
    nextPage('set_contact', { email: 'a@b.ru' });
    nextPage('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    await nextPage.flush();
    expect(relay()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1200);
    await nextPage.flush();
    expect(relay().map((b) => [b.eventTypeKey, JSON.parse(param(b, 'products') || '[]').length])).toEqual([
      ['productViewed', 0],
      ['cartUpdated', 1],
      ['cartUpdated', 2],
    ]);
  });

  it('cancels the order on a full refund, also after partial ones, and sends nothing for a partial one', async () => {
    const ct = events();
    ct('set_contact', { phone: '+7 900 123-45-67' });
    ct('send_ecommerce', 'refund', { id: 'O-1', products: [{ id: 1, quantity: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'O-1', products: [{ id: 2, quantity: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'O-1' });
    ct('send_ecommerce', 'refund', { id: 'O-2' });
    await ct.flush();
    expect(relay().map((b) => [b.eventTypeKey, b.keyValue, param(b, 'externalOrderId')])).toEqual([
      ['orderCancelled', '79001234567', 'O-1'],
      ['orderCancelled', '79001234567', 'O-2'],
    ]);
  });

  it('never loses a purchase to a missing name, url or picture: the order goes, with what the store gave', async () => {
    const ct = events();
    ct('set_contact', { email: 'a@b.ru' });
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10, quantity: 2 }] });
    await ct.flush();
    expect(errorLines()).toEqual([]);
    const [order] = relay();
    expect(order.params!.map((p) => p.name)).toEqual(['email', 'externalOrderId', 'totalCost', 'status', 'date', 'currency', 'recycleStateId', 'items']);
    expect([param(order, 'totalCost'), param(order, 'items')]).toEqual(['20', '[{"externalItemId":"1","quantity":2,"cost":10}]']);
    expect(validateEsputnikEvent(forwarded(order as never))).toEqual([]);
  });

  it('sends the signed identity beside every body, the newest given, with the one locator it signs', async () => {
    const ct = events();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('set_contact', { externalCustomerId: '42', email: 'anna@example.ru', identity: IDENTITY });
    await ct.flush();
    ct('set_contact', { identity: IDENTITY_2 });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    await ct.flush();
    expect(relay().map((b) => [b.eventTypeKey, b.keyValue, b.params!.filter((p) => ['externalCustomerId', 'email', 'phone'].includes(p.name)).map((p) => p.name), b.identity])).toEqual([
      ['productViewed', '42', ['externalCustomerId'], IDENTITY],
      ['cartUpdated', '42', ['externalCustomerId'], IDENTITY_2],
    ]);
  });

  it('drops a letter the relay refuses (403: a retry cannot help) with one console line, and goes on', async () => {
    const ct = events();
    ct('set_contact', { email: 'a@b.ru' });
    status = [403];
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'detail', { products: [{ id: 2, price: 10 }] });
    await ct.flush();
    await ct.flush();
    expect(relay().map((b) => JSON.parse(param(b, 'product')!).productId)).toEqual(['1', '2']);
    expect(errorLines()).toEqual([`ecomtag: refused: ${JSON.stringify(relay()[0])}`]);
    expect(Object.keys(localStorage).filter((key) => key.includes(':o:'))).toEqual([]);
  });

  it('never evicts an order to make room for cart events while waiting for a contact', async () => {
    const ct = events();
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10, name: 'A' }] });
    for (let i = 0; i < 120; i++) ct('send_ecommerce', 'addToCart', { products: [{ id: i, price: 1 }] });
    ct('set_contact', { email: 'a@b.ru' });
    await ct.flush();
    const bodies = relay();
    expect(bodies).toHaveLength(100);
    expect(bodies[0].eventTypeKey).toBe('orderCreated');
    expect(JSON.parse(param(bodies[99], 'products')!)).toHaveLength(120);
  });
});

function errorLines() {
  return errors.mock.calls.map((call) => call.join(' '));
}
