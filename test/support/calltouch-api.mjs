// A stand-in for Calltouch's API at https://api.calltouch.ru, as strict as seed 004 describes its deal journal
// (`GET /calls-service/RestAPI/{site_id}/orders-diary/orders`): the token in `clientApiId`, dates `dd/mm/yyyy`
// with dateFrom before dateTo, `page`/`limit` (at most 1000) required past one day, `withAllOrderOrigins` deciding
// whether deals not created through the API are listed, answers with `page`, `pageTotal`, `pageSize`,
// `recordsTotal` and records shaped like the seed's example. Its limit too: of requests arriving within one
// second, 5 are answered at once, 5 wait for the next free second, and the rest fail (the exact error Calltouch
// gives is not documented: here a 429). Every request is recorded (never the token) so tests can assert the pace.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { listen, sendJson, shutdown } from './http.mjs';

/** The token the stand-in demands unless told another. */
export const DEFAULT_CALLTOUCH_TOKEN = 'ct-test-token-7Hq2Lx9Vb4';
export const DEFAULT_SITE_ID = 12345;

const PATH = /^\/calls-service\/RestAPI\/(\d+)\/orders-diary\/orders$/;
const RUN_PER_SECOND = 5;
const QUEUE = 5;
const MAX_LIMIT = 1000;
const DAY_MS = 86_400_000;

/**
 * @typedef {object} DealProduct  a product of a deal, as seed 004's example lists it
 * @property {string} name
 * @property {string} [brand]
 * @property {string} [category]
 * @property {string} [variant]
 * @property {number} price
 * @property {number} quantity
 * @property {number} revenue
 * @property {string} externalId
 * @property {number | null} [margin]
 */

/** @typedef {Record<string, unknown> & {orderNumber: string, orderDate: string, isDeleted: boolean, orderOrigin: string}} DealRecord */

/**
 * One request as the stand-in saw it. `at` is performance.now() at arrival, for windows; the query is kept without
 * clientApiId.
 * @typedef {object} ApiRequest
 * @property {number} at
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {boolean} tokenValid
 * @property {number | null} status   null for a request left hanging or reset
 * @property {boolean} queued        waited for a free second
 * @property {string | null} error
 */

/**
 * A fault played on the next requests instead of their answer: a status (answered with an error body), or
 * `reset` (the connection destroyed) or `hang` (never answered).
 * @typedef {number | 'reset' | 'hang'} Fault
 */

/**
 * @param {{port?: number, siteId?: number, token?: string, deals?: DealRecord[]}} [options]
 * @returns {Promise<CalltouchApi>}
 */
export async function startCalltouchApi({ port = 0, siteId = DEFAULT_SITE_ID, token = DEFAULT_CALLTOUCH_TOKEN, deals = [] } = {}) {
  const api = new CalltouchApi(siteId, token, deals);
  await api.listen(port);
  return api;
}

export class CalltouchApi {
  /** @type {DealRecord[]} what the deal journal holds, in any order */
  deals;
  /** @type {ApiRequest[]} */
  requests = [];
  #siteId;
  #tokenHash;
  #port = 0;
  /** @type {Array<{fault: Fault, retryAfter: string | null}>} */
  #faults = [];
  /** Arrival times of the requests answered within the last second. */
  /** @type {number[]} */
  #running = [];
  /** @type {Array<() => void>} */
  #queue = [];
  /** @type {NodeJS.Timeout | null} */
  #drain = null;
  #server = createServer((req, res) => this.#handle(req, res));

  /**
   * @param {number} siteId
   * @param {string} token
   * @param {DealRecord[]} deals
   */
  constructor(siteId, token, deals) {
    this.#siteId = siteId;
    this.#tokenHash = digest(token);
    this.deals = deals;
  }

