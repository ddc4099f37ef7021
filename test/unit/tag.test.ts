import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi, type MockInstance } from 'vitest';
import { createCore } from '../../src/tag';
import { validateCalltouch } from '../support/calltouch-schema.mjs';

// The pipeline behind one global, in happy-dom, with fetch and sendBeacon recorded instead of sent.
const ENDPOINT = 'https://collector.test/calltouch/ecommerce.php';
const ACCOUNTS = [
  { modId: 'abcd1234', calltouch: { siteId: 12345 } },
  { modId: 'efgh5678', calltouch: {} },
];
const SESSIONS = '_ct=77; _ct_ids=abcd1234:12345:111_efgh5678:67890:222';

interface Sent {
  via: 'fetch' | 'beacon';
  url: string;
  body: Record<string, unknown>;
  init?: RequestInit;
}

let sent: Sent[];
let status: number[];
let errors: MockInstance;
let names = 0;

const setCookies = (cookies: string) => cookies.split('; ').forEach((cookie) => (document.cookie = cookie));
const clearCookies = () => document.cookie.split('; ').forEach((c) => (document.cookie = `${c.split('=')[0]}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`));

const setup = (config: Record<string, unknown> = {}, name = `t${names++}`) => {
  const core = createCore(window, { accounts: ACCOUNTS, calltouch: { endpoint: ENDPOINT, global: 'ctw', sessionWaitMs: 2000 }, ...config }, name);
  const ct = (...args: unknown[]) => core.handle(args);
  return Object.assign(ct, { flush: core.flush, ns: name });
};

const errorLines = () => errors.mock.calls.map((call) => call.join(' '));

beforeEach(() => {
  sent = [];
  status = [];
  localStorage.clear();
  setCookies(SESSIONS);
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ via: 'fetch', url: String(url), body: JSON.parse(String(init!.body)), init });
    return new Response('{}', { status: status.shift() || 200 });
  });
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    sent.push({ via: 'beacon', url: String(url), body: JSON.parse(String(body)) });
    return true;
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  clearCookies();
  delete (window as unknown as Record<string, unknown>).ctw;
});

describe('send_ecommerce', () => {
  it('posts the site event with keepalive and JSON headers', async () => {
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1003, name: 'USB-удлинитель', price: '150.50', quantity: 1 }] });
    await ct.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(ENDPOINT);
    expect(sent[0].init).toMatchObject({ method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
    expect(JSON.stringify(sent[0].body)).toBe(
      '{"siteId":12345,"sessionId":111,"modId":"abcd1234","ctClientId":"77","eventType":"addToCart","products":[{"id":"1003","name":"USB-удлинитель","price":150.5,"quantity":1}],"fio":null,"email":null,"phoneNumber":null,"comment":null,"addTags":[]}',
    );
    expect(validateCalltouch(sent[0].body)).toEqual([]);
  });

  it.each([
    ['no mod_id goes to the first account', ['send_ecommerce', 'detail', { products: [{ id: 1 }] }], { modId: 'abcd1234', sessionId: 111 }],
    ['a leading mod_id picks its account', ['efgh5678', 'send_ecommerce', 'detail', { products: [{ id: 1 }] }], { modId: 'efgh5678', sessionId: 222, siteId: 67890 }],
  ])('routes: %s', async (_, args, expected) => {
    const ct = setup();
    ct(...args);
    await ct.flush();
    expect(sent.map((s) => s.body)).toEqual([expect.objectContaining(expected)]);
  });

  it('sends calls in call order', async () => {
    const ct = setup();
    for (const method of ['detail', 'addToCart', 'checkout']) ct('send_ecommerce', method, { products: [{ id: 1 }] });
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    await ct.flush();
    expect(sent.map((s) => s.body.eventType)).toEqual(['detail', 'addToCart', 'checkout', 'purchase']);
  });

  it('puts the contact from set_contact into fio, email and phoneNumber, the phone in international digits', async () => {
    const ct = setup();
    ct('set_contact', { email: 'A@B.ru ' });
    ct('set_contact', { phone: '+7 (900) 123-45-67', name: 'Анна' });
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    await ct.flush();
    expect(sent[0].body).toMatchObject({ fio: 'Анна', email: 'a@b.ru', phoneNumber: '79001234567', manager: null });
  });

  // Seed 000 l.276: a refund is "a partial return or a refusal": a store refunds in parts.
  it('sends every other set of refunded lines, and the full refund after partial ones; a reload of any sends nothing', async () => {
    const ct = setup();
    const refunds = [
      { id: 'T1', products: [{ id: 1, quantity: 1 }] },
      { id: 'T1', products: [{ id: 2, quantity: 1 }, { id: 1, quantity: 1 }] },
      { id: 'T1', products: [{ id: 2, quantity: 2 }] },
      { id: 'T1' },
    ];
    for (const refund of refunds) ct('send_ecommerce', 'refund', refund);
    await ct.flush();
    const reloaded = setup({}, ct.ns);
    for (const refund of refunds) reloaded('send_ecommerce', 'refund', refund);
    // The same lines in another order are the same refund.
    reloaded('send_ecommerce', 'refund', { id: 'T1', products: [{ id: 1, quantity: 1 }, { id: 2, quantity: 1 }] });
    await reloaded.flush();
    expect(sent.map((s) => JSON.stringify(s.body.products))).toEqual(['[{"id":"1","quantity":1}]', '[{"id":"2","quantity":1},{"id":"1","quantity":1}]', '[{"id":"2","quantity":2}]', '[]']);
  });

  it('sends a purchase and a refund once per account and transaction, also after a reload', async () => {
    const ct = setup();
    const purchase = { id: 'T1', products: [{ id: 1, quantity: 1 }] };
    ct('send_ecommerce', 'purchase', purchase);
    ct('send_ecommerce', 'purchase', purchase);
    ct('efgh5678', 'send_ecommerce', 'purchase', purchase);
    ct('send_ecommerce', 'refund', { id: 'T1' });
    await ct.flush();
    const reloaded = setup({}, ct.ns);
    reloaded('send_ecommerce', 'purchase', purchase);
    await reloaded.flush();
    expect(sent.map((s) => [s.body.modId, s.body.eventType])).toEqual([
      ['abcd1234', 'purchase'],
      ['efgh5678', 'purchase'],
      ['abcd1234', 'refund'],
    ]);
  });
});

