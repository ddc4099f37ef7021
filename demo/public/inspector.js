// The live inspector: what reached the stand-in collectors (streamed from the demo server), what the tag keeps
// in this browser's localStorage (read here, on the store's origin, and re-read on every `storage` event),
// and the demo's switches. Everything shown is built with createElement/textContent: bodies come from the
// network and are shown, never interpreted.
import { fill, h } from './dom.js';

/** The tag's storage for the global `ct` (README: Storage): keys `ecomtag:<name>:…`. */
const NAMESPACE = 'ecomtag:ct:';
/** The store's own keys, cleared by "Start over" with the tag's. */
const STORE_PREFIX = 'lavka:';

/**
 * @typedef {object} FeedEntry  see demo/feed.mjs
 * @property {number} seq
 * @property {string} source
 * @property {string} service
 * @property {string} path
 * @property {number} at
 * @property {number | null} status
 * @property {'valid' | 'invalid' | 'refused' | 'forwarded'} verdict
 * @property {string[]} errors
 * @property {string | null} kind
 * @property {unknown} body
 * @property {string | null} raw
 * @property {string | null} contentType
 * @property {number | null} upstream
 * @property {string | null} eventTypeKey
 */
/**
 * @typedef {object} DemoState  see demo/server.mjs
 * @property {{format: string, calltouch: {script: boolean, sessionDelaySeconds: number}, outages: Record<string, string>}} settings
 * @property {{calltouch: string, tracker: string, relay: string, upstream: string}} endpoints
 * @property {number} sessionWaitMs
 */
/** @typedef {{key: string, value: unknown, parsed: boolean}} StoredRecord  a key without the namespace */

/** @type {FeedEntry[]} oldest first */
let entries = [];
/** @type {DemoState | null} */
let demo = null;

