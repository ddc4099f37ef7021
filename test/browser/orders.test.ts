// Orders that land (issue 14, its Chromium scenarios) and the relay's whole path (issue 13): a store's pages in
// Chromium, the real relay process in front of the stand-in eSputnik that keeps contacts and orders as the real one
// does (it answers 200 and then ignores an order for a contact it does not know, or with an incomplete item), the
// stand-in tracker and Calltouch with their strict schemas. Each scenario asserts what the stand-ins *recorded*:
// eSputnik's order under its contact with its status, with items or without; Calltouch's bodies, each once, in order.
// Pages are rendered as a store's server renders them: the shopper's set_contact with the identity it signed, then
// the page's own calls.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CollectorRecord } from '../support/recorder.mjs';
import {
  generated, of, paramsOf, sends, shopper, storeConfig, storePage, useRelay, wallClock, type Format,
} from '../support/relay-scenario.mjs';
import {
  flush, inline, jsons, MOD_A, offlineBody, quiet, raws, SESSIONS, settleConsole, siteBody, snippet, storedKeys, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
const ours = useRelay(s);
const FORMATS: Format[] = ['event', 'tracker'];
const session = SESSIONS[MOD_A];

const config = (format: Format, timeZone?: string) => storeConfig(s.h, { format, relay: ours.relay, timeZone });
/** A line as a store that describes its products passes it: eSputnik keeps such an order with its items. */
const described = (id: string, name: string, price: number, quantity: number) =>
  ({ id, name, price, quantity, url: `${s.h.site.url}/p/${id}`, imageUrl: `${s.h.site.url}/p/${id}.jpg` });
/** The same line as eSputnik's order keeps it (seed 001). */
const item = (id: string, name: string, cost: number, quantity: number) =>
  ({ externalItemId: id, name, quantity, cost, url: `${s.h.site.url}/p/${id}`, imageUrl: `${s.h.site.url}/p/${id}.jpg` });

/** The relay's lines for the POSTs it took since line `since` (not its preflights). */
const posts = (since: number) => ours.relay.logs.slice(since).filter((l) => l.method === 'POST');

/** Everything the stand-ins saw once the page has nothing left to send. */
async function settled(tab: Page, ms = 800): Promise<CollectorRecord[]> {
  await flush(tab);
  return quiet(s.h.collector, ms);
}

interface TrackerBody {
  GeneralInfo: { eventName: string };
  ProductPage?: { Product: Record<string, unknown> };
  StatusCart?: { GUID: string; Products: Array<{ productKey: string; quantity: number }> };
  PurchasedItems?: { Products: unknown[]; OrderNumber: string; GUID: string };
}
const tracker = (records: CollectorRecord[]) => of(records, 'esputnik-tracker').map((r) => r.body as TrackerBody);
const cartOf = (body: TrackerBody) => body.StatusCart!.Products.map((p) => `${p.productKey}×${p.quantity}`);
const linesOf = (products: string) => (JSON.parse(products) as Array<{ productId: string; quantity: number }>).map((p) => `${p.productId}×${p.quantity}`);

describe('an account with both vendors where `detail` has no price', () => {
  it.each(FORMATS)('%s: Calltouch gets it, eSputnik skips it with exactly one console line, and takes the priced one', async (format) => {
    const email = `detail-${format}@example.com`;
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, `/detail-${format}`, config(format), shopper({ email }) + sends(
      ['detail', { products: [{ id: 1003, name: 'USB-удлинитель' }] }],
      ['detail', { products: [{ id: 1005, name: 'Наушники', price: 1900 }] }],
    )));
    await s.h.collector.waitFor((r) => r.service === 'calltouch', { count: 2 });
    const all = await settled(tab);

    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'detail', { products: [{ id: '1003', name: 'USB-удлинитель' }], contact: { email } }),
      siteBody(session, 'detail', { products: [{ id: '1005', name: 'Наушники', price: 1900 }], contact: { email } }),
    ]));
    if (format === 'event') {
      expect(generated(all).map((b) => [b.eventTypeKey, paramsOf(b).product])).toEqual([['productViewed', '{"productId":"1005","price":1900}']]);
      expect(s.h.collector.esputnik.events.map((e) => [e.eventTypeKey, e.outcome])).toEqual([['productViewed', 'recorded']]);
    } else {
      expect(tracker(all).map((b) => [b.GeneralInfo.eventName, b.ProductPage?.Product])).toEqual([
        ['CustomerData', undefined],
        ['ProductPage', { productKey: '1005', price: '1900' }],
      ]);
    }
    await settleConsole(tab, s.w);
    expect(s.w.errors()).toEqual(["ecomtag: ct('send_ecommerce', 'detail'): not sent to eSputnik: products[0].price is required"]);
  });
});