  /** e.g. `http://127.0.0.1:41234`: what `--api-url` is given. */
  get url() {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** @param {number} port */
  async listen(port) {
    this.#port = await listen(this.#server, port);
  }

  /**
   * The next n requests get `fault` instead of their answer (counted in order with earlier ones).
   * @param {number} n
   * @param {Fault} [fault]
   * @param {{retryAfter?: string}} [options] a Retry-After header for a status fault
   */
  failNext(n, fault = 503, { retryAfter } = {}) {
    for (let i = 0; i < n; i += 1) this.#faults.push({ fault, retryAfter: retryAfter ?? null });
  }

  /** Forgets the recorded requests, pending faults, and the second's count of requests (a test starts afresh). */
  reset() {
    this.requests = [];
    this.#faults = [];
    this.#running = [];
  }

  close() {
    if (this.#drain) clearTimeout(this.#drain);
    this.#drain = null;
    this.#queue = [];
    return shutdown(this.#server);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  #handle(req, res) {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const tokenValid = typeof query.clientApiId === 'string' && timingSafeEqual(digest(query.clientApiId), this.#tokenHash);
    delete query.clientApiId;
    /** @type {ApiRequest} */
    const record = { at: performance.now(), path: url.pathname, query, tokenValid, status: null, queued: false, error: null };
    this.requests.push(record);
    // Only GET without a body: whatever a client sends along is read and dropped.
    req.resume();

    const planned = this.#faults.shift();
    if (planned?.fault === 'reset') return void req.socket.destroy();
    if (planned?.fault === 'hang') return;
    if (planned) {
      return answer(res, record, planned.fault, { message: `simulated ${planned.fault}` }, planned.retryAfter ? { 'Retry-After': planned.retryAfter } : {});
    }
    const admitted = this.#admit(record, () => this.#answer(req.method ?? 'GET', url, query, tokenValid, record, res));
    if (!admitted) answer(res, record, 429, { message: 'Too many requests: at most 5 a second, 5 more queued' });
  }

  /**
   * Seed 004's limit: of the requests within a second 5 run, 5 more wait for a free second, the rest fail.
   * @param {ApiRequest} record
   * @param {() => void} run
   * @returns {boolean} false: refused
   */
  #admit(record, run) {
    const now = performance.now();
    this.#running = this.#running.filter((at) => at > now - 1000);
    if (this.#running.length < RUN_PER_SECOND && this.#queue.length === 0) {
      this.#running.push(now);
      run();
      return true;
    }
    if (this.#queue.length >= QUEUE) return false;
    record.queued = true;
    this.#queue.push(run);
    this.#schedule();
    return true;
  }

  #schedule() {
    if (this.#drain || !this.#queue.length) return;
    const wait = Math.max(0, this.#running[0] + 1000 - performance.now());
    this.#drain = setTimeout(() => {
      this.#drain = null;
      const now = performance.now();
      this.#running = this.#running.filter((at) => at > now - 1000);
      while (this.#queue.length && this.#running.length < RUN_PER_SECOND) {
        this.#running.push(now);
        /** @type {() => void} */ (this.#queue.shift())();
      }
      this.#schedule();
    }, wait);
  }

  /**
   * @param {string} method
   * @param {URL} url
   * @param {Record<string, string>} query
   * @param {boolean} tokenValid
   * @param {ApiRequest} record
   * @param {import('node:http').ServerResponse} res
   */
  #answer(method, url, query, tokenValid, record, res) {
    const path = PATH.exec(url.pathname);
    if (!path) return answer(res, record, 404, { message: `no such method: ${url.pathname}` });
    if (method !== 'GET') return answer(res, record, 405, { message: `${method} not allowed` });
    if (!tokenValid) return answer(res, record, 401, { message: 'clientApiId is missing or invalid' });
    if (Number(path[1]) !== this.#siteId) return answer(res, record, 403, { message: `no access to site ${path[1]}` });

    const from = parseDate(query.dateFrom);
    const to = parseDate(query.dateTo);
    if (from === null || to === null) return answer(res, record, 400, { message: 'dateFrom and dateTo are required, as dd/mm/yyyy' });
    if (!(from < to)) return answer(res, record, 400, { message: 'dateFrom must be less than dateTo' });
    const paged = query.page !== undefined;
    if (!paged && to - from > DAY_MS) return answer(res, record, 400, { message: 'a range over more than one day needs page and limit' });
    const page = paged ? wholeNumber(query.page) : 1;
    const limit = query.limit === undefined || !paged ? MAX_LIMIT : wholeNumber(query.limit);
    if (page === null || page < 1) return answer(res, record, 400, { message: 'page must be a whole number from 1' });
    if (limit === null || limit < 1 || limit > MAX_LIMIT) return answer(res, record, 400, { message: `limit must be a whole number from 1 to ${MAX_LIMIT}` });

    const allOrigins = query.withAllOrderOrigins === 'true';
    const withTags = query.withOrdersTags === 'true';
    const listed = this.deals
      .filter((deal) => {
        const day = parseDate(deal.orderDate.slice(0, 10));
        return day !== null && day >= from && day <= to && (allOrigins || deal.orderOrigin === 'API');
      })
      .sort((a, b) => dealTime(a) - dealTime(b))
      .map((deal) => {
        if (withTags) return deal;
        const { tags: _tags, ...rest } = deal;
        return rest;
      });
    if (!paged) return answer(res, record, 200, { records: listed });
    const records = listed.slice((page - 1) * limit, page * limit);
    return answer(res, record, 200, { page, pageTotal: Math.ceil(listed.length / limit), pageSize: limit, recordsTotal: listed.length, records });
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {ApiRequest} record
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function answer(res, record, status, body, headers = {}) {
  record.status = status;
  if (status >= 400) record.error = /** @type {{message?: string}} */ (body).message ?? null;
  sendJson(res, status, body, headers);
}

/** @param {string} text */
function digest(text) {
  return createHash('sha256').update(text).digest();
}

/** @param {string} value @returns {number | null} */
function wholeNumber(value) {
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/**
 * `dd/mm/yyyy` → ms at UTC midnight, or null when it is not a real date in that form.
 * @param {string | undefined} text
 */
function parseDate(text) {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text ?? '');
  if (!match) return null;
  const ms = Date.UTC(Number(match[3]), Number(match[2]) - 1, Number(match[1]));
  return new Date(ms).getUTCDate() === Number(match[1]) && new Date(ms).getUTCMonth() === Number(match[2]) - 1 ? ms : null;
}

/** @param {DealRecord} deal orderDate `dd/mm/yyyy hh:mm:ss` as a sortable number */
function dealTime(deal) {
  const [date, time = '00:00:00'] = deal.orderDate.split(' ');
  const [d, m, y] = date.split('/');
  return Number(`${y}${m}${d}${time.replace(/:/g, '')}`);
}

/**
 * A Date as the deal journal writes it: `dd/mm/yyyy hh:mm:ss`, in the machine's local time.
 * @param {Date} date
 */
export function journalDate(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * A deal shaped like seed 004's second example record (a deal of a web request, with products). `orderOrigin`
 * says how it was created: 'API' is listed without withAllOrderOrigins, anything else only with it.
 * @param {{orderNumber: string, orderDate: string, products?: Array<Partial<DealProduct> & {externalId: string, price: number, quantity: number}>,
 *   plannedAmount?: number | null, isDeleted?: boolean, orderOrigin?: string}} deal
 * @returns {DealRecord}
 */
export function dealRecord({ orderNumber, orderDate, products = [], plannedAmount, isDeleted = false, orderOrigin = 'ECOMMERCE' }) {
  const lines = products.map((product) => ({
    name: product.name ?? `Товар ${product.externalId}`,
    brand: product.brand ?? '',
    category: product.category ?? '',
    variant: product.variant ?? '',
    price: product.price,
    quantity: product.quantity,
    revenue: Math.round(product.price * product.quantity * 100) / 100,
    externalId: product.externalId,
    margin: product.margin ?? null,
  }));
  return {
    client: { phones: '79205550058', fio: null, emails: null },
    completedAmount: null,
    completedDate: null,
    createdDate: orderDate,
    isDeleted,
    manager: null,
    orderDate,
    orderNumber,
    orderOrigin,
    orderSource: { requestNumber: orderNumber, type: 'REQUEST' },
    orderStatus: 'start',
    plannedAmount: plannedAmount === undefined ? Math.round(lines.reduce((sum, line) => sum + line.revenue, 0) * 100) / 100 : plannedAmount,
    service: null,
    tags: [],
    visit: { utmSource: null, utmTerm: null, utmContent: null, visitDate: null, utmMedium: null, source: null, medium: null, keyword: null, utmCampaign: null },
    funnel: 'Электронная торговля',
    currencyCode: 'RUB',
    margin: null,
    orderLink: null,
    orderName: null,
    products: lines,
  };
}

/**
 * The deal a purchase that reached ecommerce.php would make, if the e-commerce module's purchases appear in the
 * deal journal with the transaction id as orderNumber: the README's open question, assumed here (the demo shows it).
 * @param {{id: string, products: Array<{id: string | number, name?: string, price?: number, quantity?: number}>}} purchase
 * @param {Date} at
 * @returns {DealRecord}
 */
export function dealFromPurchase(purchase, at) {
  return dealRecord({
    orderNumber: purchase.id,
    orderDate: journalDate(at),
    products: purchase.products.map((product) => ({
      externalId: String(product.id),
      name: product.name,
      price: product.price ?? 0,
      quantity: product.quantity ?? 1,
    })),
  });
}
