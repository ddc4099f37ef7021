// `npm run demo`: the demo store "Лавка" on http://127.0.0.1:8080/ with the tag installed by the README's
// snippet, the stand-in Calltouch and eSputnik endpoints the tests use, the real eSputnik relay in front of the
// stand-in Generate event API, and the live inspector at /inspector. `startDemo()` starts the same on free
// ports for the browser test (test/browser/demo.test.ts).
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSite } from '../test/support/site.mjs';
import { productById, products } from './catalog.mjs';
import { Feed } from './feed.mjs';
import { inspectorApi } from './inspector-api.mjs';
import {
  adminPage, calltouchScript, cartPage, catalogPage, checkoutPage, inspectorPage, productPage, thanksPage,
} from './pages.mjs';
import { serveBackOffice } from './backoffice.mjs';
import { startReconcileDemo } from './reconcile.mjs';
import { applyPatch, defaultSettings, SERVICES } from './settings.mjs';
import { shoppers } from './shoppers.mjs';
import { startStandIns } from './stand-ins.mjs';

/** @typedef {import('./settings.mjs').Settings} Settings */
/** @typedef {import('./stand-ins.mjs').StandIns} StandIns */
/** @typedef {import('./pages.mjs').Context} Context */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {object} DemoOptions  every port defaults to 0, a free one
 * @property {number} [port]            the store and the inspector
 * @property {number} [calltouchPort]   the Calltouch stand-in
 * @property {number} [esputnikPort]    the eSputnik stand-in (tracker, and Generate event behind the relay)
 * @property {number} [relayPort]
 * @property {number} [calltouchApiPort]  the stand-in of Calltouch's API (its deal journal), for /admin/reconcile
 * @property {number} [sessionWaitMs]   the tag's calltouch.sessionWaitMs; default 5000
 * @property {number} [sessionDelaySeconds]  when the stand-in Calltouch script creates the session; default 1
 * @property {boolean} [log]            one line per request on stdout
 * @property {string} [identitySecret]  RELAY_IDENTITY_SECRET, shared by the relay and the store's server, which
 *   signs its shoppers' identities with it; default a new random one per start. Never given to a page.
 */

/**
 * @typedef {object} Demo
 * @property {string} url            the store's origin, e.g. `http://127.0.0.1:8080`
 * @property {string} inspectorUrl
 * @property {StandIns['calltouch']} calltouch  the Calltouch stand-in, with its records and faults
 * @property {StandIns['esputnik']} esputnik    the eSputnik stand-in
 * @property {StandIns['relay']} relay
 * @property {import('../test/support/calltouch-api.mjs').CalltouchApi} calltouchApi  the deal journal stand-in
 * @property {Feed} feed             what the inspector lists
 * @property {() => Settings} settings
 * @property {(patch: unknown) => Promise<string[]>} update  as the inspector's switches do; errors when refused
 * @property {() => void} clear      forgets the recorded requests, as "Clear requests" does
 * @property {() => Promise<void>} close
 */

/**
 * @param {DemoOptions} [options]
 * @returns {Promise<Demo>}
 */