/** @param {string} selector @returns {HTMLElement} */
const $ = (selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

// ---- small readers that never trust a shape ----

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** @param {unknown} value @param {string} key */
const field = (value, key) => (isObject(value) ? value[key] : undefined);
/** @param {unknown} value @returns {string | undefined} */
const text = (value) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** @param {number} at */
const clock = (at) => {
  const d = new Date(at);
  const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

/** @param {number} ms */
const duration = (ms) => {
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
};

// ---- what a body is ----

const SERVICE_NAMES = /** @type {Record<string, string>} */ ({
  calltouch: 'Calltouch',
  'esputnik-tracker': 'eSputnik tracker',
  'esputnik-event': 'eSputnik event',
  relay: 'relay',
});

/**
 * A one-line name for a body the tag sends: Calltouch's eventType, the tracker's event name, the Generate
 * event key; and a detail (order id, product, contact) to tell two of them apart.
 * @param {string} service
 * @param {unknown} body
 * @returns {{name: string, detail: string}}
 */
function describeBody(service, body) {
  if (service === 'calltouch') {
    const products = field(body, 'products');
    const count = Array.isArray(products) ? `${products.length} product${products.length === 1 ? '' : 's'}` : '';
    const offline = field(body, 'sessionId') === undefined ? 'offline' : '';
    return { name: text(field(body, 'eventType')) ?? '?', detail: [text(field(body, 'id')), count, offline].filter(Boolean).join(' · ') };
  }
  if (service === 'esputnik-tracker') {
    const name = text(field(field(body, 'GeneralInfo'), 'eventName')) ?? '?';
    const event = field(body, name);
    const detail = text(field(event, 'OrderNumber')) ?? text(field(field(event, 'Product'), 'productKey'))
      ?? (Array.isArray(field(event, 'Products')) ? `${/** @type {unknown[]} */ (field(event, 'Products')).length} lines` : '');
    return { name, detail };
  }
  if (service === 'esputnik-event') {
    const params = field(body, 'params');
    const order = Array.isArray(params) ? params.find((p) => field(p, 'name') === 'externalOrderId') : undefined;
    return { name: text(field(body, 'eventTypeKey')) ?? '?', detail: text(field(order, 'value')) ?? text(field(body, 'keyValue')) ?? '' };
  }
  return { name: '?', detail: '' };
}

/** @param {FeedEntry} entry */
function describeEntry(entry) {
  if (entry.service === 'relay') {
    return { name: entry.eventTypeKey ?? '—', detail: entry.upstream === null ? 'not forwarded' : `eSputnik answered ${entry.upstream}` };
  }
  if (entry.body === null) return { name: entry.path, detail: entry.contentType ?? '' };
  return describeBody(entry.service, entry.body);
}

/** @param {number | null} status */
const statusClass = (status) => (status === null ? 'pending' : status < 300 ? 'ok' : status < 500 ? 'bad' : 'retry');

/** @param {FeedEntry} entry */
function explainStatus(entry) {
  if (entry.status === null) {
    return 'No answer: the timeout switch holds it. The tag gives up after 10 s and sends it again later; '
      + 'a request still unanswered when its page unloads is left to the browser.';
  }
  if (entry.service === 'relay') {
    return entry.status < 400 ? 'The relay checked it, added the API key and forwarded it.' : 'The relay refused or could not forward it.';
  }
  if (entry.status >= 500 && entry.verdict === 'valid') {
    return `The body was valid; the stand-in answered ${entry.status} because of the outage switch. The tag keeps it and retries with backoff.`;
  }
  if (entry.status < 300) return 'Accepted: it matches the documented format.';
  return 'Refused: the tag drops a 4xx answer (see the errors).';
}

/**
 * Pretty JSON, as text nodes in coloured spans.
 * @param {unknown} value
 * @param {number} [depth]
 * @returns {Array<Node | string>}
 */
function jsonNodes(value, depth = 0) {
  const inner = '  '.repeat(depth + 1);
  const outer = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (!value.length) return ['[]'];
    return ['[\n', ...value.flatMap((item, i) => [inner, ...jsonNodes(item, depth + 1), i < value.length - 1 ? ',\n' : '\n']), outer, ']'];
  }
  if (isObject(value)) {
    const pairs = Object.entries(value);
    if (!pairs.length) return ['{}'];
    return ['{\n', ...pairs.flatMap(([key, item], i) => [
      inner, h('span', { class: 'j-key' }, JSON.stringify(key)), ': ', ...jsonNodes(item, depth + 1), i < pairs.length - 1 ? ',\n' : '\n',
    ]), outer, '}'];
  }
  return [h('span', { class: `j-${value === null ? 'null' : typeof value}` }, JSON.stringify(value))];
}

/** @param {unknown} value */
const jsonBlock = (value) => h('pre', { class: 'json' }, jsonNodes(value));

/**
 * Generate event params carry structured values as JSON strings (`products`, `items`): shown decoded.
 * @param {unknown} body
 */
function paramsTable(body) {
  const params = field(body, 'params');
  if (!Array.isArray(params)) return null;
  return h('table', { class: 'params' },
    h('caption', {}, 'params, JSON-string values decoded'),
    params.map((param) => {
      const value = text(field(param, 'value')) ?? '';
      let decoded = null;
      try {
        const parsed = JSON.parse(value);
        if (typeof parsed === 'object' && parsed !== null) decoded = jsonBlock(parsed);
      } catch {
        // a plain string
      }
      return h('tr', {}, h('th', {}, text(field(param, 'name')) ?? '?'), h('td', {}, decoded ?? value));
    }));
}

// ---- the feed ----

/** @param {FeedEntry} entry */
function entryRow(entry) {
  const { name, detail } = describeEntry(entry);
  return h('li', { class: `entry ${entry.verdict}`, dataset: { seq: entry.seq, service: entry.service, label: name, verdict: entry.verdict, status: entry.status ?? 'none' } },
    h('details', {},
      h('summary', {},
        h('time', { datetime: new Date(entry.at).toISOString() }, clock(entry.at)),
        h('span', { class: `chip ${entry.service}` }, SERVICE_NAMES[entry.service] ?? entry.service),
        h('span', { class: 'label' }, h('b', {}, name), detail && h('small', {}, detail)),
        h('span', { class: `status ${statusClass(entry.status)}` }, entry.status ?? '…'),
        h('span', { class: `verdict ${entry.verdict}` }, entry.verdict)),
      h('div', { class: 'entry-body' },
        h('dl', {},
          h('dt', {}, 'Route'), h('dd', {}, h('code', {}, `POST ${entry.path}`), ` at the ${entry.source === 'relay' ? 'relay' : `${entry.source} stand-in`}`),
          h('dt', {}, 'Received'), h('dd', {}, new Date(entry.at).toLocaleString()),
          h('dt', {}, 'Answer'), h('dd', {}, `${entry.status ?? 'none yet'} — ${explainStatus(entry)}`),
          entry.contentType && [h('dt', {}, 'Content type'), h('dd', {}, entry.contentType)]),
        entry.errors.length > 0 && h('ul', { class: 'errors' }, entry.errors.map((error) => h('li', {}, error))),
        entry.body !== null && entry.service === 'esputnik-event' && paramsTable(entry.body),
        entry.body !== null && jsonBlock(entry.body),
        entry.raw !== null && h('pre', { class: 'json' }, entry.raw))));
}

function showFeedSummary() {
  const count = (/** @type {(e: FeedEntry) => boolean} */ test) => entries.filter(test).length;
  const bodies = entries.filter((e) => e.service !== 'relay');
  const parts = [
    `${bodies.length} request${bodies.length === 1 ? '' : 's'}`,
    `${count((e) => e.verdict === 'valid')} valid`,
  ];
  const invalid = count((e) => e.verdict === 'invalid');
  const refused = count((e) => e.verdict === 'refused');
  const failed = count((e) => e.service !== 'relay' && (e.status === null || e.status >= 500));
  if (invalid) parts.push(`${invalid} invalid`);
  if (refused) parts.push(`${refused} refused`);
  if (failed) parts.push(`${failed} answered 5xx or not at all`);
  $('[data-feed-summary]').textContent = parts.join(' · ');
  $('[data-feed-empty]').hidden = entries.length > 0;
}

/** @param {FeedEntry} entry */
function addEntry(entry) {
  entries.push(entry);
  const row = entryRow(entry);
  row.classList.add('fresh');
  $('[data-feed]').prepend(row);
  showFeedSummary();
  scheduleState();
}

/** @param {FeedEntry[]} all */
function resetFeed(all) {
  entries = all;
  fill($('[data-feed]'), all.slice().reverse().map(entryRow));
  showFeedSummary();
  scheduleState();
}

// ---- the tag's storage ----

/** @returns {StoredRecord[]} sorted by key, which for queued records is call order */
function readTagStorage() {
  /** @type {StoredRecord[]} */
  const records = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key || !key.startsWith(NAMESPACE)) continue;
      const stored = localStorage.getItem(key) ?? '';
      try {
        records.push({ key: key.slice(NAMESPACE.length), value: JSON.parse(stored), parsed: true });
      } catch {
        records.push({ key: key.slice(NAMESPACE.length), value: stored, parsed: false });
      }
    }
  } catch {
    // Storage blocked: there is nothing the tag could have kept either.
  }
  return records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** @param {string} url */