describe('a purchase without names or urls', () => {
  it.each(FORMATS)('%s: both vendors record an order; eSputnik’s without items, with its total, status, date, currency and contact', async (format) => {
    const email = `bare-${format}@example.com`;
    const id = `BARE-${format}`;
    const since = ours.relay.logs.length;
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, `/bare-${format}`, config(format), shopper({ email }) + sends(
      ['purchase', { id, products: [{ id: 1003, price: '150.50', quantity: 2 }, { id: 'WS-2', price: 99.99, quantity: 1 }] }],
    )));
    await s.h.collector.waitFor((r) => r.service === 'calltouch');
    await s.h.collector.waitFor((r) => r.service === (format === 'event' ? 'esputnik-event' : 'esputnik-tracker'), { count: 2 });
    const all = await settled(tab);

    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'purchase', { id, products: [{ id: '1003', price: 150.5, quantity: 2 }, { id: 'WS-2', price: 99.99, quantity: 1 }], contact: { email } }),
    ]));
    if (format === 'event') {
      const order = s.h.collector.esputnik.order(id);
      expect(order).toMatchObject({ status: 'INITIALIZED', totalCost: '400.99', items: null, contact: { emails: [email] } });
      const sent = paramsOf(generated(all).find((b) => b.eventTypeKey === 'orderCreated')!);
      expect(sent).toEqual({
        email, externalOrderId: id, totalCost: '400.99', status: 'INITIALIZED', date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        currency: 'RUB', recycleStateId: order!.recycleStateId,
      });
      // The relay says why the order went without its items.
      const line = posts(since).find((l) => l.eventTypeKey === 'orderCreated');
      expect(line).toMatchObject({ status: 200, upstream: 200, reason: expect.stringMatching(/items.*name/) });
    } else {
      expect(tracker(all).find((b) => b.PurchasedItems)?.PurchasedItems).toEqual({
        Products: [{ product_id: '1003', unit_price: '150.5', quantity: 2 }, { product_id: 'WS-2', unit_price: '99.99', quantity: 1 }],
        OrderNumber: id,
        GUID: expect.any(String),
      });
    }
    await settleConsole(tab, s.w);
    expect(s.w.errors()).toEqual([]);
  });
});

