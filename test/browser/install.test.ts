// Installing the tag (SPEC §2): calls made before the bundle arrives, a
// renamed global next to Calltouch's own `ct`, the snippet pasted twice and
// the bundle loaded twice, a global another script already owns, the
// CSP-friendly data-attribute install, and the debug switch.
import type { IncomingMessage } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_PATH, MOD_A, MOD_B, SESSIONS, fakeCalltouch, flush, holdBundle, inline, jsons, leave, purchaseAndGo, quiet,
  raws, settleConsole, siteBody, snippet, tagConfig, tagReady, useScenario,
} from '../support/scenario.mjs';
import { dataAttrTag, page as html } from '../support/snippet.mjs';

const s = useScenario();

/** Serves `code` as the store's external script at `path`, as a CSP without inline scripts demands; returns what stops it. */
const serveScript = (path: string, code: string) =>
  s.h.site.onRequest((req, res) => {
    if (pathOf(req) !== path) return;
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(code);
  });

/** Calltouch's cookies from an earlier visit: they carry the session. */
const earlierVisit = () =>
  s.context.addCookies([
    { name: '_ct_ids', value: `${MOD_A}:12345:555666777`, url: s.h.site.url },
    { name: '_ct', value: 'ct-cookie-client', url: s.h.site.url },
  ]);

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://site').pathname;

/** Counts the bundle's downloads from now on. */
function countBundleRequests() {
  const counter = { n: 0, off: () => {} };
  counter.off = s.h.site.onRequest((req) => {
    if (pathOf(req) === BUNDLE_PATH) counter.n += 1;
  });
  return counter;
}

const cable = { id: '1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5 };
const contact = { name: 'Анна', email: 'a@b.ru', phone: '79001234567' };

describe('calls made before the bundle loads', () => {
  it('are replayed in call order once it arrives, and nothing leaves before', async () => {
    // Hold the bundle's response until the test has made its calls.
    const bundle = holdBundle(s.h.site);
    try {
      // Product fields in another order, numbers as strings and eSputnik's
      // extra fields: the wire shows Calltouch's order and types only.
      const calls = `
        ct('send_ecommerce', 'detail', { products: [{ url: 'https://shop/1003', margin: '150.50', variant: 'длина шнура: 5м',
          category: 'кабели, шнуры, переходники', brand: 'xiaomi', price: '150.50', name: 'USB-удлинитель', id: 1003 }] });
        ct('set_contact', ${JSON.stringify({ ...contact, externalCustomerId: '42' })});
        ct('send_ecommerce', 'addToCart', { products: [{ id: 1003, name: 'USB-удлинитель', price: 150.5, quantity: 1 }] });
        ct('${MOD_B}', 'send_ecommerce', 'checkout', { products: [{ id: 1003, quantity: '2' }] });`;
      const tab = await s.context.newPage();
      await tab.goto(s.h.site.page('/early', html({ head: fakeCalltouch() + snippet(s.h) + inline(calls) })), { waitUntil: 'domcontentloaded' });
      await bundle.requested;
      // One more call while the bundle is still on its way, from page code.
      await tab.evaluate(() => ct('send_ecommerce', 'purchase', { id: 10031004, products: [{ id: 1003, price: 150.5, quantity: 1 }] }));

      // Without the bundle nothing can have been sent, and the global is still the stub.
      expect(s.h.collector.all).toEqual([]);
      expect(await tab.evaluate(() => typeof ct.flush)).toBe('undefined');

      bundle.release();
      await s.h.collector.waitFor(4, { timeout: 10000 });
      await flush(tab);
      // Events are mapped when they are sent: the contact set right after the detail rides on it too.
      expect(raws(s.h.collector.all)).toEqual(jsons([
        siteBody(SESSIONS[MOD_A], 'detail', { products: [cable], contact }),
        siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 1 }], contact }),
        siteBody(SESSIONS[MOD_B], 'checkout', { products: [{ id: '1003', quantity: 2 }], contact }),
        siteBody(SESSIONS[MOD_A], 'purchase', { id: '10031004', products: [{ id: '1003', price: 150.5, quantity: 1 }], contact }),
      ]));
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundle.off();
    }
  });
});