describe('bad calls', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const throwing = Object.defineProperty({}, 'products', {
    get() {
      throw new Error('getter exploded');
    },
  });
  it.each([
    [[], "ecomtag: t(): unknown command, and no Calltouch script at window.ctw"],
    [[null], 'ecomtag: t(): unknown command, and no Calltouch script at window.ctw'],
    [[Symbol('s')], 'ecomtag: t(): unknown command, and no Calltouch script at window.ctw'],
    [['send_ecommerce'], "ecomtag: t('send_ecommerce'): the method must be detail, addToCart, removeFromCart, checkout, purchase, refund, got undefined"],
    [['send_ecommerce', 'purchase', { products: [{ id: 1 }] }], "ecomtag: t('send_ecommerce', 'purchase'): id is required"],
    [['send_ecommerce', 'detail', undefined], "ecomtag: t('send_ecommerce', 'detail'): params must be an object, got undefined"],
    [['send_ecommerce', 'detail', () => 1], "ecomtag: t('send_ecommerce', 'detail'): params must be an object, got () => 1"],
    [['send_ecommerce', 'detail', cyclic], "ecomtag: t('send_ecommerce', 'detail'): products must not be empty"],
    [['send_ecommerce', 'detail', throwing], "ecomtag: t('send_ecommerce', 'detail'): getter exploded"],
    [['send_ecommerce', 'addToCart', { products: [{ id: 1, quantity: -2 }] }], "ecomtag: t('send_ecommerce', 'addToCart'): products[0].quantity must be a whole number >= 0, got -2"],
    [['zzzz9999', 'send_ecommerce', 'detail', { products: [{ id: 1 }] }], "ecomtag: t('zzzz9999', 'send_ecommerce', 'detail'): no account has mod_id \"zzzz9999\""],
    [[{}, 'send_ecommerce', 'detail', { products: [{ id: 1 }] }], "ecomtag: t('send_ecommerce', 'detail'): no account has mod_id an object"],
    [['set_contact', 'a@b.ru'], "ecomtag: t('set_contact', 'a@b.ru'): contact must be an object, got \"a@b.ru\""],
    [['send_ecommerce', 'detail', { products: [{ id: 1, name: 'x'.repeat(100000) }] }], "ecomtag: t('send_ecommerce', 'detail'): the event is 101075 bytes, over the 64 KB limit"],
  ])('%# prints one line and sends nothing', async (args, line) => {
    const ct = setup({}, 't');
    expect(() => ct(...args)).not.toThrow();
    await ct.flush();
    expect(errorLines()).toEqual([line]);
    expect(sent).toEqual([]);
  });

  it('refuses 5000 products as too large', () => {
    const ct = setup({}, 't');
    ct('send_ecommerce', 'purchase', { id: 1, products: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: 'Товар', price: 1, quantity: 1 })) });
    expect(errorLines()).toEqual([expect.stringMatching(/^ecomtag: t\('send_ecommerce', 'purchase'\): the event is \d+ bytes, over the/)]);
  });

  it('reports a configuration it cannot use once, and then ignores calls', () => {
    const core = createCore(window, { accounts: [{ modId: 'ABC' }] }, 'ct');
    core.handle(['send_ecommerce', 'detail', { products: [{ id: 1 }] }]);
    expect(errorLines()).toEqual(['ecomtag: ct is not set up: accounts[0].modId must be 8 characters of 0-9a-z, got "ABC"']);
    expect(sent).toEqual([]);
  });
});