function collectorOf(url) {
  const endpoints = demo?.endpoints;
  if (url === endpoints?.calltouch) return { name: 'Calltouch', service: 'calltouch' };
  if (url === endpoints?.tracker) return { name: 'eSputnik tracker', service: 'esputnik-tracker' };
  if (url === endpoints?.relay) return { name: 'relay → eSputnik', service: 'esputnik-event' };
  return { name: url, service: 'unknown' };
}

/**
 * What a letter without a body still waits for, as the tag decides when it looks: Calltouch's session for its
 * account (the `_ct_ids` cookie), or a contact eSputnik can file the event under. Undefined once it could go.
 * @param {StoredRecord} record
 * @returns {'session' | 'contact' | undefined}
 */
function waitsFor(record) {
  const wait = field(record.value, 'wait');
  if (field(record.value, 'body') !== undefined) return undefined;
  if (wait === 'session') {
    const ids = (document.cookie.split('; ').find((c) => c.startsWith('_ct_ids=')) ?? '').slice('_ct_ids='.length);
    const counters = decodeURIComponent(ids).split('_').map((s) => s.split(':')).filter((parts) => parts.length === 3);
    const account = text(field(record.value, 'account')) ?? '';
    const known = account.startsWith('#') ? counters.length > 0 : counters.some(([modId]) => modId === account);
    return known ? undefined : 'session';
  }
  if (wait === 'contact') {
    const contact = readTagStorage().find((r) => r.key === 'contact')?.value;
    return ['externalCustomerId', 'email', 'phone'].some((key) => field(contact, key)) ? undefined : 'contact';
  }
  return undefined;
}

