// eSputnik's tracker format in Chromium (issue 3): pages on 127.0.0.1, the stand-in tracker endpoint on the
// collector's port, which checks every body against reference/esputnik.md §1. The cart lives in the shopper's
// browser, so the scenarios that matter cross pages.
import { describe, expect, it } from 'vitest';
import type { CollectorRecord } from '../support/recorder.mjs';
import { MOD_A, MOD_B, fakeCalltouch, flush, inline, quiet, snippet, tagConfig, tagReady, useScenario } from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
const TRACKER_PATH = '/esputnik/tracker';

interface TrackerBody {
  GeneralInfo: Record<string, unknown> & { cookies: { sc: string } };
  ProductPage?: { Product: { productKey: string } };
  StatusCart?: { GUID: string; Products: Array<{ productKey: string; quantity: number; price: string }> };
  PurchasedItems?: { OrderNumber: string; Products: unknown[]; GUID: string };
}

/** The brief's two accounts; only the first has eSputnik. */
const config = () => {
  const base = tagConfig(s.h.endpoint);
  base.accounts[0] = { ...base.accounts[0], esputnik: { siteId: '8A412DC' } } as (typeof base.accounts)[0];
  return { ...base, esputnik: { endpoint: s.h.collector.url + TRACKER_PATH } };
};
const storePage = (path: string, extraHead = '') => s.h.site.page(path, html({ head: fakeCalltouch() + extraHead + snippet(s.h, { config: config() }) }));
const tracker = (records: CollectorRecord[]) => records.filter((r) => r.service === 'esputnik-tracker').map((r) => r.body as TrackerBody);
const cart = (body: TrackerBody) => body.StatusCart!.Products.map((p) => `${p.productKey}×${p.quantity}@${p.price}`);