describe('pass-through to Calltouch’s script', () => {
  it('hands any other command to calltouch.global and returns its answer', () => {
    const calls: unknown[][] = [];
    (window as unknown as Record<string, unknown>).ctw = (...args: unknown[]) => (calls.push(args), args[0] === 'calltracking_params' ? { sessionId: 1 } : undefined);
    const ct = setup();
    expect(ct('calltracking_params', 'abcd1234')).toEqual({ sessionId: 1 });
    expect(ct('abcd1234', 'goal', 'order')).toBeUndefined();
    expect(calls).toEqual([
      ['calltracking_params', 'abcd1234'],
      ['abcd1234', 'goal', 'order'],
    ]);
  });

  it('never hands a command to itself when Calltouch’s global has the same name', () => {
    const ct = setup({ calltouch: { endpoint: ENDPOINT } }, 'ct');
    (window as unknown as Record<string, unknown>).ct = Object.assign(() => 'loop', { ecomtag: 1 });
    expect(ct('goal', 'x')).toBeUndefined();
    expect(errorLines()).toEqual(["ecomtag: ct('goal', 'x'): unknown command, and no Calltouch script at window.ct"]);
    delete (window as unknown as Record<string, unknown>).ct;
  });
});

describe('waiting for Calltouch’s session', () => {
  beforeEach(() => {
    clearCookies();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  it('sends the site event once the session appears, without going offline', async () => {
    const ct = setup();
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1, quantity: 2 }] });
    await vi.advanceTimersByTimeAsync(1500);
    expect(sent).toEqual([]);
    setCookies(SESSIONS);
    await vi.advanceTimersByTimeAsync(600);
    await ct.flush();
    expect(sent.map((s) => [s.via, s.body.sessionId, s.body.eventType])).toEqual([['fetch', 111, 'purchase']]);
  });

  it('sends purchase and refund offline after sessionWaitMs where the account has a siteId', async () => {
    const ct = setup();
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    ct('send_ecommerce', 'refund', { id: 'T0' });
    ct('efgh5678', 'send_ecommerce', 'purchase', { id: 'T2', products: [{ id: 1 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    await vi.advanceTimersByTimeAsync(2100);
    await ct.flush();
    // Seed 000 l.256: the offline example's product id is a number.
    expect(sent.map((s) => JSON.stringify(s.body))).toEqual([
      '{"siteId":12345,"eventType":"purchase","id":"T1","products":[{"id":1,"quantity":1}]}',
      '{"siteId":12345,"eventType":"refund","id":"T0","products":[]}',
    ]);
    sent.forEach((s) => expect(validateCalltouch(s.body)).toEqual([]));
  });

  it('keeps other events for a later page’s session, in order', async () => {
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('efgh5678', 'send_ecommerce', 'purchase', { id: 'T2', products: [{ id: 1 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    await vi.advanceTimersByTimeAsync(5000);
    window.dispatchEvent(new Event('pagehide'));
    expect(sent).toEqual([]);
    setCookies(SESSIONS);
    const nextPage = setup({}, ct.ns);
    // The next page adopts what the first left, and acts on it once the adoption has settled.
    await vi.advanceTimersByTimeAsync(1600);
    await nextPage.flush();
    expect(sent.map((s) => [s.body.modId, s.body.eventType])).toEqual([
      ['abcd1234', 'detail'],
      ['efgh5678', 'purchase'],
      ['abcd1234', 'addToCart'],
    ]);
  });

  it('sends a waiting purchase offline by beacon when the page unloads', () => {
    const ct = setup();
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    window.dispatchEvent(new Event('pagehide'));
    expect(sent.map((s) => [s.via, JSON.stringify(s.body)])).toEqual([['beacon', '{"siteId":12345,"eventType":"purchase","id":"T1","products":[{"id":1,"quantity":1}]}']]);
  });
});

describe('delivery', () => {
  it('retries 503 and 429 with backoff, then sends in order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    status = [503, 429];
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2 }] });
    await ct.flush();
    await vi.advanceTimersByTimeAsync(5000);
    await ct.flush();
    expect(sent.map((s) => s.body.eventType)).toEqual(['detail', 'detail', 'detail', 'addToCart']);
  });

  it('sends once every call of the task is taken, however the work is sliced: a contact given after a call rides on it', async () => {
    // A clock that moves 3 ms a look: each 5 ms slice takes one job, so the call and the contact are taken in
    // different tasks, and a letter sent as soon as it was stored would leave without the contact.
    let clock = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => (clock += 3));
    const ct = setup();
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    ct('set_contact', { email: 'a@b.ru' });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].body).toMatchObject({ eventType: 'addToCart', email: 'a@b.ru' });
  });

  it('drops an event a collector refuses with another 4xx', async () => {
    status = [400];
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2 }] });
    await ct.flush();
    expect(sent.map((s) => s.body.eventType)).toEqual(['detail', 'addToCart']);
    expect(Object.keys(localStorage).filter((key) => key.includes(':o:'))).toEqual([]);
  });

  it('beacons what is not yet sent when the page unloads, and never again afterwards', async () => {
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    window.dispatchEvent(new Event('pagehide'));
    await ct.flush();
    await setup({}, ct.ns).flush();
    expect(sent.map((s) => s.via)).toEqual(['beacon']);
  });

  it('sends a call made after its pagehide (another listener) by beacon at once, without beating again; after pageshow by fetch', async () => {
    const ct = setup();
    window.dispatchEvent(new Event('pagehide'));
    ct('send_ecommerce', 'purchase', { id: 'T-late', products: [{ id: 1 }] });
    expect(sent.map((s) => [s.via, s.body.id])).toEqual([['beacon', 'T-late']]);
    expect(Object.keys(localStorage).filter((key) => key.startsWith(`ecomtag:${ct.ns}:`))).toEqual([`ecomtag:${ct.ns}:sent`]);
    window.dispatchEvent(new Event('pageshow'));
    ct('send_ecommerce', 'detail', { products: [{ id: 2 }] });
    await ct.flush();
    expect(sent.map((s) => s.via)).toEqual(['beacon', 'fetch']);
  });

  it('goes on in memory when storage throws', async () => {
    // Where storage is blocked, merely reading window.localStorage throws.
    const storage = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    onTestFinished(() => void Object.defineProperty(window, 'localStorage', storage));
    const ct = setup();
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] });
    await ct.flush();
    expect(sent.map((s) => s.body.eventType)).toEqual(['purchase']);
    expect(errorLines()).toEqual([]);
  });
});

describe('debug mode', () => {
  it.each([
    ['debug: true', { debug: true }, ''],
    ['?ecomtag_debug=1', {}, '?ecomtag_debug=1'],
  ])('%s logs every call and delivery', async (_, config, search) => {
    history.replaceState(null, '', search || location.pathname);
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const ct = setup(config, 'dbg');
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    await ct.flush();
    expect(debug.mock.calls.map((call) => String(call[0]))).toEqual([
      "ecomtag[dbg] dbg('send_ecommerce', 'detail')",
      expect.stringMatching(/^ecomtag\[dbg\] sent: \{"siteId":12345/),
    ]);
    history.replaceState(null, '', location.pathname);
  });
});
