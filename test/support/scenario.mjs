// Shared pieces of the browser scenario tests (test/browser/*.test.ts): the
// servers and browser, the store's configuration, fake Calltouch sessions,
// the exact bodies Calltouch must receive, and a watcher that collects every
// console line and page error a context produces. Nothing here works around
// the tag: pages are built as the README tells a store to build them.
import { createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.mjs';
import { startCollector } from './collector.mjs';
import { listen, readBody, shutdown } from './http.mjs';
import { scriptJson, snippetTag } from './snippet.mjs';
import { pathOf, startSite } from './site.mjs';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./collector.mjs').Collector} Collector */
/** @typedef {import('./site.mjs').Site} Site */
/** @typedef {import('./recorder.mjs').CollectorRecord} CollectorRecord */
/** @typedef {{modId: string, siteId: number, sessionId: number, ctClientId: string}} Session */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE_PATH = '/dist/ecomtag.js';
export const CALLTOUCH_PATH = '/calltouch/ecommerce.php';
export const MOD_A = 'abcd1234';
export const MOD_B = 'efgh5678';
/** The console.error prefix of a bad purchase call on the global `ct`. */
export const BAD_PURCHASE = "ecomtag: ct('send_ecommerce', 'purchase'): ";

/**
 * What Calltouch's script would answer to calltracking_params, per mod_id.
 * @type {Readonly<Record<string, Session>>}
 */
export const SESSIONS = Object.freeze({
  [MOD_A]: Object.freeze({ modId: MOD_A, siteId: 12345, sessionId: 987654321, ctClientId: 'ct-client-a' }),
  [MOD_B]: Object.freeze({ modId: MOD_B, siteId: 67890, sessionId: 123456789, ctClientId: 'ct-client-b' }),
});

/** @typedef {{collector: Collector, site: Site, browser: Browser, endpoint: string, bundleUrl: string, close(): Promise<void>}} Harness */

/**
 * One collector, one site and one Chromium for a test file.
 * @returns {Promise<Harness>}
 */
export async function startHarness() {
  const [collector, site, browser] = await Promise.all([startCollector(), startSite({ root: ROOT }), launchBrowser()]);
  return {
    collector, site, browser,
    endpoint: collector.url + CALLTOUCH_PATH,
    bundleUrl: site.url + BUNDLE_PATH,
    close: async () => {
      await browser.close();
      await Promise.all([collector.close(), site.close()]);
    },
  };
}

/**
 * The hooks every scenario file shares: one harness per file, a fresh
 * browser context per test (no preflight cache, no storage carried over), and
 * after each test the two checks every scenario makes: no page error in any
 * page, and every body the tag sent passed the collector's strict schema.
 * Read the fields inside tests and hooks, not at module level.
 */
export function useScenario() {
  /** @typedef {{h: Harness, context: BrowserContext, w: Watch, contexts: BrowserContext[], newContext(options?: import('playwright-core').BrowserContextOptions): Promise<BrowserContext>}} Scenario */
  // Filled in by the hooks below, before any test reads it.
  const s = /** @type {Scenario} */ (/** @type {unknown} */ ({}));
  // A further context, watched and closed like the first: a second browser
  // profile, for repeats that must not share storage, or one with its own
  // options (a shopper in another time zone).
  s.newContext = async (options) => {
    const context = await s.h.browser.newContext(options);
    s.w.attach(context);
    s.contexts.push(context);
    return context;
  };
  beforeAll(async () => {
    s.h = await startHarness();
    // Chromium asks every page for one; a 404 would be a console error.
    s.h.site.page('/favicon.ico', '');
  });
  afterAll(async () => {
    await s.h?.close();
  });
  beforeEach(async () => {
    s.h.collector.reset();
    s.context = await s.h.browser.newContext();
    s.w = watch(s.context);
    s.contexts = [s.context];
  });
  afterEach(async () => {
    const invalid = s.h.collector.invalid.map((r) => ({ raw: r.raw?.slice(0, 500), errors: r.errors }));
    await Promise.all(s.contexts.map((c) => c.close()));
    expect(s.w.pageErrors, 'page errors').toEqual([]);
    expect(invalid, 'bodies that broke the schema').toEqual([]);
  });
  return s;
}

/**
 * The configuration of the brief: two accounts, Calltouch's global renamed to
 * `ctw` so that `ct` is ours, sessions waited for 2 s.
 * @param {string} endpoint
 * @param {{global?: string, sessionWaitMs?: number, debug?: boolean}} [calltouch]
 */
export function tagConfig(endpoint, calltouch = {}) {
  return {
    accounts: [{ modId: MOD_A, calltouch: { siteId: 12345 } }, { modId: MOD_B, calltouch: { siteId: 67890 } }],
    calltouch: { endpoint, global: 'ctw', sessionWaitMs: 2000, ...calltouch },
  };
}

/**
 * Account A sending to Calltouch and to eSputnik's tracker (the collector's `/esputnik/tracker`): two
 * collectors, each with its own backoff.
 * @param {Harness} h
 */
export function bothConfig(h) {
  return {
    accounts: [{ modId: MOD_A, calltouch: { siteId: 12345 }, esputnik: { siteId: '8A412DC' } }],
    calltouch: { endpoint: h.endpoint, global: 'ctw', sessionWaitMs: 2000 },
    esputnik: { endpoint: h.collector.url + '/esputnik/tracker' },
  };
}

/** @param {string} js @returns {string} an inline script element */
export function inline(js) {
  return `<script>${js}</script>`;
}

/**
 * A stand-in for Calltouch's loaded script under `global`: answers
 * calltracking_params from `sessions` (undefined before `lateMs` has passed),
 * records every call in `window[global].calls`, and returns `pass:<command>`
 * for anything else so pass-through return values can be checked.
 * With `stub`, it starts as Calltouch's insertion stub (loaded === false,
 * queueing into .callbacks) and is replaced by the dispatcher after `lateMs`;
 * the stub's queue is kept in `window.__ctStubCallbacks`.
 * @param {{global?: string, sessions?: Record<string, Session>, lateMs?: number, stub?: boolean}} [options]
 */
export function fakeCalltouch({ global = 'ctw', sessions = SESSIONS, lateMs = 0, stub = false } = {}) {
  return inline(`(function (w, n, sessions, lateMs, stub) {
  var since = Date.now();
  function dispatcher(command, modId) {
    dispatcher.calls.push(Array.prototype.slice.call(arguments));
    if (command === 'calltracking_params') {
      if (Date.now() - since < lateMs) return undefined;
      return modId ? sessions[modId] : Object.keys(sessions).map(function (k) { return sessions[k]; });
    }
    return 'pass:' + command;
  }
  dispatcher.calls = [];
  if (!stub) { w[n] = dispatcher; return; }
  w[n] = function () { w[n].callbacks.push(arguments); };
  w[n].callbacks = []; w[n].loaded = false;
  w.__ctStubCallbacks = w[n].callbacks;
  setTimeout(function () { w[n] = dispatcher; }, lateMs);
})(window, ${scriptJson(global)}, ${scriptJson(sessions)}, ${lateMs}, ${stub});`);
}

/**
 * The cookies Calltouch's script leaves behind (reference/calltouch.md).
 * @param {Session[]} sessions
 * @param {string} [ctClientId] the `_ct` cookie
 */
export function calltouchCookies(sessions, ctClientId = 'ct-cookie-client') {
  const ids = sessions.map((s) => `${s.modId}:${s.siteId}:${s.sessionId}`).join('_');
  return inline(`document.cookie = ${scriptJson(`_ct_ids=${ids}; path=/`)}; document.cookie = ${scriptJson(`_ct=${ctClientId}; path=/`)};`);
}

/**
 * The inline snippet with the brief's configuration (see tagConfig).
 * @param {Harness} h
 * @param {{name?: string, config?: unknown}} [options]
 */
export function snippet(h, { name = 'ct', config = tagConfig(h.endpoint) } = {}) {
  return snippetTag({ name, config, bundleUrl: h.bundleUrl });
}

/**
 * Every console line and page error of the contexts it watches, in arrival
 * order. `attach` adds another context (tests that need several).
 * @param {BrowserContext} context
 */
export function watch(context) {
  /** @type {{type: string, text: string}[]} */
  const messages = [];
  /** @type {string[]} */
  const pageErrors = [];
  /** @param {BrowserContext} c */
  const attach = (c) => {
    c.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
    c.on('weberror', (e) => pageErrors.push(String(e.error()?.stack ?? e.error())));
  };
  attach(context);
  return {
    messages,
    pageErrors,
    attach,
    /**
     * console.error lines, without Chromium's own "Failed to load resource"
     * reports: those follow every refused or failed request a scenario
     * provokes on purpose, and the collector's records already tell them.
     */
    errors: () => messages.filter((m) => m.type === 'error' && !m.text.startsWith('Failed to load resource: ')).map((m) => m.text),
  };
}

/** @typedef {ReturnType<typeof watch>} Watch */

let markers = 0;

/**
 * Waits until every console line the page wrote so far has reached `w`:
 * console events arrive in order, so a marker logged now arrives after them.
 * @param {Page} page
 * @param {Watch} w
 */
export async function settleConsole(page, w) {
  const marker = `-- marker ${++markers} --`;
  await Promise.all([
    page.waitForEvent('console', { predicate: (m) => m.text() === marker }),
    page.evaluate((text) => console.log(text), marker),
  ]);
}

/**
 * Waits for the bundle to have taken over the global (`flush` appears then).
 * @param {Page} page
 * @param {string} [name]
 */
export async function tagReady(page, name = 'ct') {
  await page.waitForFunction((n) => typeof (/** @type {Record<string, {flush?: unknown} | undefined>} */ (/** @type {unknown} */ (window)))[n]?.flush === 'function', name);
}

/**
 * Resolves when the tag's outbox has answered everything due.
 * @param {Page} page
 * @param {string} [name]
 */
export async function flush(page, name = 'ct') {
  await tagReady(page, name);
  await page.evaluate((n) => (/** @type {Record<string, {flush(): Promise<void>}>} */ (/** @type {unknown} */ (window)))[n].flush(), name);
}

/**
 * The scenario's "nothing more arrives": waits a bounded quiet period and
 * returns every request the collector saw, for the test to compare.
 * @param {Collector} collector
 * @param {number} [ms]
 */
export async function quiet(collector, ms = 1500) {
  await new Promise((done) => setTimeout(done, ms));
  return collector.all;
}

/**
 * The localStorage keys of the tag named `name` that start with `prefix`
 * (`o:` outbox letters, waiting ones included; `b:` backoffs).
 * @param {Page} page
 * @param {string} prefix
 * @param {string} [name]
 */
export function storedKeys(page, prefix, name = 'ct') {
  return page.evaluate((start) => Object.keys(localStorage).filter((k) => k.startsWith(start)), `ecomtag:${name}:${prefix}`);
}

/**
 * @typedef {{id: string, name?: string, price?: number, brand?: string, category?: string,
 *   variant?: string, margin?: number, quantity?: number}} WireProduct
 */

/**
 * The site body, key by key in the order of reference/calltouch.md.
 * @param {Session} session
 * @param {string} eventType
 * @param {{id?: string, products: WireProduct[], contact?: {name?: string, email?: string, phone?: string}}} event
 */
export function siteBody(session, eventType, { id, products, contact = {} }) {
  /** @type {Record<string, unknown>} */
  const body = { siteId: session.siteId, sessionId: session.sessionId, modId: session.modId, ctClientId: session.ctClientId, eventType };
  if (eventType === 'purchase' || eventType === 'refund') body.id = id;
  body.products = products;
  if (eventType === 'purchase') body.manager = null;
  Object.assign(body, {
    fio: contact.name ?? null, email: contact.email ?? null, phoneNumber: contact.phone ?? null, comment: null, addTags: [],
  });
  return body;
}

/**
 * The session-less body of seed 000. Its product ids as that format's example types them (l.256 "id": 3): write
 * an id of digits as the number.
 * @param {number} siteId
 * @param {'purchase' | 'refund'} eventType
 * @param {string} id
 * @param {Array<Omit<WireProduct, 'id'> & {id: string | number}>} products
 */
export function offlineBody(siteId, eventType, id, products) {
  return { siteId, eventType, id, products };
}

/**
 * The raw bodies, as sent: comparing the JSON text checks values, types
 * ("150.50" must arrive as 150.5) and key order at once.
 * @param {CollectorRecord[]} records
 */
export function raws(records) {
  return records.map((r) => r.raw);
}

/** @param {object[]} bodies */
export function jsons(bodies) {
  return bodies.map((b) => JSON.stringify(b));
}

/**
 * Awaits a page.evaluate whose code navigates: the page may lose its
 * execution context before it answers, which is the point of the scenario.
 * @param {Promise<unknown>} evaluation
 */
export async function leave(evaluation) {
  try {
    await evaluation;
  } catch (error) {
    if (!/context was destroyed|navigation/i.test(String(error))) throw error;
  }
}

/**
 * A purchase called in the same task that sets `location.href` to `url`, as a thank-you button that navigates
 * does; waits for the next page.
 * @param {import('playwright-core').Page} tab
 * @param {object} params  the purchase's params
 * @param {string} url
 */
export async function purchaseAndGo(tab, params, url) {
  await leave(
    tab.evaluate(([params, url]) => {
      /** @type {any} */ (window).ct('send_ecommerce', 'purchase', params);
      location.href = /** @type {string} */ (url);
    }, [params, url]),
  );
  await tab.waitForURL(url);
}

/**
 * A slow collector: forwards every request at once to `target` (so the
 * collector records it on arrival) and holds the answer `delayMs` before
 * passing it back. Lets a test navigate while a request is in flight.
 * @param {string} target origin of the real collector
 * @param {number | ((req: import('node:http').IncomingMessage) => number)} delayMs
 *   the same for every POST, or decided per request (from its URL, say)
 */
export async function startSlowProxy(target, delayMs) {
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req, 1 << 20);
      const upstream = new URL(req.url ?? '/', target);
      const answer = await new Promise((resolve, reject) => {
        const out = request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (r) => {
          /** @type {Buffer[]} */
          const chunks = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, payload: Buffer.concat(chunks) }));
          r.on('error', reject);
        });
        out.on('error', reject);
        out.end(body ?? '');
      });
      const delay = typeof delayMs === 'number' ? delayMs : delayMs(req);
      if (req.method === 'POST') await new Promise((done) => setTimeout(done, delay));
      const { 'transfer-encoding': _te, connection: _c, ...headers } = answer.headers;
      res.writeHead(answer.status, headers);
      res.end(answer.payload);
    } catch {
      res.destroy();
    }
  });
  const port = await listen(server, 0);
  return { url: `http://127.0.0.1:${port}`, close: () => shutdown(server) };
}

/**
 * Holds every request for the bundle until `release()`, so a test can call the stub before the tag exists;
 * `requested` resolves on the first request. `off()` releases and removes the hold. With `firstOnly`, later
 * requests (the next page's) are served at once, as if the first page's had come too late.
 * @param {Site} site
 * @param {{firstOnly?: boolean}} [options]
 */
export function holdBundle(site, { firstOnly = false } = {}) {
  /** @type {() => void} */
  let release = () => {};
  const held = new Promise((done) => (release = () => done(undefined)));
  /** @type {() => void} */
  let requested = () => {};
  const bundleRequested = new Promise((done) => (requested = () => done(undefined)));
  let seen = 0;
  const off = site.onRequest(async (req) => {
    if (pathOf(req) !== BUNDLE_PATH || (firstOnly && seen++)) return;
    requested();
    await held;
  });
  return { requested: bundleRequested, release, off: () => (release(), off()) };
}
