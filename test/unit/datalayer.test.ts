import { describe, expect, it } from 'vitest';
import { bridgeDataLayer, fromDataLayer, type DataLayerParams } from '../../src/bridge/datalayer';
import type { Method } from '../../src/types';

// The dataLayer bridge (reference/datalayer.md): which pushes become which calls, and how the array is read.

/** What fromDataLayer returns: an id or currency the entry lacks comes back undefined (absent, for the tag). */
const call = (method: Method, params: Partial<DataLayerParams>) => [method, { id: undefined, currency: undefined, products: [], ...params }];

/** What gtag() pushes: its own `arguments` object, not an array. */
function gtag(..._: unknown[]) {
  return arguments;
}

const GA4_ITEM = {
  item_id: 'SKU_1003',
  item_name: 'USB-удлинитель',
  affiliation: 'Store',
  coupon: 'SUMMER',
  discount: 2.5,
  index: 0,
  item_brand: 'xiaomi',
  item_category: 'Электроника',
  item_category2: 'Кабели',
  item_category3: 'USB',
  item_list_id: 'related',
  item_variant: '5 м',
  price: 150.5,
  quantity: 2,
};
const OUR_ITEM = { id: 'SKU_1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'Электроника/Кабели/USB', variant: '5 м', quantity: 2, discount: 2.5 };
const UA_PRODUCT = { id: 1003, name: 'USB-удлинитель', price: '150.50', brand: 'xiaomi', category: 'Электроника/Кабели', variant: '5 м', quantity: 1, coupon: 'X', position: 2, list: 'Search', dimension1: 'd' };
const OUR_UA_PRODUCT = { id: 1003, name: 'USB-удлинитель', price: '150.50', brand: 'xiaomi', category: 'Электроника/Кабели', variant: '5 м', quantity: 1 };
const ga4 = (event: string, ecommerce: unknown) => ({ event, ecommerce });

const throwing = () => {
  throw Error('hostile');
};
const cyclicItem: Record<string, unknown> = { item_id: 'c1' };
cyclicItem.self = cyclicItem;
const cyclicEntry: Record<string, unknown> = { event: 'view_item', ecommerce: { items: [cyclicItem] } };
(cyclicEntry.ecommerce as Record<string, unknown>).entry = cyclicEntry;

describe('fromDataLayer', () => {
  it.each<[string, unknown, unknown]>([
    // GA4, as GTM's dataLayer carries it
    ['GA4 view_item', ga4('view_item', { currency: 'RUB', value: 301, items: [GA4_ITEM] }), call('detail', { products: [OUR_ITEM], currency: 'RUB' })],
    ['GA4 add_to_cart', ga4('add_to_cart', { currency: 'RUB', items: [{ item_id: 1, price: 10, quantity: 1 }] }), call('addToCart', { products: [{ id: 1, price: 10, quantity: 1 }], currency: 'RUB' })],
    ['GA4 remove_from_cart', ga4('remove_from_cart', { items: [{ item_id: 1, quantity: 1 }] }), call('removeFromCart', { products: [{ id: 1, quantity: 1 }] })],
    ['GA4 begin_checkout', ga4('begin_checkout', { currency: 'USD', coupon: 'X', items: [{ item_id: 1, price: 10, quantity: 3 }] }), call('checkout', { products: [{ id: 1, price: 10, quantity: 3 }], currency: 'USD' })],
    [
      'GA4 purchase',
      ga4('purchase', { transaction_id: 'T_12345', value: 301, tax: 1, shipping: 5, currency: 'RUB', items: [GA4_ITEM] }),
      call('purchase', { id: 'T_12345', products: [OUR_ITEM], currency: 'RUB' }),
    ],
    ['GA4 purchase without transaction_id (the tag reports it)', ga4('purchase', { items: [{ item_id: 1 }] }), call('purchase', { products: [{ id: 1 }] })],
    ['GA4 full refund', ga4('refund', { transaction_id: 'T_12345', currency: 'RUB' }), call('refund', { id: 'T_12345', currency: 'RUB' })],
    ['GA4 partial refund', ga4('refund', { transaction_id: 'T_12345', items: [{ item_id: 1, quantity: 1 }] }), call('refund', { id: 'T_12345', products: [{ id: 1, quantity: 1 }] })],
    ['GA4 category levels with a gap', ga4('view_item', { items: [{ item_id: 1, item_category: 'a', item_category3: 'c', item_category5: 'e' }] }), call('detail', { products: [{ id: 1, category: 'a/c/e' }] })],
    ['GA4 spelling wins over ours in one item', ga4('view_item', { items: [{ id: 'old', item_id: 'new', name: 'old', item_name: 'new' }] }), call('detail', { products: [{ id: 'new', name: 'new' }] })],
    ['items in gtag.js UA style (our names)', ga4('view_item', { items: [{ id: 1, name: 'n', category: 'a/b' }] }), call('detail', { products: [{ id: 1, name: 'n', category: 'a/b' }] })],
    ['values as they are, url and imageUrl kept', ga4('add_to_cart', { items: [{ item_id: 1, price: '-1', quantity: 1.5, url: '/p/1', imageUrl: '/1.jpg', margin: 3, isInStock: true }] }), call('addToCart', { products: [{ id: 1, price: '-1', quantity: 1.5, url: '/p/1', imageUrl: '/1.jpg' }] })],
    ['null fields dropped', ga4('view_item', { items: [{ item_id: 1, item_name: null, price: undefined, item_brand: '' }] }), call('detail', { products: [{ id: 1, brand: '' }] })],

    // Universal Analytics (GTM enhanced e-commerce) and Yandex.Metrica
    ['UA detail', { event: 'gtm-ee-event', ecommerce: { currencyCode: 'RUB', detail: { actionField: { list: 'x' }, products: [UA_PRODUCT] } } }, call('detail', { products: [OUR_UA_PRODUCT], currency: 'RUB' })],
    ['UA add', { ecommerce: { add: { products: [UA_PRODUCT] } } }, call('addToCart', { products: [OUR_UA_PRODUCT] })],
    ['UA remove', { ecommerce: { remove: { products: [{ id: 1, quantity: 1 }] } } }, call('removeFromCart', { products: [{ id: 1, quantity: 1 }] })],
    ['Metrica delete', { ecommerce: { currencyCode: 'RUB', delete: { products: [{ id: 1, name: 'n', category: 'a/b', quantity: 1 }] } } }, call('removeFromCart', { products: [{ id: 1, name: 'n', category: 'a/b', quantity: 1 }], currency: 'RUB' })],
    ['UA checkout', { event: 'checkout', ecommerce: { checkout: { actionField: { step: 1 }, products: [UA_PRODUCT] } } }, call('checkout', { products: [OUR_UA_PRODUCT] })],
    [
      'UA purchase',
      { ecommerce: { currencyCode: 'USD', purchase: { actionField: { id: 'T12345', revenue: '35.43', coupon: 'X' }, products: [UA_PRODUCT] } } },
      call('purchase', { id: 'T12345', products: [OUR_UA_PRODUCT], currency: 'USD' }),
    ],
    [
      'Metrica purchase with goal and discount',
      { ecommerce: { currencyCode: 'RUB', purchase: { actionField: { id: 'TRX987', goal_id: 1234 }, products: [{ id: '25341', name: 'Толстовка', price: 1500, brand: 'Yandex', category: 'Одежда/Толстовки', variant: 'Оранжевый', quantity: 1, discount: 100, position: 1 }] } } },
      call('purchase', { id: 'TRX987', products: [{ id: '25341', name: 'Толстовка', price: 1500, brand: 'Yandex', category: 'Одежда/Толстовки', variant: 'Оранжевый', quantity: 1, discount: 100 }], currency: 'RUB' }),
    ],
    ['UA full refund', { ecommerce: { refund: { actionField: { id: 'T12345' } } } }, call('refund', { id: 'T12345' })],
    ['UA partial refund', { ecommerce: { refund: { actionField: { id: 'T12345' }, products: [{ id: 1, quantity: 1 }] } } }, call('refund', { id: 'T12345', products: [{ id: 1, quantity: 1 }] })],
    ['a UA key decides over a GA4 event name', { event: 'purchase', ecommerce: { purchase: { actionField: { id: 'T1' }, products: [{ id: 1 }] } } }, call('purchase', { id: 'T1', products: [{ id: 1 }] })],
    ['impressions beside detail', { ecommerce: { impressions: [{ id: 9 }], detail: { products: [{ id: 1 }] } } }, call('detail', { products: [{ id: 1 }] })],
    ['an action without actionField or products', { ecommerce: { add: {} } }, call('addToCart', {})],
    ['GA4 with a key named "undefined" (a store\'s unset variable)', ga4('view_item', { undefined: 1, items: [{ item_id: 1 }] }), call('detail', { products: [{ id: 1 }] })],
    ['actionField null', { ecommerce: { purchase: { actionField: null, products: [{ id: 1 }] } } }, call('purchase', { products: [{ id: 1 }] })],

    // gtag('event', name, params): an arguments object, params at the top level
    ['gtag purchase', gtag('event', 'purchase', { transaction_id: 'T_1', currency: 'EUR', items: [GA4_ITEM] }), call('purchase', { id: 'T_1', products: [OUR_ITEM], currency: 'EUR' })],
    ['gtag add_to_cart', gtag('event', 'add_to_cart', { items: [{ item_id: 1, price: 1, quantity: 1 }] }), call('addToCart', { products: [{ id: 1, price: 1, quantity: 1 }] })],
    ['gtag full refund', gtag('event', 'refund', { transaction_id: 'T_1' }), call('refund', { id: 'T_1' })],
    ['a plain array shaped like gtag', ['event', 'view_item', { items: [{ item_id: 1 }] }], call('detail', { products: [{ id: 1 }] })],

    // Not ours
    ['the clearing push', { ecommerce: null }, undefined],
    ['GTM start', { event: 'gtm.js', 'gtm.start': 1 }, undefined],
    ['a GA4 event name without ecommerce', { event: 'purchase' }, undefined],
    ['a GA4 event we do not map', ga4('view_item_list', { items: [{ item_id: 1 }] }), undefined],
    ['UA checkout_option under a checkout event', { event: 'checkout', ecommerce: { checkout_option: { actionField: { step: 2, option: 'Visa' } } } }, undefined],
    ['UA impressions alone', { ecommerce: { currencyCode: 'RUB', impressions: [{ id: 1 }] } }, undefined],
    ['gtag config', gtag('config', 'G-XXXX', { send_page_view: false }), undefined],
    ['gtag js', gtag('js', new Date(0)), undefined],
    ['gtag event we do not map', gtag('event', 'page_view', { page_title: 'x' }), undefined],
    ['gtag purchase without params', gtag('event', 'purchase'), undefined],
    ['a prototype name as event', ga4('toString', {}), undefined],
    ['__proto__ as event', ga4('__proto__', {}), undefined],
    ['constructor as gtag event', gtag('event', 'constructor', {}), undefined],
    ['null', null, undefined],
    ['undefined', undefined, undefined],
    ['a number', 42, undefined],
    ['a string', 'purchase', undefined],
    ['a function (GTM runs pushed functions)', () => 1, undefined],
    ['an empty array', [], undefined],
  ])('%s', (_, entry, expected) => {
    expect(fromDataLayer(entry)).toStrictEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['a getter that throws on ecommerce', Object.defineProperty({ event: 'purchase' }, 'ecommerce', { get: throwing, enumerable: true }), undefined],
    ['a getter that throws in an item', ga4('view_item', { items: [Object.defineProperty({}, 'item_id', { get: throwing })] }), undefined],
    ['a proxy that throws on every read', new Proxy({}, { get: throwing, has: throwing }), undefined],
    ['a revoked proxy as items', ga4('view_item', { items: (() => { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy; })() }), undefined],
    ['cycles: only our fields come along', cyclicEntry, call('detail', { products: [{ id: 'c1' }] })],
    ['null and primitive items become empty products (the tag then names them)', ga4('view_item', { items: [null, 5, 'x'] }), call('detail', { products: [{}, {}, {}] })],
    ['items that are not an array', ga4('view_item', { items: { 0: { item_id: 1 }, length: 1 } }), call('detail', {})],
    ['an items array whose own map throws', ga4('view_item', { items: Object.assign([{ item_id: 1 }], { map: throwing }) }), undefined],
    ['a __proto__ key in an item', ga4('view_item', { items: [JSON.parse('{"item_id": 1, "__proto__": {"polluted": true}}')] }), call('detail', { products: [{ id: 1 }] })],
  ])('hostile: %s', (_, entry, expected) => {
    expect(fromDataLayer(entry)).toStrictEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// bridgeDataLayer

/** A window of its own per test: the bridge uses only `win[name]` and the two event targets. */
const page = () => Object.assign(new EventTarget(), { document: new EventTarget() }) as unknown as Window & Record<string, unknown[] | undefined>;

const add = (id: number | string) => ({ event: 'add_to_cart', ecommerce: { items: [{ item_id: id }] } });
const NOISE = { event: 'gtm.dom' };

/** A tag's call that records `addToCart:1` per call. */
const recorder = () => {
  const seen: string[] = [];
  const record = (method: Method, params: DataLayerParams) => void seen.push(`${method}:${params.products.map((p) => p.id).join(',')}`);
  return { seen, record };
};

/** GTM's helper in miniature: keeps the push it finds, calls it, then hands every pushed entry to `listener`. */
const gtmWrap = (array: unknown[], listener: (entry: unknown) => void, result?: unknown) => {
  const previous = array.push;
  array.push = function (this: unknown, ...entries: unknown[]) {
    const length = previous.apply(this, entries);
    entries.forEach(listener);
    return (result ?? length) as number;
  };
  array.forEach(listener);
};

const readyStateChange = (win: Window) => win.document.dispatchEvent(new Event('readystatechange'));

describe('bridgeDataLayer', () => {
  it('reads the entries already there once, then every push', () => {
    const win = page();
    win.dataLayer = [add(1), NOISE, { ecommerce: null }, add(2)];
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
    win.dataLayer.push(NOISE, add(3));
    win.dataLayer.push(add(4));
    readyStateChange(win);
    win.dispatchEvent(new Event('pagehide'));
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2', 'addToCart:3', 'addToCart:4']);
    expect(win.dataLayer).toHaveLength(7);
  });

  it('keeps push: same this, all arguments, its return value, then reads', () => {
    const win = page();
    const array: unknown[] = [];
    const received: unknown[][] = [];
    const tag = recorder();
    array.push = function (this: unknown, ...entries: unknown[]) {
      received.push([this, tag.seen.length, ...entries]); // how much was read when the original push ran
      return 'original result' as unknown as number;
    };
    win.dataLayer = array;
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(array.push(add(1), NOISE, add(2))).toBe('original result');
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
    const other = {};
    array.push.call(other, add(3));
    expect(received).toEqual([
      [array, 0, add(1), NOISE, add(2)],
      [other, 2, add(3)],
    ]);
    expect(received[1][0]).toBe(other);
  });

  it("returns the array's own push result: the new length", () => {
    const win = page();
    bridgeDataLayer(win, 'dataLayer', recorder().record);
    expect(win.dataLayer!.push(add(1), add(2))).toBe(2);
    expect([...win.dataLayer!]).toEqual([add(1), add(2)]);
  });

  it('reads a push made while reading after the current entry, without recursion', () => {
    const win = page();
    const seen: string[] = [];
    let depth = 0;
    let deepest = 0;
    bridgeDataLayer(win, 'dataLayer', (_, params) => {
      deepest = Math.max(deepest, ++depth);
      const id = String(params.products[0].id);
      seen.push(id);
      if (id === 'a') win.dataLayer!.push(add('a1'), add('a2'));
      if (id === 'a1') win.dataLayer!.push(add('a11'));
      if (id === 'c') win.dataLayer!.push(add('c1')); // while reading the only entry queued
      depth--;
    });
    win.dataLayer!.push(add('a'), add('b'));
    win.dataLayer!.push(add('c'));
    expect(seen).toEqual(['a', 'b', 'a1', 'a2', 'a11', 'c', 'c1']);
    expect(deepest).toBe(1);
    expect(win.dataLayer!.map((entry) => fromDataLayer(entry)![1].products[0].id)).toEqual(seen);
  });

  it('reads in order when a wrapper below pushes while handling a push', () => {
    const win = page();
    win.dataLayer = [];
    // GTM below us, whose tags push a follow-up entry from inside its listener.
    gtmWrap(win.dataLayer, (entry) => {
      if (entry === FIRST) win.dataLayer!.push(add('follow-up'));
    });
    const FIRST = add('first');
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    win.dataLayer.push(FIRST);
    expect(tag.seen).toEqual(['addToCart:first', 'addToCart:follow-up']);
  });

  it('reads the existing entries in order when reading one pushes', () => {
    const win = page();
    win.dataLayer = [add(1), add(2)];
    const seen: unknown[] = [];
    bridgeDataLayer(win, 'dataLayer', (_, params) => {
      seen.push(params.products[0].id);
      if (params.products[0].id === 1) win.dataLayer!.push(add(3));
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('creates a missing dataLayer, which a later snippet (`w.dataLayer = w.dataLayer || []`) reuses', () => {
    const win = page();
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(Array.isArray(win.dataLayer) && win.dataLayer.length).toBe(0);
    win.dataLayer = win.dataLayer || [];
    win.dataLayer.push(add(1));
    expect(tag.seen).toEqual(['addToCart:1']);
  });

  it('reads a new array the page put in its place when parsing or loading ends, and when the page goes', () => {
    const win = page();
    win.dataLayer = [add(1)];
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    const first = win.dataLayer;
    win.dataLayer = [add(2)]; // `var dataLayer = [...]` in an inline script after the tag
    win.dataLayer.push(add(3));
    expect(tag.seen).toEqual(['addToCart:1']);
    readyStateChange(win);
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2', 'addToCart:3']);
    win.dataLayer.push(add(4));
    first.push(add(5)); // a script holding the first array still pushes into it
    win.dataLayer = [add(6)];
    win.dispatchEvent(new Event('pagehide'));
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2', 'addToCart:3', 'addToCart:4', 'addToCart:5', 'addToCart:6']);
    // Back to an array read before, and checks with nothing new: nothing is read twice.
    win.dataLayer = first;
    readyStateChange(win);
    readyStateChange(win);
    first.push(add(7));
    expect(tag.seen.slice(6)).toEqual(['addToCart:7']);
  });

  it('leaves a dataLayer that is not an array alone, and reads the array that replaces it', () => {
    const win = page();
    const notAnArray = { push: () => 0, length: 0 };
    (win as Record<string, unknown>).dataLayer = notAnArray;
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(win.dataLayer).toBe(notAnArray);
    win.dataLayer = [add(1)];
    readyStateChange(win);
    expect(tag.seen).toEqual(['addToCart:1']);
  });

  it('throws nothing on a frozen dataLayer', () => {
    const win = page();
    win.dataLayer = Object.freeze([add(1)]) as unknown[];
    expect(() => bridgeDataLayer(win, 'dataLayer', recorder().record)).not.toThrow();
    expect(() => readyStateChange(win)).not.toThrow();
  });

  it('works under a wrapper installed after it (GTM or Metrica loading later): each sees each entry once', () => {
    const win = page();
    win.dataLayer = [add(1)];
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    const gtm: unknown[] = [];
    gtmWrap(win.dataLayer, (entry) => gtm.push(entry), 'gtm result');
    expect(win.dataLayer.push(add(2), NOISE)).toBe('gtm result');
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
    expect(gtm).toEqual([add(1), add(2), NOISE]);
  });

  it('works over a wrapper installed before it: each sees each entry once', () => {
    const win = page();
    win.dataLayer = [add(1)];
    const gtm: unknown[] = [];
    gtmWrap(win.dataLayer, (entry) => gtm.push(entry), 'gtm result');
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(win.dataLayer.push(add(2))).toBe('gtm result');
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
    expect(gtm).toEqual([add(1), add(2)]);
  });

  it('serves two tags on one array, each once, with wrappers between and around them', () => {
    const win = page();
    win.dataLayer = [add(1)];
    const first = recorder();
    const second = recorder();
    const gtm: unknown[] = [];
    bridgeDataLayer(win, 'dataLayer', first.record);
    gtmWrap(win.dataLayer, (entry) => gtm.push(entry));
    bridgeDataLayer(win, 'dataLayer', second.record);
    win.dataLayer.push(add(2));
    expect(first.seen).toEqual(['addToCart:1', 'addToCart:2']);
    expect(second.seen).toEqual(['addToCart:1', 'addToCart:2']);
    expect(gtm).toEqual([add(1), add(2)]);
  });

  it('reads an array once, however often it finds it again', () => {
    const win = page();
    win.dataLayer = [add(1)];
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    readyStateChange(win);
    win.dataLayer.push(add(2));
    readyStateChange(win);
    win.dispatchEvent(new Event('pagehide'));
    win.dataLayer.push(add(3));
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2', 'addToCart:3']);
  });

  it('keeps the push working when the tag throws, and reads on', () => {
    const win = page();
    const seen: unknown[] = [];
    bridgeDataLayer(win, 'dataLayer', (_, params) => {
      seen.push(params.products[0].id);
      throw Error('tag');
    });
    expect(win.dataLayer!.push(add(1), add(2))).toBe(2);
    win.dataLayer!.push(add(3));
    expect(seen).toEqual([1, 2, 3]);
  });

  it("lets the page's own push error through unchanged, and reads on", () => {
    const win = page();
    const array: unknown[] = [];
    const broken = Error('page');
    let fail = true;
    const native = array.push;
    array.push = function (this: unknown[], ...entries: unknown[]) {
      native.apply(this, entries);
      if (fail) throw broken;
      return this.length;
    };
    win.dataLayer = array;
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(() => array.push(add(1))).toThrow(broken);
    fail = false;
    array.push(add(2));
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
  });

  it('reads past hostile entries', () => {
    const win = page();
    const hostile = new Proxy({}, { get: throwing });
    win.dataLayer = [hostile, add(1)];
    const tag = recorder();
    bridgeDataLayer(win, 'dataLayer', tag.record);
    expect(() => win.dataLayer!.push(hostile, null, add(2))).not.toThrow();
    expect(tag.seen).toEqual(['addToCart:1', 'addToCart:2']);
  });
});