export async function startDemo({
  port = 0, calltouchPort = 0, esputnikPort = 0, relayPort = 0, calltouchApiPort = 0, sessionWaitMs = 5000, sessionDelaySeconds = 1, log = false,
  identitySecret = randomBytes(32).toString('hex'),
} = {}) {
  const feed = new Feed();
  const site = await startSite({ root: ROOT, port });
  /** @type {StandIns} */
  let standIns;
  try {
    standIns = await startStandIns({ feed, storeOrigin: site.url, calltouchPort, esputnikPort, relayPort, identitySecret, log });
  } catch (error) {
    await site.close();
    throw error;
  }
  /** @type {import('./reconcile.mjs').ReconcileDemo} */
  let reconciling;
  try {
    reconciling = await startReconcileDemo({ site, calltouch: standIns.calltouch, calltouchEndpoint: standIns.endpoints.calltouch, port: calltouchApiPort });
  } catch (error) {
    await Promise.all([site.close(), standIns.close()]);
    throw error;
  }
  // The deal journal's deals come from the Calltouch stand-in's requests: forgotten with them.
  const clear = () => {
    standIns.clear();
    reconciling.clear();
  };
  let settings = defaultSettings(sessionDelaySeconds);
  /** @type {Set<() => void>} */
  const settingsListeners = new Set();
  // One change at a time: an outage switch waits for a port to close or open.
  let updating = Promise.resolve(/** @type {string[]} */ ([]));

  /** @returns {Context} */
  const context = () => ({ settings, endpoints: standIns.endpoints, sessionWaitMs });

  /** @param {unknown} patch */
  const apply = async (patch) => {
    const { settings: next, errors } = applyPatch(settings, patch);
    if (errors.length) return errors;
    for (const service of SERVICES) {
      if (next.outages[service] !== settings.outages[service]) await standIns.setOutage(service, next.outages[service]);
    }
    settings = next;
    for (const listener of [...settingsListeners]) listener();
    return errors;
  };
  /** @param {unknown} patch */
  const update = (patch) => {
    const applied = updating.then(() => apply(patch));
    // A change that failed (a port taken meanwhile) must not block the next one.
    updating = applied.catch(() => []);
    return applied;
  };

  const shopper = shoppers({ secret: identitySecret, origin: () => site.url });
  site.onRequest(shopper.checkout);
  site.onRequest(inspectorApi({
    feed,
    state: context,
    update,
    clear,
    onSettings: (listener) => {
      settingsListeners.add(listener);
      return () => settingsListeners.delete(listener);
    },
  }));
  site.page('/', () => catalogPage(context()));
  for (const product of products) {
    site.page(`/product/${product.id}`, () => productPage(context(), product));
    site.page(`/art/${product.id}.svg`, product.svg, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } });
  }
  site.page('/cart', () => cartPage(context()));
  site.page('/checkout', () => checkoutPage(context()));
  site.page('/thanks', (req) => thanksPage(context(), shopper.of(req)));
  site.page('/admin', () => adminPage(context()));
  serveBackOffice({ site, relayUrl: standIns.relay.url, token: standIns.backOfficeToken });
  site.page('/inspector', inspectorPage());
  site.page('/stand-ins/calltouch.js', () => calltouchScript(settings), { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });

  return {
    url: site.url,
    inspectorUrl: `${site.url}/inspector`,
    calltouch: standIns.calltouch,
    esputnik: standIns.esputnik,
    relay: standIns.relay,
    calltouchApi: reconciling.api,
    feed,
    settings: () => settings,
    update,
    clear,
    close: async () => {
      await Promise.all([site.close(), standIns.close(), reconciling.close()]);
    },
  };
}

/**
 * @param {string} name
 * @param {number} fallback
 */
function portFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${value} is not a port`);
  return port;
}

async function main() {
  /** @type {Demo} */
  let demo;
  try {
    demo = await startDemo({
      port: portFromEnv('DEMO_PORT', 8080),
      calltouchPort: portFromEnv('CALLTOUCH_PORT', 8788),
      esputnikPort: portFromEnv('ESPUTNIK_PORT', 8789),
      relayPort: portFromEnv('RELAY_PORT', 8787),
      calltouchApiPort: portFromEnv('CALLTOUCH_API_PORT', 8790),
      identitySecret: process.env.RELAY_IDENTITY_SECRET || undefined,
      log: true,
    });
  } catch (error) {
    const taken = /** @type {{code?: string}} */ (error).code === 'EADDRINUSE';
    console.error(taken
      ? `ecomtag demo: ${error instanceof Error ? error.message : error}. Another demo running? Pick other ports: ` +
        'DEMO_PORT=9080 CALLTOUCH_PORT=9788 ESPUTNIK_PORT=9789 RELAY_PORT=9787 CALLTOUCH_API_PORT=9790 npm run demo'
      : `ecomtag demo: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  console.log([
    `ecomtag demo`,
    `  store      ${demo.url}/`,
    `  inspector  ${demo.inspectorUrl}`,
    `  stand-ins  Calltouch ${demo.calltouch.url}, eSputnik ${demo.esputnik.url}, relay ${demo.relay.url}, Calltouch API ${demo.calltouchApi.url}`,
    `  reconcile  ${demo.url}/admin/reconcile (the back office's orders against the deal journal)`,
    'Every request is printed below as it arrives. Ctrl+C stops the demo.',
  ].join('\n'));
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => demo.close().then(() => process.exit(0)));
  }
}

// Run as `node demo/server.mjs`, not when imported by the test.
if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) await main();
