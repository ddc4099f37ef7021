// The contenders' pages: each installs its tag the way its documentation tells a store to, makes 20 add-to-cart
// calls before the tag has loaded (or, where the API has no pre-load queue, in the same task as its setup), and
// tells the harness how to make one more call. Every contender sends the same product, to the local sink only.
import { scriptJson as js, snippetTag } from '../../test/support/snippet.mjs';
import { harness } from './harness.mjs';
import { versionOf } from './bundles.mjs';

/** Calls queued before the tag loads. */
export const QUEUED = 20;
const MOD_ID = 'abcd1234';
const SITE_ID = 12345;

/**
 * @typedef {object} Contender
 * @property {string} name
 * @property {string} about one line for the output
 * @property {string} file the bundle, served at `/${file}`
 * @property {number} requests requests to the sink after which the queued calls count as handled (harness.mjs)
 * @property {(origin: string) => Array<{name: string, value: string, url: string}>} [cookies]
 * @property {(page: {sink: string, lane: string}) => string} scripts the page's scripts after the harness
 */

/** @type {Contender} */
const ecomtag = {
  name: 'ecomtag',
  about: 'dist/ecomtag.js, README snippet, one Calltouch account (its session cookies set), `send_ecommerce addToCart`',
  file: 'ecomtag.js',
  // Each event is its own request and the outbox sends one at a time: the first request follows the replay.
  requests: 1,
  // Calltouch's session, as its script leaves it in cookies, so events go out at once instead of waiting for it.
  cookies: (origin) => [
    { name: '_ct_ids', value: `${MOD_ID}:${SITE_ID}:555666777`, url: origin },
    { name: '_ct', value: '1234567890', url: origin },
  ],
  scripts: ({ sink, lane }) => {
    const config = { accounts: [{ modId: MOD_ID, calltouch: { siteId: SITE_ID } }], calltouch: { endpoint: `${sink}/${lane}/calltouch` } };
    const product = `{ id: ID, name: 'USB-удлинитель', price: 150.5, quantity: 1 }`;
    const call = (/** @type {string} */ id) => `ct('send_ecommerce', 'addToCart', { products: [${product.replace('ID', id)}] })`;
    // README's snippet as the tests install it, and the store's calls after it, in one script: timed, as they
    // run before the bundle, and nothing can run between them.
    const snippet = snippetTag({ config, bundleUrl: '/ecomtag.js' }).replace(/^<script>|<\/script>$/g, '');
    return `<script>{
  __bench.startPre();
  ${snippet}
  for (let i = 0; i < ${QUEUED}; i++) ${call('1000 + i')};
  __bench.endPre();
  __bench.queued(${QUEUED});
  // The replay runs when the bundle does; its load event follows that and the microtasks it queued.
  document.querySelector('script[data-name="ct"]').addEventListener('load', () => __bench.returned());
  __bench.setCall(() => ${call('1003')});
}</script>`;
  },
};

/**
 * How the peers' own snippets load them: an async script element inserted by an inline script, timed as
 * ecomtag's snippet is; `setup` runs at its load event.
 * @param {string} file
 * @param {string} setup the store's code once the bundle has run
 */
const loader = (file, setup) => `<script>
__bench.queued(${QUEUED});
function benchSetup() {
${setup}
}
__bench.startPre();
{
  const script = document.createElement('script');
  script.async = true;
  script.src = '/${file}';
  script.addEventListener('load', benchSetup);
  document.head.appendChild(script);
}
__bench.endPre();
</script>`;

/** @type {Contender} */
const snowplow = {
  name: 'snowplow',
  about: `@snowplow/browser-tracker ${versionOf('@snowplow/browser-tracker')} + browser-plugin-snowplow-ecommerce: newTracker, trackAddToCart`,
  file: 'snowplow.js',
  // Its event store sends what is queued in one POST, so the first request carries the queued calls.
  requests: 1,
  scripts: ({ sink, lane }) => {
    const cart = `{ products: [{ id: ID, name: 'USB-удлинитель', price: 150.5, currency: 'RUB', quantity: 1 }], total_value: 150.5, currency: 'RUB' }`;
    const call = (/** @type {string} */ id) => `snowplow.trackAddToCart(${cart.replace('ID', id)})`;
    // The npm tracker has no queue before load: the store's setup and calls run as soon as it has.
    return loader(
      'snowplow.js',
      `  snowplow.newTracker('sp', ${js(sink)}, { appId: 'bench', postPath: ${js(`/${lane}/tp2`)}, plugins: [snowplow.SnowplowEcommercePlugin()] });
  for (let i = 0; i < ${QUEUED}; i++) ${call('String(1000 + i)')};
  __bench.returned();
  __bench.setCall(() => ${call("'1003'")});`,
    );
  },
};

/** @type {Contender} */
const segment = {
  name: 'segment',
  about: `@segment/analytics-next ${versionOf('@segment/analytics-next')}: AnalyticsBrowser.load (settings inline), track('Product Added')`,
  file: 'segment.js',
  // One request per event, each after the event has passed its plugin pipeline: all 20 mark them handled.
  requests: QUEUED,
  scripts: ({ sink, lane }) => {
    const segmentio = { apiKey: 'bench', apiHost: `${new URL(sink).host}/${lane}`, protocol: 'http' };
    // What Segment's CDN would answer for a source with no destinations but Segment itself; no metrics sampled.
    const settings = { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': segmentio }, metrics: { sampleRate: 0 } } };
    const props = `{ product_id: ID, name: 'USB-удлинитель', price: 150.5, quantity: 1, currency: 'RUB' }`;
    const call = (/** @type {string} */ id) => `analytics.track('Product Added', ${props.replace('ID', id)})`;
    // load() returns at once; calls made before it has finished are buffered and replayed, as with the snippet.
    return loader(
      'segment.js',
      `  const analytics = segment.AnalyticsBrowser.load(${js(settings)});
  for (let i = 0; i < ${QUEUED}; i++) ${call('String(1000 + i)')};
  __bench.returned();
  __bench.setCall(() => ${call("'1003'")});`,
    );
  },
};

/** @type {Contender[]} */
export const CONTENDERS = [ecomtag, snowplow, segment];

/** The same harness with no tag and a call that does nothing: what the harness itself costs, to subtract. */
/** @type {Contender} */
export const BASELINE = {
  name: 'baseline',
  about: 'no tag',
  file: '',
  requests: 0,
  scripts: () => '<script>__bench.setCall(() => undefined);</script>',
};

/**
 * @param {Contender} contender
 * @param {{sink: string, lane: string}} page
 */
export function pageHtml(contender, page) {
  const options = { ...page, bundle: `/${contender.file}`, requests: contender.requests, eventsPerCall: contender === BASELINE ? 0 : 1 };
  return `<!doctype html><html><head><meta charset=utf-8><title>bench: ${contender.name}</title>
<script>(${harness})(${js(options)});</script>
${contender.scripts(page)}
</head><body></body></html>`;
}