describe('a page that goes before the bundle comes', () => {
  const item = { id: 'early-1', price: 990, quantity: 1 };
  const savedByStub = (tab: Page) => tab.evaluate(() => localStorage.getItem('ecomtag:ct'));
  const inOrder = (...bodies: object[]) => jsons(bodies);

  it('leaves its calls for the next page, which sends them once, first, and not again on reload', async () => {
    const bundle = holdBundle(s.h.site, { firstOnly: true }); // the first page's never comes
    try {
      const tag = fakeCalltouch() + snippet(s.h);
      const next = s.h.site.page('/after-early', html({ head: tag }));
      const tab = await s.context.newPage();
      await tab.goto(s.h.site.page('/early-leave', html({ head: tag })), { waitUntil: 'domcontentloaded' });
      await bundle.requested;
      // The shopper clicks "buy" and the page navigates in the same tick, long before the bundle could arrive.
      await leave(tab.evaluate((url) => {
        ct('send_ecommerce', 'addToCart', { products: [{ id: 'early-1', price: 990, quantity: 1 }] });
        ct('send_ecommerce', 'purchase', { id: 'E-1', products: [{ id: 'early-1', price: 990, quantity: 1 }] });
        location.href = url;
      }, next));
      await tab.waitForURL(next);
      await tagReady(tab);
      await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 'early-2' }] }));
      await s.h.collector.waitFor(3);
      await flush(tab);
      expect(await savedByStub(tab)).toBeNull();

      await tab.reload();
      await tagReady(tab);
      await flush(tab);
      expect(raws(await quiet(s.h.collector))).toEqual(inOrder(
        siteBody(SESSIONS[MOD_A], 'addToCart', { products: [item] }),
        siteBody(SESSIONS[MOD_A], 'purchase', { id: 'E-1', products: [item] }),
        siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'early-2' }] }),
      ));
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundle.off();
    }
  });

  it('saves nothing while the store waits for consent', async () => {
    const bundle = holdBundle(s.h.site, { firstOnly: true }); // the first page's never comes
    try {
      const config = { ...tagConfig(s.h.endpoint), consent: 'pending' };
      const next = s.h.site.page('/after-pending', html({ head: fakeCalltouch() + snippet(s.h) }));
      const tab = await s.context.newPage();
      await tab.goto(s.h.site.page('/pending-leave', html({ head: fakeCalltouch() + snippet(s.h, { config }) })), { waitUntil: 'domcontentloaded' });
      await bundle.requested;
      await purchaseAndGo(tab, { id: 'P-1', products: [{ id: 'early-1', price: 990, quantity: 1 }] }, next);
      await flush(tab);
      expect(await quiet(s.h.collector)).toEqual([]);
      expect(await savedByStub(tab)).toBeNull();
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundle.off();
    }
  });
});

describe('a renamed global', () => {
  it('leaves Calltouch’s own ct untouched and reads its session from it', async () => {
    // Calltouch's script keeps `ct`; the store installs the tag as `ecom` and tells it where Calltouch lives.
    const config = tagConfig(s.h.endpoint, { global: 'ct' });
    const keep = inline('window.__calltouch = window.ct;');
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/renamed', html({ head: fakeCalltouch({ global: 'ct' }) + keep + snippet(s.h, { name: 'ecom', config }) })));
    await tagReady(tab, 'ecom');

    await tab.evaluate(() => ecom('send_ecommerce', 'purchase', { id: 'R-2', products: [{ id: 7, quantity: 3 }] }));
    await s.h.collector.waitFor(1);
    await flush(tab, 'ecom');

    expect(raws(s.h.collector.all)).toEqual(jsons([siteBody(SESSIONS[MOD_A], 'purchase', { id: 'R-2', products: [{ id: '7', quantity: 3 }] })]));
    const state = await tab.evaluate(() => ({
      same: window.ct === (window as any).__calltouch,
      // The tag only ever asks Calltouch's script for the session; it never sends through it.
      commands: [...new Set<string>(ct.calls.map((call: unknown[]) => String(call[0])))],
      passed: ecom('calltracking_params', 'abcd1234'),
    }));
    expect(state).toEqual({ same: true, commands: ['calltracking_params'], passed: SESSIONS[MOD_A] });
    expect(s.w.errors()).toEqual([]);
  });
});

describe('pasted twice, loaded twice', () => {
  it('sends every event once', async () => {
    const bundles = countBundleRequests();
    try {
      // The snippet twice (a theme and a plugin both paste it), with calls
      // between, and a second copy of the bundle loaded by hand.
      const head = fakeCalltouch() + snippet(s.h)
        + inline("ct('send_ecommerce', 'detail', { products: [{ id: 'twice-1' }] });")
        + snippet(s.h)
        + inline("ct('send_ecommerce', 'addToCart', { products: [{ id: 'twice-2', quantity: 1 }] });")
        // Another URL for the copy: Chromium shares one download between two script elements with the same src.
        + `<script async src="${s.h.bundleUrl}?copy=2" data-name="ct"></script>`;
      const tab = await s.context.newPage();
      await tab.goto(s.h.site.page('/twice', html({ head })));
      await tagReady(tab);
      await tab.evaluate(() => ct('send_ecommerce', 'purchase', { id: 'twice-3', products: [{ id: 'twice-3' }] }));
      await s.h.collector.waitFor(3);
      await flush(tab);

      const expected = jsons([
        siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'twice-1' }] }),
        siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'twice-2', quantity: 1 }] }),
        siteBody(SESSIONS[MOD_A], 'purchase', { id: 'twice-3', products: [{ id: 'twice-3' }] }),
      ]);
      expect(raws(await quiet(s.h.collector))).toEqual(expected);
      // The scenario really ran the bundle twice (the stub inserts it once).
      expect(bundles.n).toBe(2);
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundles.off();
    }
  });
});