describe('a first-time shopper’s order in the event format', () => {
  it.each([
    ['an e-mail', { email: 'first.time@example.com' }, { type: 'email', value: 'first.time@example.com' }, { emails: ['first.time@example.com'], phones: [] }],
    ['a phone', { phone: '+7 (900) 555-12-34' }, { type: 'sms', value: '79005551234' }, { emails: [], phones: ['79005551234'] }],
  ])('known by %s: the contact is created first, the order recorded under it; the next order needs no second contact call', async (_, contact, channel, kept) => {
    const key = 'email' in contact ? 'email' : 'phone';
    const store = config('event');
    expect(s.h.collector.esputnik.contacts).toEqual([]);
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, `/first-${key}`, store, shopper(contact) + sends(
      ['addToCart', { products: [described('1003', 'USB-удлинитель', 150.5, 2)] }],
      ['purchase', { id: `FIRST-${key}-1`, products: [described('1003', 'USB-удлинитель', 150.5, 2)] }],
    )));
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3 });
    await flush(tab);
    await tab.goto(storePage(s.h, `/first-${key}-again`, store, sends(
      ['purchase', { id: `FIRST-${key}-2`, products: [described('1005', 'Наушники', 1900, 1)] }],
    )));
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 5 });
    const all = await settled(tab);

    const esputnik = all.filter((r) => r.service?.startsWith('esputnik'));
    expect(esputnik.map((r) => [r.service, r.kind, r.outcome])).toEqual([
      ['esputnik-event', 'cartUpdated', 'recorded'],
      ['esputnik-contact', 'contact', 'recorded'],
      ['esputnik-event', 'orderCreated', 'recorded'],
      ['esputnik-event', 'cartUpdated', 'recorded'],
      ['esputnik-event', 'orderCreated', 'recorded'],
      ['esputnik-event', 'cartUpdated', 'recorded'],
    ]);
    expect(of(all, 'esputnik-contact')[0].body).toEqual({ channels: [channel] });
    expect(s.h.collector.esputnik.contacts).toEqual([{ id: 1, ...kept, externalCustomerId: null }]);
    expect(s.h.collector.esputnik.order(`FIRST-${key}-1`)).toMatchObject({ status: 'INITIALIZED', totalCost: '301', contact: { id: 1 }, items: [item('1003', 'USB-удлинитель', 150.5, 2)] });
    expect(s.h.collector.esputnik.order(`FIRST-${key}-2`)).toMatchObject({ status: 'INITIALIZED', totalCost: '1900', contact: { id: 1 }, items: [item('1005', 'Наушники', 1900, 1)] });
    const who = 'email' in contact ? { email: contact.email } : { phone: '79005551234' };
    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'addToCart', { products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 2 }], contact: who }),
      siteBody(session, 'purchase', { id: `FIRST-${key}-1`, products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 2 }], contact: who }),
      siteBody(session, 'purchase', { id: `FIRST-${key}-2`, products: [{ id: '1005', name: 'Наушники', price: 1900, quantity: 1 }], contact: who }),
    ]));
  });
});

describe('purchase → an empty cart under the bought id → a new id on the next add', () => {
  it.each(FORMATS)('%s, across pages', async (format) => {
    const email = `cart-${format}@example.com`;
    const id = `CART-${format}`;
    const mug = { id: 'MUG', name: 'Кружка', price: 250, quantity: 1 };
    const cup = { id: 'CUP', name: 'Чашка', price: 300, quantity: 2 };
    const pot = { id: 'POT', name: 'Чайник', price: 2490, quantity: 1 };
    const tab = await s.context.newPage();
    const visit = async (path: string, head: string) => {
      await tab.goto(storePage(s.h, `/${path}-${format}`, config(format), head));
      await flush(tab);
    };
    await visit('catalog', shopper({ email }) + sends(['addToCart', { products: [mug] }]));
    await visit('product', sends(['addToCart', { products: [cup] }]));
    await visit('thanks', sends(['purchase', { id, products: [mug, cup] }]));
    await visit('catalog-again', sends(['addToCart', { products: [pot] }]));
    const all = await settled(tab);

    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'addToCart', { products: [mug], contact: { email } }),
      siteBody(session, 'addToCart', { products: [cup], contact: { email } }),
      siteBody(session, 'purchase', { id, products: [mug, cup], contact: { email } }),
      siteBody(session, 'addToCart', { products: [pot], contact: { email } }),
    ]));
    if (format === 'event') {
      const bodies = generated(all);
      expect(bodies.map((b) => b.eventTypeKey)).toEqual(['cartUpdated', 'cartUpdated', 'orderCreated', 'cartUpdated', 'cartUpdated']);
      const [first, second, order, closed, next] = bodies.map(paramsOf);
      const bought = first.recycleStateId;
      expect([second.recycleStateId, order.recycleStateId, closed.recycleStateId]).toEqual([bought, bought, bought]);
      expect([linesOf(first.products), linesOf(second.products), linesOf(closed.products), linesOf(next.products)])
        .toEqual([['MUG×1'], ['MUG×1', 'CUP×2'], [], ['POT×1']]);
      expect(next.recycleStateId).not.toBe(bought);
      expect(s.h.collector.esputnik.order(id)).toMatchObject({ status: 'INITIALIZED', totalCost: '850', recycleStateId: bought, contact: { emails: [email] } });
    } else {
      const bodies = tracker(all);
      expect(bodies.map((b) => b.GeneralInfo.eventName)).toEqual(['CustomerData', 'StatusCart', 'StatusCart', 'PurchasedItems', 'StatusCart']);
      const [, first, second, purchased, next] = bodies;
      expect([cartOf(first), cartOf(second), cartOf(next)]).toEqual([['MUG×1'], ['MUG×1', 'CUP×2'], ['POT×1']]);
      // The order carries the GUID of the last cart state; the next cart is a new one.
      expect(purchased.PurchasedItems).toMatchObject({ OrderNumber: id, GUID: second.StatusCart!.GUID });
      expect(new Set([first, second, next].map((b) => b.StatusCart!.GUID)).size).toBe(3);
    }
  });
});

