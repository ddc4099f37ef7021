import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { installGlobal } from '../../src/install/global';
import type { AnyBody } from '../support/bodies';
import { validateCalltouch } from '../support/calltouch-schema.mjs';
import { validateEsputnikEvent, validateEsputnikTracker } from '../support/esputnik-schema.mjs';
import type { EsputnikEvent } from '../../src/wire';
import { forwarded } from './relay-view';

// Property-based fuzzing of the global (issue 5): thousands of random calls — valid ones, and every kind of
// junk a page could pass (wrong types, numbers as strings, NaN, huge strings, nested junk, symbols, getters
// that throw anything, cycles, proxies, sparse arrays) — through the installed global in happy-dom, for each
// way an account can deliver. Nothing may throw out of the global; every body that leaves must pass the
// stand-in collector's schema; a valid call is never refused and always reaches its collectors; a bad call
// explains itself in one console line. fast-check prints the seed and the shrunk calls of a failure; replay
// with FUZZ_SEED=<seed> (FUZZ_RUNS to change the number of runs).
const CALLTOUCH = 'https://collector.test/calltouch/ecommerce.php';
const TRACKER = 'https://collector.test/esputnik/tracker';
const RELAY = 'https://shop.test/ecomtag/relay';
const MOD_A = 'abcd1234';
const MOD_B = 'efgh5678';
const SESSIONS = ['_ct=77', '_ct_ids=abcd1234:12345:111_efgh5678:67890:222'];
const CALLS_PER_RUN = 10;
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

type Format = 'calltouch' | 'tracker' | 'event';
type Method = 'detail' | 'addToCart' | 'removeFromCart' | 'checkout' | 'purchase' | 'refund';
const METHODS: Method[] = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];

/** The three ways an account delivers: Calltouch alone; with eSputnik's tracker; with eSputnik's events (relay). */
const configOf = (format: Format) => ({
  accounts: [
    { modId: MOD_A, calltouch: { siteId: 12345 }, esputnik: format == 'calltouch' ? false : { siteId: '8A412DC' } },
    { modId: MOD_B, calltouch: {} },
  ],
  calltouch: { endpoint: CALLTOUCH, global: 'ctw', sessionWaitMs: 0 },
  esputnik: format == 'event' ? { format: 'event', endpoint: RELAY } : { endpoint: TRACKER },
});

const VALIDATORS: Record<string, (body: unknown) => string[]> = {
  [CALLTOUCH]: validateCalltouch,
  [TRACKER]: validateEsputnikTracker,
  // Judged as the relay forwards it to eSputnik (relay-view.ts).
  [RELAY]: (body) => validateEsputnikEvent(forwarded(body as EsputnikEvent)),
};

// ---------------------------------------------------------------------------------------------------------
// Valid calls. Their product and transaction ids are replaced by unique markers when a run starts, so what
// each one produced can be found among the bodies; junk never contains the marker character.

const MARK = '✓';

/**
 * What makes a product usable by an account's eSputnik delivery: a price (not for a removal). Names, urls and
 * pictures are descriptive: eSputnik takes the order without them.
 */
interface Needs {
  price: boolean;
}

const amount = fc.oneof(
  fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 1e6 }),
  fc.integer({ min: 0, max: 1e7 }).map((cents) => String(cents / 100)),
  fc.integer({ min: 0, max: 99999 }).map((n) => ` ${n}.50 `),
);
const count = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }).map(String));
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(Number));

const validProduct = (needs: Needs, quantity: boolean) =>
  fc.record(
    {
      id: fc.oneof(fc.constant('string id'), fc.constant('number id')),
      name: text,
      price: amount,
      brand: text,
      category: text,
      variant: text,
      margin: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.integer().map(String)),
      quantity: count,
      url: fc.webUrl(),
      imageUrl: fc.webUrl(),
      discount: amount,
      isInStock: fc.constantFrom(true, false, 0, 1, '0', '1'),
      // Unknown fields are never read, whatever they hold.
      extra: fc.anything(),
    },
    { requiredKeys: ['id', ...(needs.price ? (['price'] as const) : []), ...(quantity ? (['quantity'] as const) : [])] },
  );