describe('a global another script owns', () => {
  const TAKEN = 'ecomtag: window.ct is taken by another script; ecomtag is not installed';
  const mine = inline("window.ct = function () { return 'mine:' + [].slice.call(arguments).join(','); };");
  // Calltouch's insertion stub as reference/calltouch.md prints it (its init.js download left out).
  const calltouchStub = inline('(function(w,d,n,c){w.CalltouchDataObject=n;w[n]=function(){w[n]["callbacks"].push(arguments)};'
    + 'if(!w[n]["callbacks"]){w[n]["callbacks"]=[]}w[n]["loaded"]=false;if(typeof c!=="object"){c=[c]}w[n]["counters"]=c;'
    + '})(window,document,"ct","abcd1234");');

  it.each([
    // The stub leaves the name alone but loads the bundle all the same: the bundle says why, once.
    { title: 'a page function, inline snippet', head: () => mine + snippet(s.h), bundles: 1, calltouch: false },
    { title: 'Calltouch’s stub, inline snippet', head: () => calltouchStub + snippet(s.h), bundles: 1, calltouch: true },
    {
      title: 'a page function, data-attribute install',
      head: () => mine + dataAttrTag({ config: tagConfig(s.h.endpoint), bundleUrl: s.h.bundleUrl }),
      bundles: 1, calltouch: false,
    },
  ])('$title: one console.error, nothing installed, the owner keeps working', async ({ head, bundles, calltouch }) => {
    const requests = countBundleRequests();
    try {
      const tab = await s.context.newPage();
      await tab.goto(s.h.site.page('/taken', html({ head: head() }))); // 'load': an async bundle has run by then
      await settleConsole(tab, s.w);

      expect(s.w.errors()).toEqual([TAKEN]);
      expect(requests.n).toBe(bundles);
      const owner = await tab.evaluate(() => {
        const before = ct.callbacks ? ct.callbacks.length : 0;
        const returned = ct('send_ecommerce', 'purchase', { id: 'T', products: [{ id: 1 }] });
        return { returned, queued: ct.callbacks ? ct.callbacks.length - before : 0, loaded: ct.loaded, flush: typeof ct.flush };
      });
      expect(owner).toEqual(calltouch
        ? { returned: undefined, queued: 1, loaded: false, flush: 'undefined' }
        : { returned: 'mine:send_ecommerce,purchase,[object Object]', queued: 0, loaded: undefined, flush: 'undefined' });
      // The owner's global is the only one: the tag cannot have sent anything.
      expect(s.h.collector.all).toEqual([]);
    } finally {
      requests.off();
    }
  });
});

