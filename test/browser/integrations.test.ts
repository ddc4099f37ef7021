// Issue 4's install paths with the real dist/ecomtag.js: the dataLayer bridge next to GTM's and gtag's own
// habits, and consent before anything is stored or sent.
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, fakeCalltouch, flush, inline, jsons, quiet, raws, siteBody, snippet, tagConfig, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

const cable = { id: '1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели/USB', quantity: 1 };
const ga4Item = { item_id: 1003, item_name: 'USB-удлинитель', price: 150.5, item_brand: 'xiaomi', item_category: 'кабели', item_category2: 'USB', quantity: 1 };

describe('the dataLayer bridge', () => {
  it('reads GA4, gtag and Universal Analytics pushes made before and after the tag, and keeps GTM’s push working', async () => {
    const config = { ...tagConfig(s.h.endpoint), dataLayer: 'dataLayer' };
    // GTM's snippet and gtag.js's: the array first, pushes before the tag has loaded.
    const before = inline(`
      window.dataLayer = window.dataLayer || [];
      function gtag() { dataLayer.push(arguments); }
      dataLayer.push({ ecommerce: null });
      dataLayer.push({ event: 'view_item', ecommerce: { items: ${JSON.stringify([ga4Item])} } });
      gtag('event', 'add_to_cart', { currency: 'RUB', items: ${JSON.stringify([ga4Item])} });`);
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/datalayer', html({ head: fakeCalltouch() + before + snippet(s.h, { config }) })));
    await tagReady(tab);
    // GTM wraps push after the tag; its wrapper calls ours, and the page's pushes still return push's result.
    const returned = await tab.evaluate(() => {
      const layer = (window as unknown as { dataLayer: unknown[] & { push(...entries: unknown[]): number } }).dataLayer;
      const inner = layer.push;
      const seen: unknown[] = [];
      layer.push = function (...entries: unknown[]) {
        seen.push(...entries);
        return inner.apply(this, entries);
      };
      const result = layer.push({ event: 'begin_checkout', ecommerce: { items: [{ item_id: 1003, quantity: 2 }] } });
      layer.push({ ecommerce: { purchase: { actionField: { id: 'UA-77' }, products: [{ id: 1003, name: 'USB-удлинитель', price: '150.50', quantity: 1 }] } } });
      return [result, seen.length, layer.length];
    });
    expect(returned).toEqual([4, 2, 5]);
    await flush(tab);
    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'detail', { products: [{ ...cable, quantity: 1 }] }),
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [cable] }),
      siteBody(SESSIONS[MOD_A], 'checkout', { products: [{ id: '1003', quantity: 2 }] }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'UA-77', products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 1 }] }),
    ]));
    expect(s.w.errors()).toEqual([]);
  });
});

describe('consent', () => {
  it('pending: nothing stored, no cookie, nothing sent; granted sends what waited, in call order', async () => {
    const config = { ...tagConfig(s.h.endpoint), consent: 'pending' };
    // The contact comes first: Calltouch's body is made when it is sent, with the contact known then, so a
    // contact given after the call may or may not be in it, depending on when the work behind the call runs.
    const calls = inline(`
      ct('set_contact', { email: 'a@b.ru' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'c-1', quantity: 1 }] });
      ct('send_ecommerce', 'checkout', { products: [{ id: 'c-1', quantity: 1 }] });`);
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/consent', html({ head: fakeCalltouch() + snippet(s.h, { config }) + calls })));
    await tagReady(tab);
    await flush(tab);
    expect(await tab.evaluate(() => [Object.keys(localStorage), document.cookie])).toEqual([[], '']);
    expect(s.h.collector.all).toEqual([]);

    // The shopper accepts: what waited goes, in call order.
    await tab.evaluate(() => ct('consent', 'granted'));
    await s.h.collector.waitFor(2);
    await flush(tab);
    expect(raws(await quiet(s.h.collector, 500))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'c-1', quantity: 1 }], contact: { email: 'a@b.ru' } }),
      siteBody(SESSIONS[MOD_A], 'checkout', { products: [{ id: 'c-1', quantity: 1 }], contact: { email: 'a@b.ru' } }),
    ]));
  });

  it('denied: what waited is dropped, the page keeps working, nothing is stored', async () => {
    const config = { ...tagConfig(s.h.endpoint), consent: 'pending' };
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/consent-denied', html({ head: fakeCalltouch() + snippet(s.h, { config }) })));
    await tagReady(tab);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'D-1', products: [{ id: 1, quantity: 1 }] });
      ct('consent', 'denied');
      ct('send_ecommerce', 'purchase', { id: 'D-2', products: [{ id: 1, quantity: 1 }] });
    });
    await flush(tab);
    expect(await quiet(s.h.collector, 500)).toEqual([]);
    expect(await tab.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await tab.evaluate(() => ct('calltracking_params', 'abcd1234'))).toEqual(SESSIONS[MOD_A]);
  });
});