interface ValidCall {
  kind: 'valid';
  modId?: string;
  method: Method;
  params: { id?: unknown; products?: ReadonlyArray<Record<string, unknown>> | null };
}
interface ContactCall {
  kind: 'contact';
  contact: Record<string, unknown>;
}
interface JunkCall {
  kind: 'junk';
  args: unknown[];
}
type Call = ValidCall | ContactCall | JunkCall;

const validCall = (format: Format): fc.Arbitrary<ValidCall> =>
  fc
    .tuple(fc.constantFrom(undefined, MOD_A, MOD_B), fc.constantFrom(...METHODS), fc.boolean())
    .chain(([modId, method, withProducts]) => {
      const esputnik = format != 'calltouch' && modId != MOD_B;
      const needs = { price: esputnik && method != 'removeFromCart' && method != 'refund' };
      const products = fc.array(validProduct(needs, method == 'refund'), { minLength: method == 'refund' && !withProducts ? 0 : 1, maxLength: method == 'refund' && !withProducts ? 0 : 3 });
      const id = fc.constantFrom('string id', 'number id');
      const params =
        method == 'refund'
          ? fc.record({ id, products: withProducts ? products : fc.constantFrom(undefined, null, []) })
          : method == 'purchase'
            ? fc.record({ id, products })
            : fc.record({ products });
      return params.map((p): ValidCall => ({ kind: 'valid', modId, method, params: p }));
    });

const validContact: fc.Arbitrary<ContactCall> = fc
  .record(
    {
      email: fc.emailAddress(),
      phone: fc.oneof(fc.stringMatching(/^7\d{10}$/), fc.integer({ min: 1, max: 2 ** 40 })),
      externalCustomerId: fc.oneof(fc.stringMatching(/^\w{1,12}$/), fc.integer({ min: 0, max: 1e9 })),
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((name) => name.trim() !== ''),
    },
    { requiredKeys: [] },
  )
  .filter((contact) => Object.keys(contact).length > 0)
  .map((contact) => ({ kind: 'contact', contact }));

// ---------------------------------------------------------------------------------------------------------
// Junk: anything a page could pass, and things built to hurt. Hostile values are made only when a run
// starts (fast-check itself would trip over a proxy that throws), from boxes that print as what they make.

class Box {
  constructor(
    readonly label: string,
    readonly make: () => unknown,
  ) {}

  [fc.toStringMethod]() {
    return this.label;
  }
}

/** Values a getter, a trap or a polyfill may throw: not all of them Errors, some of them hostile themselves. */
const THROWN: Array<[string, () => unknown]> = [
  ['an Error', () => new Error('getter exploded')],
  ['a TypeError', () => new TypeError('type')],
  ['a string', () => 'a string'],
  ['a symbol', () => Symbol('thrown')],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['an object', () => ({ toString: () => 'an object' })],
  [
    'an object whose toString throws',
    () => ({
      toString() {
        throw new Error('toString');
      },
    }),
  ],
  [
    'a proxy whose getPrototypeOf throws',
    () =>
      new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('getPrototypeOf');
          },
        },
      ),
  ],
  [
    'a revoked proxy',
    () => {
      const revocable = Proxy.revocable({}, {});
      revocable.revoke();
      return revocable.proxy;
    },
  ],
  [
    'an Error whose message throws',
    () => {
      const error = new Error('sneaky');
      Object.defineProperty(error, 'message', {
        get() {
          throw error;
        },
      });
      return error;
    },
  ],
];

const throwingGetter = (key: string, what: unknown) =>
  Object.defineProperty({ products: [{ id: 1, price: 1, quantity: 1 }], id: 'T' }, key, {
    enumerable: true,
    get() {
      throw what;
    },
  });