/** Keys of raw views the user opened, kept open across re-renders. */
const openRaw = new Set();

/** @param {StoredRecord} record */
function rawView(record, summary = 'raw') {
  const details = h('details', { class: 'raw', open: openRaw.has(record.key) },
    h('summary', {}, summary), h('div', { class: 'raw-key' }, NAMESPACE + record.key), record.parsed ? jsonBlock(record.value) : h('pre', { class: 'json' }, String(record.value)));
  details.addEventListener('toggle', () => (/** @type {HTMLDetailsElement} */ (details).open ? openRaw.add(record.key) : openRaw.delete(record.key)));
  return details;
}

/**
 * @param {string} id
 * @param {string} title
 * @param {number | null} count  null: no count badge
 * @param {unknown[]} body
 * @param {string} [hint]
 */
const card = (id, title, count, body, hint) =>
  h('section', { class: 'card', dataset: { section: id, count: count ?? undefined } },
    h('h3', {}, title, count !== null && h('span', { class: `count ${count ? '' : 'zero'}` }, count)),
    hint && h('p', { class: 'hint' }, hint),
    body);

/** @param {string} message */
const none = (message) => h('p', { class: 'none' }, message);

/** @param {string} key @param {string} prefix */
const rest = (key, prefix) => key.slice(prefix.length);

/** The session the stand-in Calltouch script left in `_ct_ids` (`mod_id:site_id:session_id`, `_`-joined). */
function sessionCard() {
  const cookies = Object.fromEntries(document.cookie.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
  const sessions = (cookies._ct_ids ?? '').split('_').map((s) => s.split(':')).filter((parts) => parts.length === 3);
  const settings = demo?.settings.calltouch;
  const hint = !settings ? undefined : settings.script
    ? `The stand-in Calltouch script creates a session ${settings.sessionDelaySeconds} s after a store page loads.`
    : `No Calltouch script: no session will come. Purchases and refunds go offline after ${(demo?.sessionWaitMs ?? 0) / 1000} s.`;
  return card('session', 'Calltouch session', null, sessions.length
    ? sessions.map(([modId, siteId, sessionId]) => h('dl', { class: 'kv' },
      h('dt', {}, 'sessionId'), h('dd', { 'data-session-id': '' }, sessionId),
      h('dt', {}, 'siteId · mod_id'), h('dd', {}, `${siteId} · ${modId}`),
      h('dt', {}, 'ctClientId (_ct)'), h('dd', {}, cookies._ct ?? '—')))
    : none('None yet: events that need it wait below.'), hint);
}

/** @param {StoredRecord | undefined} record */
function contactCard(record) {
  if (!record) return card('contact', 'Contact', null, none('None yet: set_contact is called at checkout.'));
  if (!isObject(record.value)) return card('contact', 'Contact', null, rawView(record));
  return card('contact', 'Contact', null, h('dl', { class: 'kv' },
    Object.entries(record.value).map(([key, value]) => [h('dt', {}, key), h('dd', {}, text(value) ?? JSON.stringify(value))])));
}

/** @returns {string | undefined} the GUID of the latest StatusCart the tracker stand-in received */
function lastStatusCartGuid() {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.service === 'esputnik-tracker' && entry.kind === 'StatusCart') return text(field(field(entry.body, 'StatusCart'), 'GUID'));
  }
  return undefined;
}

