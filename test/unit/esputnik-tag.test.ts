import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCore } from '../../src/tag';
import { validateEsputnikEvent, validateEsputnikTracker } from '../support/esputnik-schema.mjs';

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

type Body = Record<string, Record<string, unknown> & { Products?: unknown[] }> & { eventTypeKey?: string; keyValue?: string; params?: Array<{ name: string; value: string }> };
let sent: Array<{ url: string; body: Body }>;
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
  localStorage.clear();
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(String(init!.body)) });
    return new Response('{}', { status: 200 });
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
    const tabB = setup({}, tabA.ns);
    tabB('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    tabA('send_ecommerce', 'addToCart', { products: [{ id: 3, price: 1 }] });
    await Promise.all([tabA.flush(), tabB.flush()]);
    expect(tracker().map(cartOf)).toEqual([[['1', 1]], [['1', 1], ['2', 1]], [['1', 1], ['2', 1], ['3', 1]]]);
  });

  it('sends the order, empties the cart, and starts the next cart afresh', async () => {
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    await ct.flush();
    const [, order, next] = tracker();
    expect(order.PurchasedItems).toEqual({ Products: [{ product_id: '1', unit_price: '10', quantity: 1 }], OrderNumber: 'O-1' });
    expect(cartOf(next)).toEqual([['2', 1]]);
  });

  it.each([
    ['tracker', {}],
    ['event', { esputnik: { format: 'event', endpoint: RELAY } }],
  ])('in the %s format, makes a uuid only for a cart change, never for looking or buying', async (format, config) => {
    const ct = setup(config);
    ct('set_contact', { email: 'a@b.ru' }); // in the tracker format, makes the visitor's sc cookie
    const uuids = vi.spyOn(crypto, 'getRandomValues');
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }, { id: 2, price: 5 }] });
    ct('send_ecommerce', 'purchase', { id: 'O-0', products: [{ id: 1, price: 10, name: 'A' }] });
    expect(uuids).toHaveBeenCalledTimes(1); // the purchase renews the cart's id (recycleStateId)
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
    expect(uuids).toHaveBeenCalledTimes(format == 'tracker' ? 2 : 1); // the tracker's cart state GUID
    await ct.flush();
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

  it('sends nothing to eSputnik for accounts without it, and routes by mod_id', async () => {
    const ct = setup();
    ct('efgh5678', 'send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('abcd1234', 'send_ecommerce', 'detail', { products: [{ id: 2, price: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'R-1' });
    await ct.flush();
    expect(tracker().map((b) => (b.ProductPage.Product as { productKey: string }).productKey)).toEqual(['2']);
    expect(errorLines()).toEqual([]);
  });

  it.each([
    [['send_ecommerce', 'detail', { products: [{ id: 1 }] }], "ecomtag: e(…'send_ecommerce', 'detail'): products[0].price is required by eSputnik"],
    [['send_ecommerce', 'purchase', { id: 'O', products: [{ id: 1, price: 1 }, { id: 2 }] }], "ecomtag: e(…'send_ecommerce', 'purchase'): products[1].price is required by eSputnik"],
  ])('refuses a product eSputnik cannot price: %j', async (args, line) => {
    const ct = setup();
    ct(...args);
    ct('send_ecommerce', 'removeFromCart', { products: [{ id: 1 }] });
    await ct.flush();
    expect(errorLines().map((l) => l.replace(/^ecomtag: e\d+\(/, 'ecomtag: e(…'))).toEqual([line]);
    expect(tracker().map((b) => b.GeneralInfo.eventName)).toEqual(['StatusCart']);
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
    ]);
    // The cart as it stood at each call, and a new recycleStateId after the purchase.
    expect(JSON.parse(param(bodies[1], 'products')!)).toEqual([{ productId: '1', quantity: 1, price: 10 }]);
    expect(JSON.parse(param(bodies[3], 'products')!)).toEqual([{ productId: '2', quantity: 1, price: 3 }]);
    expect(param(bodies[3], 'recycleStateId')).not.toBe(param(bodies[1], 'recycleStateId'));
    bodies.forEach((b) => expect(validateEsputnikEvent(b)).toEqual([]));
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

  it('cancels the order on a full refund and sends nothing for a partial one', async () => {
    const ct = events();
    ct('set_contact', { phone: '79001234567' });
    ct('send_ecommerce', 'refund', { id: 'O-1', products: [{ id: 1, quantity: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'O-2' });
    await ct.flush();
    expect(relay().map((b) => [b.eventTypeKey, param(b, 'externalOrderId')])).toEqual([['orderCancelled', 'O-2']]);
  });

  it('needs a name for every order item', async () => {
    const ct = events();
    ct('send_ecommerce', 'purchase', { id: 'O-1', products: [{ id: 1, price: 10 }] });
    expect(errorLines()).toEqual([expect.stringMatching(/: products\[0\]\.name is required by eSputnik$/)]);
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