const hostileTraps = (what: unknown): ProxyHandler<object> => {
  const trap = () => {
    throw what;
  };
  return { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap };
};

const cyclic = () => {
  const product: Record<string, unknown> = { id: 1, price: 1 };
  product.self = product;
  const params: Record<string, unknown> = { id: 'C', products: [product] };
  (params.products as unknown[]).push(params);
  return params;
};

const HOSTILE_SHAPES: Array<[string, (what: unknown) => unknown]> = [
  ...['products', 'id'].map((key): [string, (what: unknown) => unknown] => [`params whose ${key} getter throws`, (what) => throwingGetter(key, what)]),
  ...['id', 'price', 'quantity', 'name', 'isInStock'].map((key): [string, (what: unknown) => unknown] => [
    `a product whose ${key} getter throws`,
    (what) => ({ id: 'G', products: [throwingGetter(key, what)] }),
  ]),
  ['a proxy whose traps throw', (what) => new Proxy({}, hostileTraps(what))],
  ['an array proxy whose traps throw', (what) => new Proxy([], hostileTraps(what))],
  ['products as a proxy whose traps throw', (what) => ({ products: new Proxy([{ id: 1, price: 1 }], hostileTraps(what)) })],
  ['a product as a proxy whose traps throw', (what) => ({ products: [new Proxy({ id: 1, price: 1 }, hostileTraps(what))] })],
];

const OTHER_HOSTILE: Array<[string, () => unknown]> = [
  ['cyclic params', cyclic],
  ['a symbol', () => Symbol('s')],
  ['a BigInt', () => 2n ** 70n],
  ['a function', () => () => 1],
  ['an invalid Date', () => new Date(NaN)],
  ['a Map', () => new Map([['products', []]])],
  ['the window', () => window],
  ['a string of 70,000 characters', () => 'x'.repeat(70000)],
  ['a product name of 40,000 Cyrillic letters', () => ({ id: 'H', products: [{ id: 1, price: 1, name: 'я'.repeat(40000) }] })],
  ['own __proto__ keys', () => JSON.parse('{"__proto__": {"id": 1}, "products": [{"__proto__": {"price": 1}, "id": 2}]}')],
  ['params inherited from a prototype', () => Object.create({ products: [{ id: 1 }] })],
  [
    'a proxy that answers anything',
    () => new Proxy({}, { get: (_, key) => (key == 'products' ? [{ id: 1, price: 1, quantity: 1 }] : key == 'id' ? 'P' : undefined) }),
  ],
];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: HOSTILE_SHAPES.length - 1 }), fc.integer({ min: 0, max: THROWN.length - 1 }))
    .map(([shape, what]) => new Box(`${HOSTILE_SHAPES[shape][0]} (throwing ${THROWN[what][0]})`, () => HOSTILE_SHAPES[shape][1](THROWN[what][1]()))),
  fc.integer({ min: 0, max: OTHER_HOSTILE.length - 1 }).map((i) => new Box(OTHER_HOSTILE[i][0], OTHER_HOSTILE[i][1])),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 1.5, 1e400),
  fc.constantFrom('', ' ', 'NaN', '1e400', '0x10', '-1', '1,5', '150.50', '\u0000', '__proto__', 'constructor'),
  // Sparse arrays: holes where products should be.
  fc.sparseArray(fc.record({ id: fc.integer(), price: fc.nat(), quantity: fc.nat() }), { maxLength: 4 }).map((products) => ({ id: 'S', products })),
);

/** The run's arguments, hostile values made: plain arrays (holes kept) and plain objects are copied with their boxes opened. */
const made = (value: unknown): unknown => {
  if (value instanceof Box) return value.make();
  if (Array.isArray(value)) return value.map(made);
  if (value && typeof value == 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const copy = Object.create(Object.getPrototypeOf(value));
    for (const key of Object.keys(value)) Object.defineProperty(copy, key, { value: made((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
};

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }) },
  { weight: 3, arbitrary: hostile },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        id: fc.oneof(fc.anything(), hostile),
        products: fc.oneof(fc.array(fc.oneof(fc.anything(), hostile, fc.dictionary(fc.constantFrom('id', 'price', 'quantity', 'name', 'margin', 'isInStock', 'discount'), fc.oneof(fc.anything(), hostile)))), fc.anything(), hostile),
      },
      { requiredKeys: [] },
    ),
  },
);