/** @param {StoredRecord[]} carts `cart:<account key>` */
function cartCard(carts) {
  const guid = lastStatusCartGuid();
  const body = carts.map((record) => {
    const id = text(field(record.value, 'id'));
    const lines = field(record.value, 'lines');
    if (id === undefined || !Array.isArray(lines)) return h('div', { class: 'item' }, h('b', {}, `account ${rest(record.key, 'cart:')}`), rawView(record));
    return h('div', { class: 'cart', dataset: { account: rest(record.key, 'cart:'), lines: lines.length } },
      h('dl', { class: 'kv' },
        h('dt', {}, 'account'), h('dd', {}, rest(record.key, 'cart:')),
        h('dt', {}, 'recycleStateId'), h('dd', {}, h('code', { 'data-recycle-state-id': '' }, id))),
      lines.length
        ? h('table', { class: 'lines' },
          h('tr', {}, h('th', {}, 'product'), h('th', {}, 'units'), h('th', {}, 'price')),
          lines.map((line) => h('tr', {},
            h('td', {}, text(field(line, 'name')) ?? text(field(line, 'id')) ?? '?', h('small', {}, ` #${text(field(line, 'id')) ?? '?'}`)),
            h('td', {}, text(field(line, 'quantity')) ?? '?'),
            h('td', {}, text(field(line, 'price')) ?? '—'))))
        : none('Empty.'),
      rawView(record));
  });
  return card('cart', 'eSputnik cart', null, [
    body.length ? body : none('No cart yet: the first addToCart starts one.'),
    guid && h('dl', { class: 'kv' }, h('dt', {}, 'last StatusCart GUID'), h('dd', {}, h('code', { 'data-status-cart-guid': '' }, guid))),
  ], 'The tag\'s copy of the cart: the whole of it goes to eSputnik after each change. Its id is the recycleStateId; a purchase empties the cart under a new one. The tracker\'s StatusCart takes a new GUID every time.');
}

/**
 * @param {StoredRecord[]} letters `o:<key>` {url, body, keep, at, from, adopted?}: the letters that have their body
 * @param {Map<string, StoredRecord>} backoffs by collector url
 * @param {number} now
 */
