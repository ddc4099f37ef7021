// Hostile pages (SPEC §3, §7; issue 5): stores run old libraries and broken polyfills, patch built-ins and
// freeze prototypes. On each such page the tag must deliver the exact bodies it delivers anywhere else (or,
// where the page leaves it no way, keep what it cannot send for a page that can), never throw into the page
// (the scenario watcher collects every page error), and leave the page's own code working.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CollectorRecord } from '../support/recorder.mjs';
import {
  MOD_A, SESSIONS, bothConfig, fakeCalltouch, flush, inline, jsons, purchaseAndGo, quiet, siteBody, snippet,
  storedKeys, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

/**
 * The store's own code, run after the tag on every page: what it computes must not change because the tag is
 * there. Uses what the hostile setups touch: JSON, arrays, promises, storage.
 */
const OWN_CODE = inline(`window.ownCode = function () {
  var out = [JSON.stringify({ list: [1, 2], text: 'a' }), JSON.parse('{"n": [3]}').n.length, [3, 1, 2].sort().join('')];
  try { out.push(typeof localStorage.getItem('own')); } catch (e) { out.push('storage throws'); }
  return Promise.resolve(out);
};`);

const contact = { email: 'a@b.ru' };
const purchase = (id: string) => siteBody(SESSIONS[MOD_A], 'purchase', { id, products: [{ id: `${id}-p`, price: 150.5, quantity: 2 }], contact });
const addToCart = siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'cart-1', name: 'Чай', price: 99.9, quantity: 1 }], contact });

const calltouch = (records: CollectorRecord[]) => records.filter((r) => r.service === 'calltouch').map((r) => r.raw);
const tracker = (records: CollectorRecord[]) =>
  records
    .filter((r) => r.service === 'esputnik-tracker')
    .map((r) => (r.body as { GeneralInfo: { eventName: string } }).GeneralInfo.eventName);

/** What the own code computes on a page without anything hostile. */
const PLAIN_OWN_CODE = ['{"list":[1,2],"text":"a"}', 1, '123', 'object'];

/**
 * A shopper on a page set up by `hostile` (run before anything else): contact, cart, a purchase; then a second
 * purchase in the same tick as a navigation to a page set up the same way, which delivers whatever is left.
 */
async function shop(path: string, hostile: string): Promise<Page> {
  const head = hostile + fakeCalltouch() + snippet(s.h, { config: bothConfig(s.h) }) + OWN_CODE;
  const next = s.h.site.page(`${path}-next`, html({ head }));
  const tab = await s.context.newPage();
  await tab.goto(s.h.site.page(path, html({ head })));
  await tagReady(tab);
  await tab.evaluate(() => {
    ct('set_contact', { email: 'a@b.ru' });
    ct('send_ecommerce', 'addToCart', { products: [{ id: 'cart-1', name: 'Чай', price: '99.90', quantity: 1 }] });
    ct('send_ecommerce', 'purchase', { id: 'H-1', products: [{ id: 'H-1-p', price: 150.5, quantity: 2 }] });
  });
  // Answered, where the page's fetch answers at all.
  await Promise.race([flush(tab), new Promise((done) => setTimeout(done, 3000))]);
  await purchaseAndGo(tab, { id: 'H-2', products: [{ id: 'H-2-p', price: 150.5, quantity: 2 }] }, next);
  await tagReady(tab);
  return tab;
}

/**
 * Every body exactly as on a plain page, each once; the page's own code unchanged; nothing left behind.
 * `trackerEvents`: what eSputnik's tracker receives, when the page makes it lose one.
 */
async function expectDelivered(
  tab: Page,
  own: unknown[] = PLAIN_OWN_CODE,
  trackerEvents = ['CustomerData', 'StatusCart', 'PurchasedItems', 'PurchasedItems'],
  calltouchBodies = [addToCart, purchase('H-1'), purchase('H-2')],
) {
  await s.h.collector.waitFor((r) => r.service === 'calltouch', { count: calltouchBodies.length, timeout: 20000 });
  await s.h.collector.waitFor((r) => r.service === 'esputnik-tracker', { count: trackerEvents.length, timeout: 20000 });
  await flush(tab);
  const all = (await quiet(s.h.collector)).filter((r) => r.status === 200);
  expect(calltouch(all)).toEqual(jsons(calltouchBodies));
  expect(tracker(all)).toEqual(trackerEvents);
  expect(await tab.evaluate(() => ownCode())).toEqual(own);
  expect(await storedKeys(tab, 'o:').catch(() => [])).toEqual([]);
  expect(s.w.errors()).toEqual([]);
}