const junkCall: fc.Arbitrary<JunkCall> = fc
  .oneof(
    fc.tuple(fc.constant('send_ecommerce'), fc.oneof(fc.constantFrom(...METHODS), junkValue), junkValue),
    fc.tuple(fc.constantFrom(MOD_A, MOD_B, 'zzzz9999'), fc.constant('send_ecommerce'), fc.oneof(fc.constantFrom(...METHODS), junkValue), junkValue),
    fc.tuple(fc.constant('set_contact'), junkValue),
    fc.tuple(fc.oneof(fc.constantFrom('goal', 'calltracking_params', 'send_ecommerce', 'set_contact'), junkValue), junkValue),
    fc.array(junkValue, { maxLength: 6 }),
  )
  .map((args) => ({ kind: 'junk', args }));

const callsFor = (format: Format) =>
  fc.array(fc.oneof({ weight: 5, arbitrary: validCall(format) }, { weight: 1, arbitrary: validContact }, { weight: 5, arbitrary: junkCall }), {
    minLength: CALLS_PER_RUN,
    maxLength: CALLS_PER_RUN,
  });

// ---------------------------------------------------------------------------------------------------------
// The harness: the real global, installed as the data-attribute install does, with fetch and sendBeacon
// recorded. Every run gets a global (and so a storage namespace) of its own.

interface Sent {
  url: string;
  body: string;
}
let sent: Sent[];
let errors: MockInstance;
let runs = 0;

type Global = ((...args: unknown[]) => unknown) & { flush(): Promise<void> };

const install = (format: Format): Global => {
  const name = `fz${runs++}`;
  const script = document.createElement('script');
  script.setAttribute('data-name', name);
  script.setAttribute('data-config', JSON.stringify(configOf(format)));
  installGlobal(window, script);
  return (window as unknown as Record<string, Global>)[name];
};

beforeEach(() => {
  localStorage.clear();
  SESSIONS.forEach((cookie) => (document.cookie = cookie));
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ url: String(url), body: String(init!.body) });
    return new Response('{}');
  });
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    sent.push({ url: String(url), body: String(body) });
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(window)) if (/^fz\d+$/.test(key)) delete (window as unknown as Record<string, unknown>)[key];
});

/** Replaces the placeholders of valid calls by unique markers: string ids `✓<n>`, number ids 900000000 + n. */
const mark = (calls: Call[]): Call[] => {
  let n = 0;
  const id = (placeholder: unknown) => (placeholder == 'number id' ? 9e8 + n++ : `${MARK}${n++}`);
  return calls.map((call) =>
    call.kind != 'valid'
      ? call
      : {
          ...call,
          params: {
            ...call.params,
            ...('id' in call.params ? { id: id(call.params.id) } : {}),
            products: call.params.products && call.params.products.map((product) => ({ ...product, id: id(product.id) })),
          },
        },
  );
};

/** What a valid call must produce at each collector, as the ids in the bodies show it (cart states excepted). */
const expectations = (format: Format, call: ValidCall) => {
  const ids = (call.params.products || []).map((product) => String(product.id));
  const id = String(call.params.id);
  const calltouch = call.method == 'purchase' || call.method == 'refund' ? `${call.method} ${id}` : `${call.method} ${ids.join(',')}`;
  const esputnik = format != 'calltouch' && call.modId != MOD_B;
  // eSputnik counts every ordered item 1 or more: an order of nothing but zero-unit lines is not one.
  const bought = (call.params.products || []).some((product) => product.quantity === undefined || +(product.quantity as string) > 0);
  const others: string[] = [];
  if (esputnik && format == 'tracker') {
    if (call.method == 'detail') others.push(...ids.map((product) => `ProductPage ${product}`));
    if (call.method == 'purchase' && bought) others.push(`PurchasedItems ${id}`);
  }
  if (esputnik && format == 'event') {
    if (call.method == 'detail') others.push(...ids.map((product) => `productViewed ${product}`));
    if (call.method == 'purchase' && bought) others.push(`orderCreated ${id}`);
    if (call.method == 'refund' && !ids.length) others.push(`orderCancelled ${id}`);
  }
  return { calltouch: [calltouch], others };
};