function outboxCard(letters, backoffs, now) {
  const rows = letters.map((record) => {
    const { value } = record;
    const url = text(field(value, 'url'));
    const body = text(field(value, 'body'));
    const event = field(value, 'event');
    if (url === undefined || (body === undefined && !isObject(event))) return h('li', { class: 'item' }, rawView(record, 'unknown shape'));
    const collector = collectorOf(url);
    let parsed;
    try {
      parsed = body === undefined ? undefined : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    // A letter without a body holds the event; its body is made when it is sent (with the session, the contact).
    const { name, detail } = body === undefined
      ? { name: text(field(event, 'type') ?? field(event, 'eventTypeKey')) ?? '?', detail: text(field(event, 'id') ?? field(field(event, 'params'), 'externalOrderId')) }
      : describeBody(collector.service, parsed);
    const at = Number(field(value, 'at'));
    const backoff = backoffs.get(url)?.value;
    const until = Number(field(backoff, 'until'));
    const waits = waitsFor(record);
    return h('li', { class: 'item' },
      h('div', { class: 'item-head' }, h('b', {}, name), detail && h('small', {}, detail), h('span', { class: 'chip' }, collector.name)),
      h('div', { class: 'item-meta' },
        field(value, 'keep') === true && h('span', { class: 'tag keep' }, 'purchase/refund: never evicted'),
        Number.isFinite(at) && h('span', {}, `stored ${duration(now - at)} ago`),
        h('span', {}, `page ${text(field(value, 'from')) ?? '?'}${field(value, 'adopted') ? ' (adopted)' : ''}`),
        waits
          ? h('span', { class: 'tag' }, waits === 'session' ? 'waits for a Calltouch session' : 'waits for a contact')
          : backoff
            ? h('span', { class: 'tag retry' }, `collector backing off · try ${text(field(backoff, 'tries')) ?? '?'}${until > now ? ` · next in ${duration(until - now)}` : ' · due now'}`)
            : h('span', { class: 'tag' }, 'in line or in flight')),
      rawView(record));
  });
  return card('outbox', 'Outbox', letters.length, rows.length ? h('ol', { class: 'items' }, rows) : none('Empty: everything was taken.'),
    'Every event is stored here before it is sent and removed once its collector took it; those waiting for a session or a contact are listed again below.');
}

/**
 * @param {StoredRecord[]} backoffs `b:<collector url>` {tries, until}
 * @param {number} now
 */
function backoffCard(backoffs, now) {
  const rows = backoffs.map((record) => {
    const tries = text(field(record.value, 'tries'));
    const until = Number(field(record.value, 'until'));
    if (tries === undefined || !Number.isFinite(until)) return h('li', { class: 'item' }, rawView(record, 'unknown shape'));
    return h('li', { class: 'item' },
      h('div', { class: 'item-head' }, h('b', {}, collectorOf(rest(record.key, 'b:')).name)),
      h('div', { class: 'item-meta' }, h('span', {}, `failed ${tries} time${tries === '1' ? '' : 's'}`),
        h('span', { class: 'tag retry' }, until > now ? `next try in ${duration(until - now)}` : 'next try due now')));
  });
  return card('backoff', 'Collectors backing off', backoffs.length, rows.length ? h('ol', { class: 'items' }, rows) : none('None.'));
}

/**
 * @param {'waiting-ct' | 'waiting-es'} id
 * @param {StoredRecord[]} records `o:<key>` letters without a body, {url, keep, wait: 'session' | 'contact',
 *   account, event, at, from}: the event waits for a Calltouch session, or (a Generate event) for a contact
 * @param {number} now
 */
function waitingCard(id, records, now) {
  const calltouch = id === 'waiting-ct';
  const rows = records.map((record) => {
    const event = field(record.value, 'event');
    const name = text(field(event, calltouch ? 'type' : 'eventTypeKey'));
    if (name === undefined) return h('li', { class: 'item' }, rawView(record, 'unknown shape'));
    const at = Number(field(record.value, 'at'));
    const detail = text(calltouch ? field(event, 'id') : field(field(event, 'params'), 'externalOrderId'));
    return h('li', { class: 'item' },
      h('div', { class: 'item-head' }, h('b', {}, name), detail && h('small', {}, detail)),
      h('div', { class: 'item-meta' }, h('span', {}, `account ${text(field(record.value, 'account')) ?? '?'}`),
        Number.isFinite(at) && h('span', {}, `waiting ${duration(now - at)}`)),
      rawView(record));
  });
  const hint = calltouch
    ? `Calltouch events need the visitor's session. A page looks for it for ${(demo?.sessionWaitMs ?? 0) / 1000} s; then purchases and refunds go offline, and other events wait for a later page's session (up to a day).`
    : 'Generate event bodies are filed under a contact: they wait for set_contact (the checkout form), then go in call order.';
  return card(id, calltouch ? 'Waiting for a Calltouch session' : 'Waiting for an eSputnik contact', records.length,
    rows.length ? h('ol', { class: 'items' }, rows) : none('Nothing waiting.'), hint);
}

/** @param {StoredRecord | undefined} record `sent`: ["account method id", …], the latest first */
function sentCard(record) {
  const transactions = Array.isArray(record?.value) ? record.value : [];
  const rows = transactions.map((transaction) => {
    if (typeof transaction !== 'string') return h('li', { class: 'item' }, h('code', {}, JSON.stringify(transaction)));
    const [account, method, ...id] = transaction.split(' ');
    return h('li', { class: 'item', dataset: { transaction } },
      h('div', { class: 'item-head' }, h('b', {}, method ?? '?'), h('small', {}, id.join(' ')), h('span', { class: 'chip' }, account ?? '?')));
  });
  return card('sent', 'Sent once', rows.length, rows.length ? h('ol', { class: 'items' }, rows) : none('No purchase or refund yet.'),
    'Purchases and refunds already handled: the same order id again sends nothing.');
}

/**
 * @param {StoredRecord[]} records `h:<page>` a timestamp
 * @param {number} now
 */
function pagesCard(records, now) {
  const rows = records.map((record) => {
    const at = Number(record.value);
    return h('li', { class: 'item' }, h('div', { class: 'item-meta' }, h('span', {}, `page ${rest(record.key, 'h:')}`),
      Number.isFinite(at) ? h('span', {}, `last heartbeat ${duration(now - at)} ago`) : rawView(record)));
  });
  return card('pages', 'Pages holding records', records.length, rows.length ? h('ol', { class: 'items' }, rows) : none('None.'),
    'A page beats while it owns stored records; what a gone page left is adopted by the next one.');
}

/**
 * @param {StoredRecord | undefined} sc
 * @param {StoredRecord[]} others
 */
function otherCard(sc, others) {
  return card('other', 'Other keys', null, [
    sc && h('dl', { class: 'kv' }, h('dt', {}, 'sc (eSputnik visitor)'), h('dd', {}, text(sc.value) ?? JSON.stringify(sc.value))),
    others.map((record) => rawView(record, record.key)),
    !sc && !others.length && none('None.'),
  ]);
}

function renderState() {
  const now = Date.now();
  const records = readTagStorage();
  shown = JSON.stringify(records) + document.cookie + (lastStatusCartGuid() ?? '');
  const starting = (/** @type {string} */ prefix) => records.filter((r) => r.key.startsWith(prefix));
  const known = ['o:', 'b:', 'cart:', 'h:'];
  const backoffs = starting('b:');
  const letters = starting('o:');
  const waitingFor = (/** @type {string} */ wait) => letters.filter((r) => waitsFor(r) === wait);
  fill($('[data-state]'),
    h('div', { class: 'column' },
      outboxCard(letters, new Map(backoffs.map((r) => [rest(r.key, 'b:'), r])), now),
      waitingCard('waiting-ct', waitingFor('session'), now),
      waitingCard('waiting-es', waitingFor('contact'), now),
      backoffCard(backoffs, now)),
    h('div', { class: 'column' },
      sessionCard(),
      cartCard(starting('cart:')),
      contactCard(records.find((r) => r.key === 'contact')),
      sentCard(records.find((r) => r.key === 'sent')),
      pagesCard(starting('h:'), now),
      otherCard(records.find((r) => r.key === 'sc'),
        records.filter((r) => !['contact', 'sc', 'sent'].includes(r.key) && !known.some((prefix) => r.key.startsWith(prefix))))));
}

/** What the state pane showed last, to skip a clock tick that would draw the same again. */
let shown = '';

/** The clock's re-render: only when something changed, or ages and countdowns are on show. */
function tick() {
  const records = readTagStorage();
  const seen = JSON.stringify(records) + document.cookie + (lastStatusCartGuid() ?? '');
  if (seen !== shown || records.some((r) => /^(o|b|h):/.test(r.key))) scheduleState();
}

let stateScheduled = false;
/** Coalesces bursts of storage events into one render. */
function scheduleState() {
  if (stateScheduled) return;
  stateScheduled = true;
  setTimeout(() => {
    stateScheduled = false;
    renderState();
  }, 50);
}

// ---- the switches ----

/** @param {string} message @param {'info' | 'error'} [kind] */
function say(message, kind = 'info') {
  const element = $('[data-message]');
  element.textContent = message;
  element.className = `message ${kind}`;
}

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<DemoState>}
 */
