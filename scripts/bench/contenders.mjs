// The contenders' pages: each defines how its tag goes in (as its documentation tells a store) with 20 add-to-cart
// calls, and how the page makes one more call. Every contender sends the same product, to the local sink only.
import { scriptJson as js, snippetTag } from '../../test/support/snippet.mjs';
import { harness } from './harness.mjs';
import { versionOf } from './bundles.mjs';

/** Calls made as the tag goes in: before it has loaded where it has a queue for them, else at its load event. */
export const QUEUED = 20;
const MOD_ID = 'abcd1234';
const SITE_ID = 12345;
const SESSION_ID = 555666777;
const CLIENT_ID = '1234567890';
const ESPUTNIK_SITE = '8A412DC';
const PRODUCT_NAME = 'USB-удлинитель';

/**
 * @typedef {object} Contender
 * @property {string} name
 * @property {string} about one line for the output
 * @property {string} [file] its bundle in dist/ (ecomtag) or bundled here (the peers), served at `/${file}`
 * @property {number} eventsPerCall events, and requests, a call brings to the sink: 2 where one call reaches
 *   Calltouch and eSputnik's tracker, each taking one event a request; batching peers post fewer requests
 * @property {boolean} outbox whether it keeps calls to send later (everyone but the floor): measured with 90
 *   letters waiting
 * @property {string} [floor] the contender whose requests are the floor this one is held to
 * @property {(origin: string) => Array<{name: string, value: string, url: string}>} [session] Calltouch's session
 *   cookies, for a contender that waits for it: its pages have them, but one that measures letters waiting for it
 * @property {(page: {sink: string, lane: string}) => string} script the page's script after the harness: it
 *   calls `__bench.define`
 */

/** Calltouch's session, as its script leaves it in cookies, so Calltouch's events go out at once. */
const calltouchSession = (/** @type {string} */ origin) => [
  { name: '_ct_ids', value: `${MOD_ID}:${SITE_ID}:${SESSION_ID}`, url: origin },
  { name: '_ct', value: CLIENT_ID, url: origin },
];

/**
 * The floor: the page makes the tag's requests itself, bare — for each call one keepalive `fetch` per vendor,
 * with the body that vendor takes (Calltouch's site event; eSputnik's tracker `StatusCart`, the whole cart after
 * the change). No checks, no storage, no retries: what any tag that sends these events must at least spend.
 * @param {boolean} esputnik
 * @returns {Contender}
 */
const floor = (esputnik) => ({
  name: esputnik ? 'floor' : 'floor.calltouch',
  about: `the page posts each event itself: one keepalive fetch to Calltouch${esputnik ? ' and one to eSputnik\'s tracker' : ''}`,
  eventsPerCall: esputnik ? 2 : 1,
  outbox: false,
  script: ({ sink, lane }) => `<script>{
  const session = ${js({ siteId: SITE_ID, sessionId: SESSION_ID, modId: MOD_ID, ctClientId: CLIENT_ID })};
  const sc = crypto.randomUUID();
  const cart = {};
  const post = (url, body) => fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, keepalive: true });
  const send = (id) => {
    post(${js(`${sink}/${lane}/calltouch`)}, Object.assign({}, session, { eventType: 'addToCart', products: [{ id: String(id), name: ${js(PRODUCT_NAME)}, price: 150.5, quantity: 1 }], fio: null, email: null, phoneNumber: null, comment: null, addTags: [] }));
    ${
      esputnik
        ? `const line = cart[id] || (cart[id] = { productKey: String(id), price: '150.5', quantity: 0 });
    line.quantity += 1;
    post(${js(`${sink}/${lane}/esputnik`)}, { GeneralInfo: { eventName: 'StatusCart', siteId: ${js(ESPUTNIK_SITE)}, datetime: Date.now(), cookies: { sc } }, StatusCart: { GUID: crypto.randomUUID(), Products: Object.values(cart) } });`
        : ''
    }
  };
  __bench.define({
    insert() { for (let i = 0; i < ${QUEUED}; i++) send(1000 + i); },
    call: () => send(1003),
    queued: ${QUEUED},
    eventsPerCall: ${esputnik ? 2 : 1},
  });
}</script>`,
});

/**
 * ecomtag as README installs it: the snippet, then the store's calls, queued by the stub until the bundle runs.
 * @param {{name: string, file: string, esputnik: boolean}} build
 * @returns {Contender}
 */