/** The ids a body carries, in the form `expectations` writes them. */
const describeBody = (url: string, body: AnyBody): string => {
  if (url == CALLTOUCH) return body.eventType == 'purchase' || body.eventType == 'refund' ? `${body.eventType} ${body.id}` : `${body.eventType} ${body.products!.map((p) => p.id).join(',')}`;
  if (url == TRACKER) {
    const name = body.GeneralInfo!.eventName;
    return `${name} ${name == 'ProductPage' ? body.ProductPage!.Product.productKey : name == 'PurchasedItems' ? body.PurchasedItems!.OrderNumber : ''}`;
  }
  const param = (key: string) => body.params!.find((p) => p.name == key)?.value;
  const key = body.eventTypeKey!;
  return `${key} ${key == 'productViewed' ? JSON.parse(param('product')!).productId : key.startsWith('order') ? param('externalOrderId') : ''}`;
};

const runCalls = async (format: Format, calls: Call[]) => {
  sent = [];
  errors.mockClear();
  // Each run on its own: storage left by earlier runs would only make every scan of it slower.
  localStorage.clear();
  const ct = install(format);
  const valid: ValidCall[] = [];
  for (const call of mark(calls)) {
    const before = errors.mock.calls.length;
    const args = call.kind == 'junk' ? (made(call.args) as unknown[]) : call.kind == 'contact' ? ['set_contact', call.contact] : [...(call.modId ? [call.modId] : []), 'send_ecommerce', call.method, call.params];
    expect(() => ct(...args)).not.toThrow();
    const lines = errors.mock.calls.slice(before).map((line) => line.map(String).join(' '));
    // A bad call explains itself in one line; a valid one is never refused.
    if (call.kind == 'junk') expect(lines.length).toBeLessThanOrEqual(1);
    else expect(lines).toEqual([]);
    if (call.kind == 'valid') valid.push(call);
  }
  // Event-format letters wait for a contact: this one releases them all.
  if (format == 'event') ct('set_contact', { externalCustomerId: 'fuzz' });
  await ct.flush();

  const bodies = sent.map(({ url, body }) => ({ url, body: JSON.parse(body) as AnyBody }));
  for (const { url, body } of bodies) expect(VALIDATORS[url](body), `${url} ${JSON.stringify(body)}`).toEqual([]);
  const seen = (url: string) => bodies.filter((b) => b.url == url).map((b) => describeBody(url, b.body));
  const calltouch = seen(CALLTOUCH);
  const others = seen(format == 'event' ? RELAY : TRACKER);
  for (const call of valid) {
    const expected = expectations(format, call);
    for (const line of expected.calltouch) expect(calltouch.filter((c) => c == line), `Calltouch: ${line}`).toHaveLength(1);
    for (const line of expected.others) expect(others.filter((c) => c == line), `eSputnik: ${line}`).toHaveLength(1);
  }
  return { calls: calls.length, bodies: bodies.length };
};

