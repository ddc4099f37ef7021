// The demo's "Reconcile with Calltouch" back-office page (/admin/reconcile): the store's orders of this browser
// against a stand-in of Calltouch's deal journal, by running the real `ecomtag-reconcile` (dist/reconcile.mjs) as a
// process, exactly as a store would, and showing what it prints.
//
// The stand-in journal (test/support/calltouch-api.mjs) lists a deal for every purchase the Calltouch stand-in
// accepted, with the transaction id as orderNumber. Whether Calltouch's e-commerce module does that is the open
// question README names; the demo assumes it, and the page says so.
//
//   GET  /admin/reconcile      the page; demo/public/reconcile.js reads this browser's orders and runs it
//   POST /admin/reconcile/run  {orders, from, to, mode: 'report' | 'dry-run' | 'send'} → {command, code, stdout, stderr}
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dealFromPurchase, DEFAULT_CALLTOUCH_TOKEN, DEFAULT_SITE_ID, startCalltouchApi } from '../test/support/calltouch-api.mjs';
import { sendJson } from '../test/support/http.mjs';
import { runReconcile } from '../test/support/reconcile-process.mjs';
import { page, scriptJson } from '../test/support/snippet.mjs';
import { products } from './catalog.mjs';
import { html, pageHead, raw } from './html.mjs';
import { jsonRoute } from './json-route.mjs';

/** @typedef {import('../test/support/collector.mjs').Collector} Collector */
/** @typedef {import('../test/support/calltouch-api.mjs').CalltouchApi} CalltouchApi */
/** @typedef {import('../test/support/site.mjs').Site} Site */

