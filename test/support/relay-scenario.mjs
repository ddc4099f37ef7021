// The browser scenarios of eSputnik's two formats (test/browser/esputnik-relay.test.ts, orders.test.ts): the real
// relay process (dist/relay.mjs) in front of the collector's stand-in eSputnik, which keeps contacts and orders as
// the real one does; the store's configuration of an account with both vendors, in either format; and what a
// store's server renders for a shopper it knows, `ct('set_contact', {…, identity})` with the identity it signed.
import { afterAll, beforeAll, expect } from 'vitest';
import { DEFAULT_ESPUTNIK_API_KEY } from './collector.mjs';
import { identity, subjectOf } from './identity.mjs';
import { startRelay } from './relay-process.mjs';
import { fakeCalltouch, inline, snippet, tagConfig } from './scenario.mjs';
import { page, scriptJson } from './snippet.mjs';

/** @typedef {import('./scenario.mjs').Harness} Harness */
/** @typedef {import('./relay-process.mjs').RelayProcess} RelayProcess */
/** @typedef {import('./recorder.mjs').CollectorRecord} CollectorRecord */
/** @typedef {'event' | 'tracker'} Format */
/** @typedef {{eventTypeKey: string, keyValue: string, params: Array<{name: string, value: string}>}} GeneratedEvent */

export const TRACKER_PATH = '/esputnik/tracker';
export const GENERATE_EVENT_PATH = '/esputnik/api/v2/event';

/**
 * A relay for the test file's harness, started after it and stopped before it, verifying identities signed with
 * identity.mjs's secret. Afterwards, the API key is on no line it wrote. Read `.relay` inside tests and hooks.
 * @param {{h: Harness}} s  the scenario (useScenario)
 * @param {Record<string, string>} [env]  more settings, e.g. a tighter RELAY_RATE_LIMIT_BURST
 */
export function useRelay(s, env = {}) {
  const r = /** @type {{relay: RelayProcess}} */ ({});
  beforeAll(async () => {
    r.relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: s.h.site.url, upstreamUrl: s.h.collector.url + GENERATE_EVENT_PATH, env });
  });
  afterAll(async () => {
    if (!r.relay) return;
    await r.relay.close();
    expect(r.relay.output.filter((line) => line.includes(DEFAULT_ESPUTNIK_API_KEY))).toEqual([]);
  });
  return r;
}

/**
 * The brief's configuration (scenario.mjs tagConfig) with eSputnik on the first account: the `event` format through
 * `relay`, or the `tracker` to the collector's stand-in tracker.
 * @param {Harness} h
 * @param {{format: Format, relay: RelayProcess, calltouch?: boolean, timeZone?: string}} options
 *   calltouch false: the account has eSputnik only; timeZone: the store's, for the order dates (else the default)
 */
export function storeConfig(h, { format, relay, calltouch = true, timeZone }) {
  const base = tagConfig(h.endpoint);
  const account = { ...base.accounts[0], esputnik: { siteId: format === 'event' ? 'relay' : '8A412DC' }, ...(calltouch ? {} : { calltouch: false }) };
  return {
    ...base,
    accounts: [account, base.accounts[1]],
    esputnik: format === 'event' ? { format, endpoint: relay.url + '/ecomtag/relay' } : { endpoint: h.collector.url + TRACKER_PATH },
    ...(timeZone ? { timeZone } : {}),
  };
}

/**
 * A store page at `path`: Calltouch's script (a session at once), the snippet with `config`, then `head`, which is
 * where a store's server renders the shopper and the page's own calls.
 * @param {Harness} h
 * @param {string} path
 * @param {unknown} config
 * @param {string} [head]
 * @returns {string} the page's URL
 */
export function storePage(h, path, config, head = '') {
  return h.site.page(path, page({ head: fakeCalltouch() + snippet(h, { config }) + head }));
}

/**
 * What a store's server renders for a shopper it knows: `ct('set_contact', {…contact, identity})`, the identity
 * signed for the contact's keyValue (or for `sub`, another contact's, to show what the relay does with it).
 * @param {{externalCustomerId?: string, email?: string, phone?: string, name?: string}} contact
 * @param {{sub?: string, exp?: number, secret?: string}} [signing]  exp in epoch seconds; secret another than the relay's
 */
export function shopper(contact, { sub = subjectOf(contact), ...signing } = {}) {
  return inline(`ct('set_contact', ${scriptJson({ ...contact, identity: identity(sub, signing) })});`);
}

/**
 * The page's own calls, inline after the snippet, as a page rendered with them makes them on every load.
 * @param {...[string, unknown]} calls  `['purchase', {id, products}]`, …
 */
export function sends(...calls) {
  return inline(calls.map(([method, params]) => `ct('send_ecommerce', ${scriptJson(method)}, ${scriptJson(params)});`).join('\n'));
}

/**
 * @param {CollectorRecord[]} records
 * @param {string} service  'calltouch', 'esputnik-event', 'esputnik-contact', 'esputnik-tracker'
 * @returns {CollectorRecord[]}
 */
export function of(records, service) {
  return records.filter((r) => r.service === service);
}

/**
 * The Generate event bodies among `records`, in arrival order.
 * @param {CollectorRecord[]} records
 * @returns {GeneratedEvent[]}
 */
export function generated(records) {
  return of(records, 'esputnik-event').map((r) => /** @type {GeneratedEvent} */ (r.body));
}

/**
 * A Generate event's params by name.
 * @param {GeneratedEvent} body
 * @returns {Record<string, string>}
 */
export function paramsOf(body) {
  return Object.fromEntries(body.params.map((p) => [p.name, p.value]));
}

/**
 * `YYYY-MM-ddTHH:mm:ss`, the wall clock of `timeZone` at `ms`, read apart from the tag's own formatting.
 * @param {number} ms
 * @param {string} timeZone
 */
export function wallClock(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}