describe.each<Format>(['calltouch', 'tracker', 'event'])('%s: random calls through the global', (format) => {
  it(`${RUNS * CALLS_PER_RUN} calls: nothing throws, every body is valid, no valid call is refused or lost`, { timeout: 600000 }, async () => {
    let total = 0;
    let bodies = 0;
    await fc.assert(
      fc.asyncProperty(callsFor(format), async (calls) => {
        const outcome = await runCalls(format, calls);
        total += outcome.calls;
        bodies += outcome.bodies;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(total).toBeGreaterThanOrEqual(RUNS * CALLS_PER_RUN);
    expect(bodies).toBeGreaterThan(0);
  });
});

// What the fuzzing found, as fixed cases.
describe('found by fuzzing', () => {
  const valid = ['send_ecommerce', 'detail', { products: [{ id: 'after', price: 1 }] }];
  const bodies = (url: string) => sent.filter((s) => s.url == url).map((s) => s.body);

  it.each(THROWN.map(([label, make]) => [label, make]))('a getter throwing %s: one console line, nothing thrown into the page', async (_, make) => {
    sent = [];
    const ct = install('tracker');
    expect(() => ct('send_ecommerce', 'purchase', throwingGetter('products', make()))).not.toThrow();
    expect(() => ct('set_contact', throwingGetter('email', make()))).not.toThrow();
    expect(errors.mock.calls.map((line) => String(line[0]))).toEqual([
      expect.stringMatching(/^ecomtag: fz\d+\('send_ecommerce', 'purchase'\): \S/),
      expect.stringMatching(/^ecomtag: fz\d+\('set_contact'\): \S/),
    ]);
  });

  it('a sparse products array is refused, and delivery goes on (the hole used to block the outbox for good)', async () => {
    sent = [];
    const ct = install('calltouch');
    // eslint-disable-next-line no-sparse-arrays
    ct('send_ecommerce', 'detail', { products: [, { id: 1 }] });
    ct(...valid);
    await ct.flush();
    expect(errors.mock.calls.map((line) => String(line[0]))).toEqual([expect.stringMatching(/'detail'\): products\[0\] must be an object, got undefined$/)]);
    expect(bodies(CALLTOUCH).map((body) => JSON.parse(body).products[0].id)).toEqual(['after']);
  });

  it('eSputnik amounts are never written in exponent notation', async () => {
    sent = [];
    const ct = install('tracker');
    ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 1e-7, discount: 5e-324 }] });
    ct('send_ecommerce', 'purchase', { id: 'P', products: [{ id: 1, price: '0.000001' }] });
    await ct.flush();
    const tracker = bodies(TRACKER);
    expect(tracker.map((body) => validateEsputnikTracker(JSON.parse(body)))).toEqual([[], []]);
    expect(tracker[0]).toContain('"price":"0","discount":"0"');
    expect(tracker[1]).toContain('"unit_price":"0"');
  });

  it.each<Format>(['tracker', 'event'])('%s: an order’s zero-unit lines are left out, an order of none is not sent to eSputnik', async (format) => {
    sent = [];
    const ct = install(format);
    ct('set_contact', { email: 'a@b.ru' });
    ct('send_ecommerce', 'purchase', { id: 'P1', products: [{ id: 1, name: 'A', price: 5, quantity: 0 }, { id: 2, name: 'B', price: 7, quantity: '2' }] });
    ct('send_ecommerce', 'purchase', { id: 'P2', products: [{ id: 3, name: 'C', price: 5, quantity: '0' }] });
    await ct.flush();
    const esputnik = bodies(format == 'event' ? RELAY : TRACKER).map((body) => JSON.parse(body) as AnyBody);
    const orders = esputnik.filter((body) => body.eventTypeKey == 'orderCreated' || body.GeneralInfo?.eventName == 'PurchasedItems');
    expect(orders.map((body) => describeBody(format == 'event' ? RELAY : TRACKER, body))).toEqual([format == 'event' ? 'orderCreated P1' : 'PurchasedItems P1']);
    expect(JSON.stringify(orders[0])).not.toMatch(/"1"|\\"1\\"/);
    orders.forEach((body) => expect(VALIDATORS[format == 'event' ? RELAY : TRACKER](body)).toEqual([]));
    expect(bodies(CALLTOUCH).map((body) => JSON.parse(body).id)).toEqual(['P1', 'P2']);
  });
});