describe('partial refund, second partial refund, full refund', () => {
  it.each(FORMATS)('%s: all arrive, each once; a reload of each sends nothing new', async (format) => {
    const email = `refunds-${format}@example.com`;
    const id = `RF-${format}`;
    const tab = await s.context.newPage();
    // Each step is a page rendered with its call; its reload makes the call again.
    const step = async (url: string, arrived: number) => {
      await tab.goto(url);
      await s.h.collector.waitFor((r) => r.service === 'calltouch', { count: arrived, timeout: 10000 });
      const before = await settled(tab, 300);
      await tab.reload();
      await tagReady(tab);
      expect(raws(await settled(tab))).toEqual(raws(before));
    };
    await step(storePage(s.h, `/thanks-${format}`, config(format), shopper({ email }) + sends(
      ['purchase', { id, products: [described('1003', 'USB-удлинитель', 150.5, 3), described('2207', 'Кабель HDMI', 990, 1)] }],
    )), 1);
    await step(storePage(s.h, `/refund-1-${format}`, config(format), sends(['refund', { id, products: [{ id: '1003', quantity: 1 }] }])), 2);
    // The second from a back office without Calltouch's script: no session, so the offline format once the wait ends.
    await step(s.h.site.page(`/refund-2-${format}`, html({ head: snippet(s.h, { config: config(format) }) + sends(['refund', { id, products: [{ id: '2207', quantity: 1 }] }]) })), 3);
    await step(storePage(s.h, `/refund-3-${format}`, config(format), sends(['refund', { id }])), 4);
    const all = await settled(tab);

    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'purchase', { id, products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 3 }, { id: '2207', name: 'Кабель HDMI', price: 990, quantity: 1 }], contact: { email } }),
      siteBody(session, 'refund', { id, products: [{ id: '1003', quantity: 1 }], contact: { email } }),
      // Seed 000 l.256: the offline format writes an id of digits as a number.
      offlineBody(12345, 'refund', id, [{ id: 2207, quantity: 1 }]),
      siteBody(session, 'refund', { id, products: [], contact: { email } }),
    ]));
    if (format === 'event') {
      // README: eSputnik cancels whole orders only; partial refunds send it nothing, the full one cancels the order.
      expect(generated(all).map((b) => b.eventTypeKey)).toEqual(['orderCreated', 'cartUpdated', 'orderCancelled']);
      expect(s.h.collector.esputnik.order(id)).toMatchObject({
        status: 'CANCELLED', totalCost: '1441.5', contact: { emails: [email] },
        history: [{ eventTypeKey: 'orderCreated', status: 'INITIALIZED' }, { eventTypeKey: 'orderCancelled', status: 'CANCELLED' }],
      });
    } else {
      // The tracker has no refund event.
      expect(tracker(all).map((b) => b.GeneralInfo.eventName)).toEqual(['CustomerData', 'PurchasedItems']);
    }
  });
});