describe('the data-attribute install under a strict CSP', () => {
  /** The start of the store's script: every CSP violation the page meets, kept for the test to read. */
  const RECORD_VIOLATIONS = `
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });`;

  it('installs from data-* without inline script and delivers', async () => {
    const site = s.h.site;
    // The store's own code, external as the CSP demands; it calls the tag once the page has loaded.
    const shop = `${RECORD_VIOLATIONS}
      addEventListener('load', function () {
        ct('set_contact', { email: 'a@b.ru' });
        ct('send_ecommerce', 'purchase', { id: 'CSP-1', products: [{ id: 7, name: "Чай 'Earl Grey' & <co>", price: '99.90', quantity: '2' }] });
      });`;
    const off = serveScript('/shop.js', shop);
    try {
      await earlierVisit();
      const csp = `script-src ${site.url}; connect-src ${s.h.collector.url}`;
      const head = dataAttrTag({ config: tagConfig(s.h.endpoint), bundleUrl: s.h.bundleUrl }) + '<script src="/shop.js"></script>';
      const tab = await s.context.newPage();
      await tab.goto(site.page('/csp', html({ head }), { headers: { 'Content-Security-Policy': csp } }));
      await s.h.collector.waitFor(1);
      await flush(tab);

      const session = { modId: MOD_A, siteId: 12345, sessionId: 555666777, ctClientId: 'ct-cookie-client' };
      expect(raws(s.h.collector.all)).toEqual(jsons([siteBody(session, 'purchase', {
        id: 'CSP-1', products: [{ id: '7', name: "Чай 'Earl Grey' & <co>", price: 99.9, quantity: 2 }], contact: { email: 'a@b.ru' },
      })]));
      expect(s.h.collector.all[0].contentType).toBe('application/json');
      expect(await tab.evaluate(() => (window as any).__violations)).toEqual([]);
      expect(s.w.errors()).toEqual([]);
    } finally {
      off();
    }
  });

  it('under default-src none and Trusted Types, with eSputnik and a purchase in the same tick as a navigation: delivers', async () => {
    const site = s.h.site;
    // The store's code: a purchase, then another in the same tick as a navigation (the beacon's turn).
    const shop = `${RECORD_VIOLATIONS}
      addEventListener('load', function () {
        if (location.pathname !== '/csp-strict') return;
        ct('set_contact', { email: 'a@b.ru' });
        ct('send_ecommerce', 'purchase', { id: 'CSP-2', products: [{ id: 7, price: '99.90', quantity: '2' }] });
        ct('send_ecommerce', 'purchase', { id: 'CSP-3', products: [{ id: 8, price: 10, quantity: 1 }] });
        location.href = '/csp-strict-next';
      });`;
    const off = serveScript('/shop-strict.js', shop);
    try {
      await earlierVisit();
      const csp = `default-src 'none'; script-src ${site.url}; connect-src ${s.h.collector.url}; require-trusted-types-for 'script'; trusted-types 'none'`;
      const config = {
        ...tagConfig(s.h.endpoint),
        accounts: [{ modId: MOD_A, calltouch: { siteId: 12345 }, esputnik: { siteId: '8A412DC' } }],
        esputnik: { endpoint: s.h.collector.url + '/esputnik/tracker' },
      };
      // The tag reads its settings without the bundle's async: the store's script, after it, may call at once.
      const head = dataAttrTag({ config, bundleUrl: s.h.bundleUrl }).replace(' async', '') + '<script src="/shop-strict.js"></script>';
      const headers = { 'Content-Security-Policy': csp };
      const next = site.page('/csp-strict-next', html({ head }), { headers });
      const tab = await s.context.newPage();
      await tab.goto(site.page('/csp-strict', html({ head }), { headers }));
      await tab.waitForURL(next);
      await s.h.collector.waitFor((r) => r.service === 'calltouch', { count: 2, timeout: 10000 });
      await s.h.collector.waitFor((r) => r.service === 'esputnik-tracker', { count: 3, timeout: 10000 });
      await flush(tab);

      const all = await quiet(s.h.collector);
      const session = { modId: MOD_A, siteId: 12345, sessionId: 555666777, ctClientId: 'ct-cookie-client' };
      // Sorted: what leaves at pagehide goes as beacons side by side, which may arrive in any order.
      expect(raws(all.filter((r) => r.service === 'calltouch')).sort()).toEqual(jsons([
        siteBody(session, 'purchase', { id: 'CSP-2', products: [{ id: '7', price: 99.9, quantity: 2 }], contact: { email: 'a@b.ru' } }),
        siteBody(session, 'purchase', { id: 'CSP-3', products: [{ id: '8', price: 10, quantity: 1 }], contact: { email: 'a@b.ru' } }),
      ]).sort());
      expect(all.filter((r) => r.service === 'esputnik-tracker').map((r) => (r.body as { GeneralInfo: { eventName: string } }).GeneralInfo.eventName).sort())
        .toEqual(['CustomerData', 'PurchasedItems', 'PurchasedItems']);
      expect(await tab.evaluate(() => (window as any).__violations)).toEqual([]);
      expect(s.w.errors()).toEqual([]);
    } finally {
      off();
    }
  });
});

describe('debug switch', () => {
  it.each([
    { label: 'with ?ecomtag_debug=1', query: '?ecomtag_debug=1', debug: true },
    { label: 'without it', query: '', debug: false },
  ])('$label: console.debug lines prefixed ecomtag[ct] = $debug', async ({ query, debug }) => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/debug', html({ head: fakeCalltouch() + snippet(s.h) })) + query);
    await tagReady(tab);
    await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 'dbg' }] }));
    await s.h.collector.waitFor(1);
    await flush(tab);
    await settleConsole(tab, s.w);

    const lines = s.w.messages.filter((m) => m.text.startsWith('ecomtag'));
    if (debug) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((m) => m.type === 'debug' && m.text.startsWith('ecomtag[ct] '))).toBe(true);
    } else {
      expect(lines).toEqual([]);
    }
    expect(s.h.collector.all).toHaveLength(1);
  });
});