const ecomtag = ({ name, file, esputnik }) => ({
  name,
  about: `dist/${file}, README snippet, Calltouch (its session known)${esputnik ? " and eSputnik's tracker" : ''}: \`ct('send_ecommerce', 'addToCart', …)\``,
  file,
  eventsPerCall: esputnik ? 2 : 1,
  outbox: true,
  floor: esputnik ? 'floor' : 'floor.calltouch',
  session: calltouchSession,
  script: ({ sink, lane }) => {
    const account = { modId: MOD_ID, calltouch: { siteId: SITE_ID }, ...(esputnik ? { esputnik: { siteId: ESPUTNIK_SITE } } : {}) };
    const config = {
      accounts: [account],
      calltouch: { endpoint: `${sink}/${lane}/calltouch` },
      ...(esputnik ? { esputnik: { endpoint: `${sink}/${lane}/esputnik` } } : {}),
    };
    const product = `{ id: ID, name: ${js(PRODUCT_NAME)}, price: 150.5, quantity: 1 }`;
    const call = (/** @type {string} */ id) => `ct('send_ecommerce', 'addToCart', { products: [${product.replace('ID', id)}] })`;
    const snippet = snippetTag({ config, bundleUrl: `/${file}` }).replace(/^<script>|<\/script>$/g, '');
    return `<script>__bench.define({
  insert() {
    ${snippet}
    for (let i = 0; i < ${QUEUED}; i++) ${call('1000 + i')};
  },
  call: () => ${call('1003')},
  queued: ${QUEUED},
  eventsPerCall: ${esputnik ? 2 : 1},
});</script>`;
  },
});

/**
 * How the peers' own snippets load them: an async script element; `setup` (the store's code once the bundle has
 * run, its calls included) runs at its load event.
 * @param {string} file
 * @param {string} setup
 * @param {string} call the expression that makes one call
 */
const loader = (file, setup, call) => `<script>__bench.define({
  insert() {
    const script = document.createElement('script');
    script.async = true;
    script.src = '/${file}';
    script.addEventListener('load', () => {
${setup}
    });
    document.head.appendChild(script);
  },
  call: () => ${call},
  queued: ${QUEUED},
  eventsPerCall: 1,
});</script>`;

/** @type {Contender} */
const snowplow = {
  name: 'snowplow',
  about: `@snowplow/browser-tracker ${versionOf('@snowplow/browser-tracker')} + browser-plugin-snowplow-ecommerce: newTracker, trackAddToCart`,
  file: 'snowplow.js',
  eventsPerCall: 1,
  outbox: true,
  script: ({ sink, lane }) => {
    const cart = `{ products: [{ id: ID, name: ${js(PRODUCT_NAME)}, price: 150.5, currency: 'RUB', quantity: 1 }], total_value: 150.5, currency: 'RUB' }`;
    const call = (/** @type {string} */ id) => `snowplow.trackAddToCart(${cart.replace('ID', id)})`;
    // The npm tracker has no queue before load: the store's setup and calls run as soon as it has.
    return loader(
      'snowplow.js',
      `      snowplow.newTracker('sp', ${js(sink)}, { appId: 'bench', postPath: ${js(`/${lane}/tp2`)}, plugins: [snowplow.SnowplowEcommercePlugin()] });
      for (let i = 0; i < ${QUEUED}; i++) ${call('String(1000 + i)')};`,
      call("'1003'"),
    );
  },
};

/** @type {Contender} */
const segment = {
  name: 'segment',
  about: `@segment/analytics-next ${versionOf('@segment/analytics-next')}: AnalyticsBrowser.load (settings inline), track('Product Added')`,
  file: 'segment.js',
  eventsPerCall: 1,
  outbox: true,
  script: ({ sink, lane }) => {
    const segmentio = { apiKey: 'bench', apiHost: `${new URL(sink).host}/${lane}`, protocol: 'http' };
    // What Segment's CDN would answer for a source with no destinations but Segment itself; no metrics sampled.
    const settings = { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': segmentio }, metrics: { sampleRate: 0 } } };
    const props = `{ product_id: ID, name: ${js(PRODUCT_NAME)}, price: 150.5, quantity: 1, currency: 'RUB' }`;
    const call = (/** @type {string} */ id) => `window.analytics.track('Product Added', ${props.replace('ID', id)})`;
    // load() returns at once; calls made before it has finished are buffered and replayed, as with the snippet.
    return loader(
      'segment.js',
      `      window.analytics = segment.AnalyticsBrowser.load(${js(settings)});
      for (let i = 0; i < ${QUEUED}; i++) ${call('String(1000 + i)')};`,
      call("'1003'"),
    );
  },
};

/** The contenders, in the report's order. */
export const CONTENDERS = [
  floor(true),
  floor(false),
  ecomtag({ name: 'ecomtag', file: 'ecomtag.js', esputnik: true }),
  ecomtag({ name: 'ecomtag.calltouch', file: 'ecomtag.calltouch.js', esputnik: false }),
  snowplow,
  segment,
];

/** The same harness with no tag: what a page costs over the same span, to subtract. */
/** @type {Contender} */
export const EMPTY = {
  name: 'empty',
  about: 'no tag',
  eventsPerCall: 0,
  outbox: false,
  script: () => '',
};

/**
 * @param {Contender} contender
 * @param {{sink: string, lane: string}} page
 */
export function pageHtml(contender, page) {
  return `<!doctype html><html><head><meta charset=utf-8><title>bench: ${contender.name}</title>
<script>(${harness})(${js(page)});</script>
${contender.script(page)}
</head><body></body></html>`;
}