describe('a discounted order with 3-decimal prices', () => {
  it.each(FORMATS)('%s: Σ items cost × quantity is totalCost to the cent, each line rounded first', async (format) => {
    const email = `discount-${format}@example.com`;
    const id = `DISC-${format}`;
    const products = [
      { ...described('D1', 'Кружка', 33.333, 3), discount: 3.335 }, // a unit costs 29.998 → 30
      { ...described('D2', 'Блюдце', 10.005, 7), discount: 0.004 }, // 10.001 → 10
      described('D3', 'Ложка', 0.125, 4), // 0.125 → 0.13
    ];
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, `/discount-${format}`, config(format), shopper({ email }) + sends(['purchase', { id, products }])));
    await s.h.collector.waitFor((r) => r.service === 'calltouch');
    await s.h.collector.waitFor((r) => r.service === (format === 'event' ? 'esputnik-event' : 'esputnik-tracker'), { count: 2 });
    const all = await settled(tab);

    // Calltouch: the list prices, to the cent.
    expect(raws(of(all, 'calltouch'))).toEqual(jsons([
      siteBody(session, 'purchase', {
        id,
        products: [{ id: 'D1', name: 'Кружка', price: 33.33, quantity: 3 }, { id: 'D2', name: 'Блюдце', price: 10.01, quantity: 7 }, { id: 'D3', name: 'Ложка', price: 0.13, quantity: 4 }],
        contact: { email },
      }),
    ]));
    if (format === 'event') {
      // Recorded with its items: the relay forwards them only when they add up, the stand-in refuses a sum that does not.
      const order = s.h.collector.esputnik.order(id)!;
      expect(order).toMatchObject({ status: 'INITIALIZED', totalCost: '160.52', contact: { emails: [email] } });
      expect(order.items).toEqual([item('D1', 'Кружка', 30, 3), item('D2', 'Блюдце', 10, 7), item('D3', 'Ложка', 0.13, 4)]);
      const cents = (order.items as Array<{ cost: number; quantity: number }>).reduce((sum, line) => sum + Math.round(line.cost * 100) * line.quantity, 0);
      expect(cents).toBe(16052);
    } else {
      expect(tracker(all).find((b) => b.PurchasedItems)?.PurchasedItems?.Products).toEqual([
        { product_id: 'D1', unit_price: '30', quantity: 3 },
        { product_id: 'D2', unit_price: '10', quantity: 7 },
        { product_id: 'D3', unit_price: '0.13', quantity: 4 },
      ]);
    }
  });
});