async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(Array.isArray(answer.errors) ? answer.errors.join('; ') : `${response.status}`);
  return answer;
}

/**
 * @param {unknown} patch
 * @param {string} done what to say once applied
 */
async function change(patch, done) {
  try {
    showState(await post('/inspector/settings', patch));
    say(done);
  } catch (error) {
    say(`Not applied: ${error instanceof Error ? error.message : error}`, 'error');
  }
}

/** Ends this browser's Calltouch session, so the next store page meets the script as now set. */
function endCalltouchSession() {
  document.cookie = '_ct_ids=; Max-Age=0; path=/';
}

/** @param {DemoState} state */
function showState(state) {
  demo = state;
  const { settings } = state;
  const press = (/** @type {string} */ selector, /** @type {string} */ value) => {
    for (const button of document.querySelectorAll(`${selector} button`)) {
      button.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (button).dataset.value === value));
    }
  };
  press('[data-format]', settings.format);
  press('[data-outage="calltouch"]', settings.outages.calltouch);
  press('[data-outage="esputnik"]', settings.outages.esputnik);
  const form = /** @type {HTMLFormElement} */ ($('[data-session]'));
  const delay = /** @type {HTMLInputElement} */ (form.elements.namedItem('delay'));
  if (document.activeElement !== delay) delay.value = String(settings.calltouch.sessionDelaySeconds);
  for (const radio of form.querySelectorAll('input[name="script"]')) {
    /** @type {HTMLInputElement} */ (radio).checked = (/** @type {HTMLInputElement} */ (radio).value === 'on') === settings.calltouch.script;
  }
  $('[data-session-hint]').textContent = settings.calltouch.script
    ? `Store pages load a stand-in Calltouch script that creates the session ${settings.calltouch.sessionDelaySeconds} s after load.`
    : `Store pages load no Calltouch script: purchases go offline after ${state.sessionWaitMs / 1000} s.`;
  scheduleState();
}

const OUTAGE_MEANINGS = /** @type {Record<string, string>} */ ({
  up: 'is up again: what waits goes at its next try (see the backoff countdown)',
  503: 'answers 503 to every request until you recover it: the tag keeps them and retries with backoff',
  timeout: 'holds every request without an answer: the tag gives up after 10 s and retries',
  unreachable: 'has closed its port: requests fail to connect, and the tag retries',
});