/** A browser's orders as JSON: far below this; past it the request is not the page's. */
const BODY_LIMIT = 512 * 1024;
const MODES = ['report', 'dry-run', 'send'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * @typedef {object} ReconcileDemo
 * @property {CalltouchApi} api   the stand-in deal journal
 * @property {() => void} clear   forgets the deals, as "Clear requests" forgets the requests they came from
 * @property {() => Promise<void>} close
 */

/**
 * Starts the stand-in deal journal, fed by what the Calltouch stand-in accepts, and serves the page on `site`.
 * @param {{site: Site, calltouch: Collector, calltouchEndpoint: string, port: number}} options
 *   calltouchEndpoint: where a repair posts (the Calltouch stand-in's ecommerce.php)
 * @returns {Promise<ReconcileDemo>}
 */
export async function startReconcileDemo({ site, calltouch, calltouchEndpoint, port }) {
  const api = await startCalltouchApi({ port });
  /** @type {string | undefined} */
  let folder;
  try {
    folder = await mkdtemp(join(tmpdir(), 'ecomtag-demo-reconcile-'));
  } catch (error) {
    await api.close();
    throw error;
  }
  const ordersFile = join(folder, 'orders.json');

  const stopFeeding = calltouch.onRecord((record) => {
    const body = /** @type {{eventType?: unknown, id?: unknown, products?: unknown}} */ (record.body);
    if (record.status !== 200 || body?.eventType !== 'purchase' || typeof body.id !== 'string' || !Array.isArray(body.products)) return;
    api.deals.push(dealFromPurchase(/** @type {Parameters<typeof dealFromPurchase>[0]} */ (body), new Date(record.at)));
  });

  // One run at a time: they share the orders file and the journal beside it.
  let running = Promise.resolve();

  site.page('/admin/reconcile', reconcilePage({ api: api.url, ecommerce: calltouchEndpoint }));
  jsonRoute(site, '/admin/reconcile/run', BODY_LIMIT, async (body, res) => {
    const request = parse(body);
    if (typeof request === 'string') return sendJson(res, 400, { errors: [request] });
    const args = ['--site-id', String(DEFAULT_SITE_ID), '--from', request.from, '--to', request.to, '--orders', ordersFile, '--api-url', api.url, '--ecommerce-url', calltouchEndpoint];
    if (request.mode !== 'report') args.push('--repair');
    if (request.mode === 'send') args.push('--yes');
    const run = running.then(async () => {
      await writeFile(ordersFile, JSON.stringify(request.orders, null, 2));
      return runReconcile(args, { env: { CALLTOUCH_API_TOKEN: DEFAULT_CALLTOUCH_TOKEN } });
    });
    running = run.then(() => undefined, () => undefined);
    const { code, stdout, stderr } = await run;
    sendJson(res, 200, { command: `CALLTOUCH_API_TOKEN=… npx ecomtag-reconcile ${args.join(' ').replace(ordersFile, 'orders.json')}`, code, stdout, stderr });
  });

  return {
    api,
    clear: () => {
      api.deals = [];
      api.reset();
    },
    close: async () => {
      stopFeeding();
      await running;
      await api.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The request, checked, or why it is refused. The orders themselves are the CLI's to judge.
 * @param {Record<string, unknown>} value
 * @returns {{orders: unknown[], from: string, to: string, mode: string} | string}
 */
function parse(value) {
  const { orders, from, to, mode } = value;
  if (!Array.isArray(orders) || orders.length === 0) return 'orders must be a non-empty array';
  if (typeof from !== 'string' || !DATE.test(from) || typeof to !== 'string' || !DATE.test(to)) return 'from and to must be dates YYYY-MM-DD';
  if (typeof mode !== 'string' || !MODES.includes(mode)) return `mode must be one of ${MODES.join(', ')}`;
  return { orders, from, to, mode };
}

/**
 * @param {{api: string, ecommerce: string}} endpoints
 */
function reconcilePage({ api, ecommerce }) {
  const body = html`
    <header class="bar">
      <a class="brand" href="/"><span class="brand-mark">Л</span><span>Лавка <small>demo store</small></span></a>
      <nav class="nav"><a href="/admin">Back office</a></nav>
      <a class="inspector-link" href="/inspector" target="ecomtag-inspector">Inspector ↗</a>
    </header>
    <main class="page page-reconcile">
      <h1>Reconcile with Calltouch <small class="en">did every order reach it?</small></h1>
      <p>The orders placed in this browser are checked against Calltouch's deal journal by the real
        <code>ecomtag-reconcile</code>, run on the demo's server exactly as a store runs it. The period runs from the first of
        these orders to today.</p>
      <p class="muted">Behind it: a stand-in of the deal journal at <code>${api}</code> (seed 004: paging, <code>dd/mm/yyyy</code>,
        5 requests a second), which lists a deal for every purchase the Calltouch stand-in accepted, with the transaction id
        as <code>orderNumber</code>. That Calltouch's e-commerce module does this is an assumption the README names. A repair
        posts to <code>${ecommerce}</code>: watch it arrive in the inspector.</p>
      <div class="actions" data-actions>
        <button class="btn primary" type="button" data-mode="report">Check</button>
        <button class="btn" type="button" data-mode="dry-run">Show what --repair would send</button>
        <button class="btn danger" type="button" data-mode="send">Send the missing ones (--repair --yes)</button>
      </div>
      <p class="callout">Try it: in the inspector take Calltouch down, buy something, and check here: the order is missing (its
        purchase waits in this browser's outbox). Bring Calltouch back and open a store page: the outbox delivers it, and the
        next check finds it. A store runs the repair only for days that are over, when no purchase can still be waiting in a
        shopper's browser: sent now, it would reach Calltouch twice.</p>
      <section data-result></section>
    </main>
    <script type="application/json" id="page-data">${raw(scriptJson({ products: products.map(({ id, name, price }) => ({ id, name, price })) }))}</script>
    <script type="module" src="/demo/public/reconcile.js"></script>`;
  return page({
    title: 'Reconcile with Calltouch — Лавка',
    head: pageHead('store').text +
      // The command's output is a table: a terminal's font and line breaks.
      '<style>.page-reconcile pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }</style>',
    body: body.text,
  });
}