describe('eSputnik tracker', () => {
  it('a two-product detail: one ProductPage per product, with a first-party sc cookie kept across pages', async () => {
    const url = storePage('/product');
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 1003, price: '150.50', isInStock: true }, { id: 'sku-2', price: 20 }] }));
    await flush(tab);
    await tab.reload();
    await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 1003, price: '150.50' }] }));
    await flush(tab);
    const bodies = tracker(await quiet(s.h.collector, 500));
    expect(bodies.map((b) => [b.GeneralInfo.eventName, b.ProductPage?.Product])).toEqual([
      ['ProductPage', { productKey: '1003', price: '150.5', isInStock: '1' }],
      ['ProductPage', { productKey: 'sku-2', price: '20' }],
      ['ProductPage', { productKey: '1003', price: '150.5' }],
    ]);
    const sc = bodies[0].GeneralInfo.cookies.sc;
    expect(sc).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(bodies.map((b) => b.GeneralInfo.cookies.sc)).toEqual([sc, sc, sc]);
    const cookie = (await s.context.cookies()).find((c) => c.name === 'sc');
    expect(cookie).toMatchObject({ value: sc, path: '/', sameSite: 'Lax' });
    // About a year: created once and kept.
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(364 * 864e5);
  });

  it('a cart built over two pages: the second page’s StatusCart holds both, under a new GUID', async () => {
    const first = storePage('/catalog');
    const second = storePage('/product-2');
    const tab = await s.context.newPage();
    await tab.goto(first);
    await tab.evaluate(() => ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10, quantity: 2 }] }));
    await tab.goto(second);
    await tab.evaluate(() => ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] }));
    await tab.evaluate(() => ct('send_ecommerce', 'removeFromCart', { products: [{ id: 1, quantity: 1 }] }));
    await flush(tab);
    const bodies = tracker(await quiet(s.h.collector, 500));
    expect(bodies.map(cart)).toEqual([['1×2@10'], ['1×2@10', '2×1@5'], ['1×1@10', '2×1@5']]);
    expect(new Set(bodies.map((b) => b.StatusCart!.GUID)).size).toBe(3);
  });

  it('purchase, then a fresh cart: PurchasedItems, and the next cart starts empty under a new GUID', async () => {
    const url = storePage('/checkout');
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab); // the reload below must not come before the bundle has taken the calls
    await tab.evaluate(() => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 10 }] });
      ct('send_ecommerce', 'checkout', { products: [{ id: 1, price: 10 }] });
      ct('send_ecommerce', 'purchase', { id: 'ES-1', products: [{ id: 1, price: 10 }] });
    });
    // Delivered before the reload: what is still waiting at pagehide leaves as beacons side by side, whose
    // arrival order nobody controls, and this test is about the order.
    await flush(tab);
    await tab.reload(); // the thank-you page again: nothing new
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'ES-1', products: [{ id: 1, price: 10 }] });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 7 }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-tracker', { count: 4 });
    const bodies = tracker(await quiet(s.h.collector, 500));
    expect(bodies.map((b) => b.GeneralInfo.eventName)).toEqual(['StatusCart', 'StatusCart', 'PurchasedItems', 'StatusCart']);
    // The order carries the GUID of the last cart state, the checkout's (reference/esputnik.md §1).
    expect(bodies[2].PurchasedItems).toEqual({ Products: [{ product_id: '1', unit_price: '10', quantity: 1 }], OrderNumber: 'ES-1', GUID: bodies[1].StatusCart!.GUID });
    expect(cart(bodies[3])).toEqual(['2×1@7']);
    expect(new Set(bodies.filter((b) => b.StatusCart).map((b) => b.StatusCart!.GUID)).size).toBe(3);
  });

  it('set_contact with an existing sc cookie: CustomerData carries eSputnik’s own cookie and the contact, and so does every later event', async () => {
    const ownCookie = inline(`document.cookie = 'sc=3C4114A3-94FB-4D83-9655-CDA68358FEB3; path=/';`);
    const url = storePage('/account', ownCookie);
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tab.evaluate(() => {
      ct('set_contact', { email: 'anna@example.com', phone: '79001234567', externalCustomerId: '42', name: 'Анна' });
      ct('send_ecommerce', 'detail', { products: [{ id: 5, price: 1 }] });
    });
    await tab.reload();
    await tab.evaluate(() => ct('set_contact', { email: 'anna@example.com' })); // nothing new: no second CustomerData
    await flush(tab);
    const records = await quiet(s.h.collector, 500);
    expect(records.filter((r) => r.service === 'esputnik-tracker').map((r) => r.raw!.replace(/"datetime":\d+/, '"datetime":T'))).toEqual([
      '{"GeneralInfo":{"eventName":"CustomerData","siteId":"8A412DC","datetime":T,"externalCustomerId":"42","user_phone":"79001234567","user_email":"anna@example.com","user_name":"Анна","cookies":{"sc":"3C4114A3-94FB-4D83-9655-CDA68358FEB3"}}}',
      '{"GeneralInfo":{"eventName":"ProductPage","siteId":"8A412DC","datetime":T,"externalCustomerId":"42","user_phone":"79001234567","user_email":"anna@example.com","user_name":"Анна","cookies":{"sc":"3C4114A3-94FB-4D83-9655-CDA68358FEB3"}},"ProductPage":{"Product":{"productKey":"5","price":"1"}}}',
    ]);
    expect((await s.context.cookies()).filter((c) => c.name === 'sc').map((c) => c.value)).toEqual(['3C4114A3-94FB-4D83-9655-CDA68358FEB3']);
  });

  it('an account without eSputnik: its events reach Calltouch and nothing reaches eSputnik', async () => {
    const url = storePage('/other-account');
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab);
    await tab.evaluate(([modB]) => {
      ct(modB, 'send_ecommerce', 'addToCart', { products: [{ id: 9, price: 1 }] });
      ct(modB, 'send_ecommerce', 'purchase', { id: 'B-1', products: [{ id: 9, price: 1 }] });
    }, [MOD_B]);
    await tab.evaluate(([modA]) => ct(modA, 'send_ecommerce', 'addToCart', { products: [{ id: 3, price: 2 }] }), [MOD_A]);
    await flush(tab);
    const records = await quiet(s.h.collector, 500);
    expect(records.filter((r) => r.service === 'calltouch').map((r) => (r.body as { modId: string; eventType: string }).modId + ' ' + (r.body as { eventType: string }).eventType)).toEqual([
      `${MOD_B} addToCart`,
      `${MOD_B} purchase`,
      `${MOD_A} addToCart`,
    ]);
    expect(tracker(records).map(cart)).toEqual([['3×1@2']]);
  });

  it('a cart event in the same tick as a navigation still arrives, once', async () => {
    const from = storePage('/leave-from');
    const to = storePage('/leave-to');
    const tab = await s.context.newPage();
    await tab.goto(from);
    await tagReady(tab);
    await tab.evaluate((next) => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'nav', price: 3 }] });
      location.href = next;
    }, to).catch(() => undefined);
    await tab.waitForURL(to);
    await s.h.collector.waitFor((r) => r.service === 'esputnik-tracker');
    await flush(tab);
    expect(tracker(await quiet(s.h.collector, 1000)).map(cart)).toEqual([['nav×1@3']]);
  });
});