function bindControls() {
  for (const button of document.querySelectorAll('[data-format] button')) {
    button.addEventListener('click', () => {
      const format = /** @type {HTMLElement} */ (button).dataset.value;
      change({ format }, `eSputnik format: ${format}. Store pages opened from now on use it.`);
    });
  }
  for (const group of document.querySelectorAll('[data-outage]')) {
    const service = /** @type {HTMLElement} */ (group).dataset.outage ?? '';
    const name = service === 'calltouch' ? 'The Calltouch stand-in' : 'The eSputnik stand-ins (tracker, and Generate event behind the relay)';
    for (const button of group.querySelectorAll('button')) {
      button.addEventListener('click', () => {
        const outage = button.dataset.value ?? '';
        change({ outages: { [service]: outage } }, `${name} ${OUTAGE_MEANINGS[outage] ?? outage}.`);
      });
    }
  }
  $('[data-all-down]').addEventListener('click', () =>
    change({ outages: { calltouch: '503', esputnik: '503' } }, 'Everything answers 503. Events wait in the outbox and are retried with backoff.'));
  $('[data-recover]').addEventListener('click', () => {
    // A demo's shortcut, not the tag's behaviour: after an outage the tag waits out its backoff (up to a minute),
    // also on later pages. Forgetting it here lets the next store page send at once.
    for (const key of Object.keys(localStorage)) if (key.startsWith(`${NAMESPACE}b:`)) localStorage.removeItem(key);
    change({ outages: { calltouch: 'up', esputnik: 'up' } }, 'All collectors up, and this browser\'s backoff forgotten: the next store page sends what waited at once; a page open now keeps its countdown.');
  });
  const form = /** @type {HTMLFormElement} */ ($('[data-session]'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const script = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="script"]:checked'))?.value !== 'off';
    const sessionDelaySeconds = Number(/** @type {HTMLInputElement} */ (form.elements.namedItem('delay')).value);
    endCalltouchSession();
    change({ calltouch: { script, sessionDelaySeconds } },
      'Calltouch script set; this browser\'s Calltouch session (_ct_ids cookie) is cleared, so the next store page starts without one.');
  });
  $('[data-clear]').addEventListener('click', async () => {
    try {
      await post('/inspector/clear', {});
      say('Requests cleared.');
    } catch (error) {
      say(`Not cleared: ${error instanceof Error ? error.message : error}`, 'error');
    }
  });
  $('[data-start-over]').addEventListener('click', async () => {
    // Only what the demo store and its tag wrote on this origin: the tag's namespace, the stub's saved calls
    // (`ecomtag:ct` itself), and the store's own keys.
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(NAMESPACE) || key === NAMESPACE.slice(0, -1) || key.startsWith(STORE_PREFIX)) localStorage.removeItem(key);
    }
    for (const cookie of ['_ct', '_ct_ids', 'sc']) document.cookie = `${cookie}=; Max-Age=0; path=/`;
    try {
      await post('/inspector/clear', {});
      say('Started over: requests, the tag\'s storage, the store\'s cart and orders, and the cookies are cleared. Reload open store tabs.');
    } catch (error) {
      say(`This browser is reset, but the requests were not cleared: ${error instanceof Error ? error.message : error}`, 'error');
    }
    renderState();
  });
}

function connect() {
  const live = $('[data-live]');
  const source = new EventSource('/inspector/feed');
  source.addEventListener('open', () => {
    live.textContent = 'live';
    live.className = 'live on';
  });
  source.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  });
  source.addEventListener('reset', (event) => {
    const { entries: all, state } = JSON.parse(/** @type {MessageEvent} */ (event).data);
    showState(state);
    resetFeed(all);
  });
  source.addEventListener('entry', (event) => addEntry(JSON.parse(/** @type {MessageEvent} */ (event).data)));
  source.addEventListener('settings', (event) => showState(JSON.parse(/** @type {MessageEvent} */ (event).data)));
}

bindControls();
connect();
renderState();
// Another tab (the store) changed localStorage.
addEventListener('storage', scheduleState);
// Ages, countdowns and cookies change without an event.
setInterval(tick, 1000);