describe('a shopper in another time zone', () => {
  it.each([
    ['America/Los_Angeles', 'Europe/Moscow (timeZone not set: the default)', undefined, 'Europe/Moscow'],
    ['Pacific/Kiritimati', 'Asia/Yekaterinburg', 'Asia/Yekaterinburg', 'Asia/Yekaterinburg'],
  ])('a shopper in %s, the store in %s: the order is dated in the store’s zone, not the shopper’s', async (shopperZone, _, timeZone, storeZone) => {
    const email = `zone-${shopperZone.replace(/\W/g, '-').toLowerCase()}@example.com`;
    const id = `TZ-${storeZone.replace(/\W/g, '-')}`;
    const context = await s.newContext({ timezoneId: shopperZone });
    const tab = await context.newPage();
    const before = Date.now();
    await tab.goto(storePage(s.h, `/zone-${id}`, config('event', timeZone), shopper({ email }) + sends(['purchase', { id, products: [described('1003', 'USB-удлинитель', 150.5, 1)] }])));
    await s.h.collector.waitFor((r) => r.kind === 'orderCreated');
    const after = Date.now();
    await settled(tab);

    expect(await tab.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(shopperZone);
    const filed = s.h.collector.esputnik.events.find((e) => e.eventTypeKey === 'orderCreated')!;
    expect(filed.outcome).toBe('recorded');
    const { date } = filed.params;
    expect(date >= wallClock(before, storeZone) && date <= wallClock(after, storeZone), `${date} within ${wallClock(before, storeZone)}…${wallClock(after, storeZone)}`).toBe(true);
    // Not the shopper's clock: the zones are hours apart.
    expect(date.slice(0, 13)).not.toBe(wallClock(before, shopperZone).slice(0, 13));
    expect(s.h.collector.esputnik.order(id)).toMatchObject({ status: 'INITIALIZED', contact: { emails: [email] } });
  });
});

describe('issue 13, the whole path: a page with a signed set_contact, the real relay, the stand-in eSputnik', () => {
  const calls = (id: string) => sends(
    ['addToCart', { products: [described('1003', 'USB-удлинитель', 150.5, 1)] }],
    ['purchase', { id, products: [described('1003', 'USB-удлинитель', 150.5, 1)] }],
  );

  it('sends a cart and an order: both filed, the order recorded under the contact the identity names', async () => {
    const email = 'whole.path@example.com';
    const since = ours.relay.logs.length;
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, '/whole-path', config('event'), shopper({ email, name: 'Вера' }) + calls('WHOLE-1')));
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3 });
    const all = await settled(tab);

    expect(s.h.collector.esputnik.events.map((e) => [e.eventTypeKey, e.contactId, e.outcome])).toEqual([
      ['cartUpdated', null, 'recorded'], // before her first order eSputnik has no contact for her yet
      ['orderCreated', 1, 'recorded'],
      ['cartUpdated', 1, 'recorded'],
    ]);
    expect(s.h.collector.esputnik.order('WHOLE-1')).toMatchObject({ status: 'INITIALIZED', totalCost: '150.5', contact: { emails: [email] }, items: [item('1003', 'USB-удлинитель', 150.5, 1)] });
    // The identity stays with the relay; every request was answered 200 after eSputnik took it.
    expect(of(all, 'esputnik-event').filter((r) => r.raw?.includes('identity'))).toEqual([]);
    expect(posts(since).map((l) => [l.eventTypeKey, l.status, l.upstream])).toEqual([
      ['cartUpdated', 200, 200],
      ['orderCreated', 200, 200],
      ['cartUpdated', 200, 200],
    ]);
  });

  it.each([
    ['that expired an hour ago', shopper({ email: 'expired@example.com' }, { exp: Math.floor(Date.now() / 1000) - 3600 }), 'identity has expired'],
    ['signed with another secret', shopper({ email: 'forged@example.com' }, { secret: 'f'.repeat(64) }), 'identity signature is wrong'],
    ['of another shopper', shopper({ email: 'mallory@example.com' }, { sub: 'email:victim@example.org' }), "the event's contact is not the identity's"],
    ['missing (the server signed none)', inline(`ct('set_contact', { email: 'unsigned@example.com' });`), 'identity is missing'],
  ])('the same page with an identity %s: nothing recorded, one console line per refused letter, nothing retried', async (_, contact, reason) => {
    const since = ours.relay.logs.length;
    const id = `REFUSED-${reason.length}`;
    const tab = await s.context.newPage();
    await tab.goto(storePage(s.h, `/refused-${reason.length}`, config('event'), contact + calls(id)));
    // Three letters: the cart, the order, the closed cart; each refused once.
    const refused = () => posts(since).filter((l) => l.status === 403);
    await expect.poll(() => refused().length, { timeout: 10000 }).toBe(3);
    // Long enough for the tag's first retry (0.5–1 s) to show, were there one.
    const all = await settled(tab, 2000);

    expect(refused().map((l) => [l.eventTypeKey, l.reason])).toEqual([['cartUpdated', reason], ['orderCreated', reason], ['cartUpdated', reason]]);
    expect(posts(since).filter((l) => l.status !== 403)).toEqual([]);
    expect(of(all, 'esputnik-event')).toEqual([]);
    expect([s.h.collector.esputnik.contacts, s.h.collector.esputnik.order(id)]).toEqual([[], undefined]);
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    await settleConsole(tab, s.w);
    expect(s.w.errors().map((line) => /^ecomtag: refused: \{"eventTypeKey":"(\w+)"/.exec(line)?.[1] ?? line)).toEqual(['cartUpdated', 'orderCreated', 'cartUpdated']);
    // The refusal costs Calltouch nothing.
    expect(of(all, 'calltouch').map((r) => r.kind)).toEqual(['site', 'site']);
  });
});
