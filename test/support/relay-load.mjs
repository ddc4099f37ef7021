// Shoppers for the relay's load test and its benchmark: autocannon posting the tag's four Generate event bodies
// (relay-bodies.mjs: the canonical ones of esputnik-fixtures.mjs, signed for one of SHOPPERS contacts, each with
// its own order) in turn, as the tag's sendBeacon does (text/plain, from the store's origin), each request from the
// client address a callback names, and counting every answer by status.
import autocannon from 'autocannon';
import { tagBodies } from './relay-bodies.mjs';

/** The store's origin: a relay under load is started with it allowed. */
export const LOAD_ORIGIN = 'https://shop.example';

/**
 * autocannon notices that a run is over at its next sample, once a second by default: every 100 ms instead, so a
 * run ends within 100 ms of its last answer (and its `requests` histogram counts per 100 ms).
 */
const SAMPLE_MS = 100;

/** Contacts the shoppers' events are for: enough that no contact comes near the relay's per-contact limit. */
export const SHOPPERS = 1000;

/** @type {string[][] | undefined} the four bodies of each shopper, made on first use */
let shopperBodies;

/**
 * The index-th request of a run of the tag's events: shopper `index / 4 % SHOPPERS`, event type `index % 4`
 * (productViewed, cartUpdated, orderCreated, orderCancelled).
 * @param {number} index
 * @returns {string}
 */
export function tagRequest(index) {
  shopperBodies ??= Array.from({ length: SHOPPERS }, (_, n) => {
    const bodies = tagBodies(`email:shopper-${n}@example.com`, { orderId: `L-${n}` });
    return [bodies.productViewed, bodies.cartUpdated, bodies.orderCreated, bodies.orderCancelled].map((body) => JSON.stringify(body));
  });
  return shopperBodies[Math.floor(index / 4) % SHOPPERS][index % 4];
}

/**
 * @typedef {object} LoadOptions
 * @property {number} amount  requests in all
 * @property {number} connections  requests at once: each connection sends its next request when answered
 * @property {(index: number) => string} [client]  the X-Forwarded-For of the index-th request (a relay with
 *   RELAY_TRUST_PROXY=1 takes it as the shopper's address); none when absent
 * @property {number} [rate]  requests per second in all; default as fast as they are answered
 * @property {number} [timeoutSeconds]  a request unanswered this long counts as an error; default 10
 * @property {(index: number) => {body: string, headers?: Record<string, string>}} [request]  the index-th request's
 *   body and extra headers; default the tag's events (tagRequest)
 */

/**
 * @typedef {object} LoadResult
 * @property {import('autocannon').Result} result  autocannon's own figures (latency, requests per second, …)
 * @property {Record<string, number>} statuses  answers by status code
 * @property {number} errors  requests that got no answer: connection errors and timeouts
 * @property {number} missingRetryAfter  429 and 503 answers without a Retry-After of at least 1 second
 */

/**
 * @typedef {object} LoadRun
 * @property {Promise<LoadResult>} done  settles when every request is answered, or after stop()
 * @property {() => void} stop  ends the run early (a background client, for as long as another run lasts)
 */

/**
 * Starts a run against `url` (the relay's URL and path). `amount` bounds it; stop() ends it sooner.
 * @param {string} url
 * @param {LoadOptions} options
 * @returns {LoadRun}
 */
export function load(url, { amount, connections, client, rate, timeoutSeconds = 10, request = (index) => ({ body: tagRequest(index) }) }) {
  let missingRetryAfter = 0;
  let sent = 0;
  /** @type {(status: number, body: string, context: object, headers: Record<string, string | string[] | undefined>) => void} */
  const onResponse = (status, _body, _context, headers) => {
    if ((status === 429 || status === 503) && !(Number(headers['retry-after']) >= 1)) missingRetryAfter += 1;
  };
  /** @type {(request: import('autocannon').Request) => import('autocannon').Request} */
  const next = (/** @type {import('autocannon').Request} */ raw) => {
    const index = sent++;
    const { body, headers = {} } = request(index);
    return { ...raw, body, headers: { ...raw.headers, ...headers, ...(client ? { 'x-forwarded-for': client(index) } : {}) } };
  };
  const instance = autocannon({
    url,
    method: 'POST',
    connections,
    amount,
    timeout: timeoutSeconds,
    sampleInt: SAMPLE_MS,
    ...(rate === undefined ? {} : { overallRate: rate }),
    headers: { origin: LOAD_ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
    requests: [{ setupRequest: next, onResponse }],
  });
  const done = new Promise((resolve, reject) => {
    instance.once('done', (/** @type {import('autocannon').Result} */ result) => {
      /** @type {Record<string, number>} */
      const statuses = {};
      for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = Number(count);
      resolve({ result, statuses, errors: result.errors, missingRetryAfter });
    });
    instance.once('error', reject);
  });
  return { done: /** @type {Promise<LoadResult>} */ (done), stop: () => instance.stop() };
}