describe('hostile pages', () => {
  it('Prototype.js’s Array.prototype.toJSON (JSON.stringify of an array gives a string)', async () => {
    // Prototype 1.6: arrays serialise themselves to a JSON string, so JSON.stringify([1]) is '"[1]"'.
    const prototypeJs = inline(`Array.prototype.toJSON = function () { return '[' + this.map(function (v) { return JSON.stringify(v); }).join(',') + ']'; };`);
    const tab = await shop('/prototype-js', prototypeJs);
    await expectDelivered(tab, ['{"list":"[1,2]","text":"a"}', 1, '123', 'object']);
  });

  it('JSON.stringify and JSON.parse replaced by a library’s wrappers', async () => {
    const patchedJson = inline(`(function () {
      var stringify = JSON.stringify, parse = JSON.parse;
      JSON.stringify = function (value, replacer, space) { window.stringified = (window.stringified || 0) + 1; return stringify(value, replacer, space); };
      JSON.parse = function (text, reviver) { window.parsed = (window.parsed || 0) + 1; return parse(text, reviver); };
    })();`);
    const tab = await shop('/patched-json', patchedJson);
    await expectDelivered(tab);
  });

  it.each([
    { title: 'throws synchronously', fetch: 'function () { throw new TypeError("fetch polyfill: unsupported"); }' },
    { title: 'resolves to something that is not a Response', fetch: 'function () { return Promise.resolve({}); }' },
    { title: 'is missing', fetch: 'undefined' },
  ])('a fetch that $title: the beacon carries everything', async ({ fetch }) => {
    const tab = await shop('/broken-fetch', inline(`window.fetch = ${fetch};`));
    await expectDelivered(tab);
  });

  it('a fetch that never settles: what it held when the page went is lost, everything else leaves by beacon', async () => {
    // Each collector's first letter (eSputnik's CustomerData, Calltouch's addToCart) waits on the fetch; a page
    // that lived past the tag's 10 s timeout would keep them for a later page, but this one goes after 3 s and
    // the letters count as in flight.
    const tab = await shop('/hanging-fetch', inline('window.fetch = function () { return new Promise(function () {}); };'));
    await expectDelivered(tab, PLAIN_OWN_CODE, ['StatusCart', 'PurchasedItems', 'PurchasedItems'], [purchase('H-1'), purchase('H-2')]);
  });

  it('no sendBeacon: what a page cannot hand over is sent by the next one', async () => {
    const noBeacon = inline('delete Navigator.prototype.sendBeacon;');
    const tab = await shop('/no-beacon', noBeacon);
    await expectDelivered(tab);
  });

  it('a localStorage whose every write throws (a page’s own proxy in front of it)', async () => {
    const throwingWrites = inline(`(function () {
      var real = localStorage;
      var proxy = new Proxy(real, {
        get: function (target, key) { var v = target[key]; return typeof v === 'function' ? v.bind(target) : v; },
        set: function () { throw new DOMException('blocked', 'SecurityError'); },
        deleteProperty: function () { throw new DOMException('blocked', 'SecurityError'); },
      });
      Object.defineProperty(window, 'localStorage', { get: function () { return proxy; }, configurable: true });
    })();`);
    const tab = await shop('/throwing-storage', throwingWrites);
    await expectDelivered(tab);
  });

  it('Object.prototype frozen before the tag loads', async () => {
    const tab = await shop('/frozen', inline('Object.freeze(Object.prototype);'));
    await expectDelivered(tab);
  });

  it('window.Promise replaced by a polyfill that settles on timers', async () => {
    // A minimal Promises/A+ polyfill of the kind old stores bundle: callbacks run on setTimeout, not microtasks.
    const polyfill = inline(`(function () {
      function P(executor) {
        var self = this; self.s = 0; self.v = undefined; self.q = [];
        function settle(state, value) {
          if (self.s) return;
          if (state === 1 && value && (typeof value === 'object' || typeof value === 'function')) {
            var then; try { then = value.then; } catch (e) { return settle(2, e); }
            if (typeof then === 'function') { var done = false; try { then.call(value, function (v) { if (!done) { done = true; settle(1, v); } }, function (r) { if (!done) { done = true; settle(2, r); } }); } catch (e) { if (!done) { done = true; settle(2, e); } } return; }
          }
          self.s = state; self.v = value; self.q.forEach(function (f) { setTimeout(f, 0); }); self.q = [];
        }
        try { executor(function (v) { settle(1, v); }, function (r) { settle(2, r); }); } catch (e) { settle(2, e); }
        this.settle = settle;
      }
      P.prototype.then = function (onOk, onFail) {
        var self = this;
        return new P(function (resolve, reject) {
          function run() {
            var f = self.s === 1 ? onOk : onFail;
            if (typeof f !== 'function') return (self.s === 1 ? resolve : reject)(self.v);
            try { resolve(f(self.v)); } catch (e) { reject(e); }
          }
          if (self.s) setTimeout(run, 0); else self.q.push(run);
        });
      };
      P.prototype.catch = function (f) { return this.then(undefined, f); };
      P.prototype.finally = function (f) { return this.then(function (v) { f(); return v; }, function (r) { f(); throw r; }); };
      P.resolve = function (v) { return v instanceof P ? v : new P(function (r) { r(v); }); };
      P.reject = function (r) { return new P(function (_, j) { j(r); }); };
      P.all = function (list) { return new P(function (resolve, reject) { var out = [], n = list.length; if (!n) resolve(out); list.forEach(function (p, i) { P.resolve(p).then(function (v) { out[i] = v; if (!--n) resolve(out); }, reject); }); }); };
      P.race = function (list) { return new P(function (resolve, reject) { list.forEach(function (p) { P.resolve(p).then(resolve, reject); }); }); };
      window.Promise = P;
    })();`);
    const tab = await shop('/promise-polyfill', polyfill);
    await expectDelivered(tab);
  });
});
