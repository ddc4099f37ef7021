// A local stand-in for the services the tag posts to, on 127.0.0.1. It
// behaves like a public tracking endpoint (CORS, content types, size limit,
// strict schema, and authorization where a route's service demands it) and
// records every request so browser tests can assert "exactly once", and it
// can fail, hang or go away on command to exercise retries.
import { createServer } from 'node:http';
import { corsHeaders, preflightHeaders } from './cors.mjs';
import { listen, mediaType, readBody, sendJson, shutdown } from './http.mjs';
import { EsputnikState } from './esputnik-state.mjs';
import { describeRecord, Recorder } from './recorder.mjs';
import { routes } from './routes/index.mjs';

/** @typedef {import('./recorder.mjs').CollectorRecord} CollectorRecord */
/** @typedef {import('./recorder.mjs').WaitOptions} WaitOptions */
/** @typedef {import('./routes/index.mjs').RouteOptions} RouteOptions */
/**
 * How one service POST is answered against its nature: a status, left
 * hanging, or its connection reset; null answers it normally.
 * @typedef {number | 'hang' | 'reset' | null} Fault
 */

const BODY_LIMIT = 64 * 1024;
// fetch sends what the tag sets (application/json); sendBeacon with a string
// body sends text/plain;charset=UTF-8 and nothing else avoids a preflight.
const ACCEPTED_TYPES = ['application/json', 'text/plain'];
/** eSputnik's answer to a request identical to one it already took (its status is not documented; not a 2xx). */
const DUPLICATED_STATUS = 400;
/** The API key the stand-in Generate event demands unless told another; a relay under test is given it. */
export const DEFAULT_ESPUTNIK_API_KEY = 'test-esputnik-key';

/**
 * @param {{port?: number, log?: boolean, esputnikApiKey?: string}} [options] port 0 (default) picks a
 *   free one; log prints one line per arriving request; esputnikApiKey is the Basic-auth password the
 *   Generate event route demands (default DEFAULT_ESPUTNIK_API_KEY)
 * @returns {Promise<Collector>}
 */
export async function startCollector({ port = 0, log = false, esputnikApiKey = DEFAULT_ESPUTNIK_API_KEY } = {}) {
  const collector = new Collector(log, { esputnikApiKey });
  await collector.start(port);
  return collector;
}

export class Collector {
  #recorder = new Recorder();
  #esputnik = new EsputnikState();
  #log;
  /** @type {RouteOptions} */
  #routeOptions;
  #port = 0;
  #failNext = 0;
  #failStatus = 503;
  #hang = 0;
  #delayMs = 0;
  #resetNext = 0;
  /** @type {((record: CollectorRecord) => Fault) | null} */
  #flap = null;
  #server = createServer((req, res) => {
    this.#handle(req, res).catch((error) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { errors: [String(error)] });
    });
  });

  /**
   * @param {boolean} log
   * @param {RouteOptions} [routeOptions] what routes' `authorize` hooks are given
   */
  constructor(log, routeOptions = { esputnikApiKey: DEFAULT_ESPUTNIK_API_KEY }) {
    this.#log = log;
    this.#routeOptions = routeOptions;
  }

  /** Origin, e.g. `http://127.0.0.1:41234`. */
  get url() {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** @returns {CollectorRecord[]} requests answered 2xx */
  get records() {
    return this.#recorder.records;
  }

  /** @returns {CollectorRecord[]} every request, refused ones included */
  get all() {
    return this.#recorder.all;
  }

  /** @returns {CollectorRecord[]} bodies that broke the schema */
  get invalid() {
    return this.#recorder.invalid;
  }

  /** @returns {number} CORS preflights to service routes */
  get preflights() {
    return this.#recorder.preflights;
  }

  /**
   * What the stand-in eSputnik keeps: its contacts, its orders with their status history, the events it recorded
   * or ignored (esputnik-state.mjs).
   * @returns {EsputnikState}
   */
  get esputnik() {
    return this.#esputnik;
  }

  /** Forgets records, preflights, pending faults (the delay included) and eSputnik's contacts and orders. */
  reset() {
    this.#recorder.reset();
    this.#esputnik.reset();
    this.#failNext = 0;
    this.#hang = 0;
    this.#delayMs = 0;
    this.#resetNext = 0;
    this.#flap = null;
  }

  /**
   * @param {((record: CollectorRecord) => boolean) | number} what
   * @param {WaitOptions} [options]
   */
  waitFor(what, options) {
    return this.#recorder.waitFor(what, options);
  }

  /**
   * @param {(record: CollectorRecord) => void} listener  called with every request recorded from now on
   * @returns {() => void} stops the calls
   */
  onRecord(listener) {
    return this.#recorder.onRecord(listener);
  }

  /**
   * Answers the next n service POSTs with `status` (recorded, as refused).
   * @param {number} n
   * @param {number} [status]
   */
  failNext(n, status = 503) {
    this.#failNext = n;
    this.#failStatus = status;
  }

  /**
   * Leaves the next n service POSTs unanswered until their socket is
   * destroyed (by the client's timeout, stop() or close()).
   * @param {number} n
   */
  hang(n) {
    this.#hang = n;
  }

  /**
   * Answers every service POST `ms` later than it would (0: at once, the default), as a slow service does.
   * The request is recorded when it arrives; a client that gives up meanwhile gets nothing.
   * @param {number} ms
   */
  delay(ms) {
    this.#delayMs = ms;
  }

  /**
   * Destroys the connection of the next n service POSTs once their body has
   * arrived, without an answer: the client sees a network error (recorded
   * with status null and the error 'simulated reset').
   * @param {number} n
   */
  resetNext(n) {
    this.#resetNext = n;
  }

  /**
   * Decides the fault of every service POST that no counted fault (hang,
   * resetNext, failNext) claims, e.g. at random; null stops flapping.
   * @param {((record: CollectorRecord) => Fault) | null} decide
   */
  flap(decide) {
    this.#flap = decide;
  }

  /**
   * Listens again, on the port it had before a stop() (or on `port` the first
   * time), so a page keeps posting to the same URL across the outage.
   * @param {number} [port]
   */
  async start(port = this.#port) {
    this.#port = await listen(this.#server, port);
  }

  /** Closes the port and every open socket: requests now fail to connect. */
  stop() {
    return shutdown(this.#server);
  }

  close() {
    return this.stop();
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async #handle(req, res) {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path === '/_records' || path === '/_control') return this.#control(req, res, path);
    const route = routes.get(path);
    if (req.method === 'OPTIONS' && route) {
      this.#recorder.countPreflight();
      res.writeHead(204, preflightHeaders(req)).end();
      return;
    }
    /** @type {CollectorRecord} */
    const record = {
      service: route?.service ?? null, path, kind: null, body: undefined, raw: null,
      contentType: req.headers['content-type'] ?? null, accept: req.headers.accept ?? null,
      cacheControl: req.headers['cache-control'] ?? null, valid: false, errors: [], status: null, at: Date.now(),
      outcome: null, note: null,
    };
    record.status = await judge(req, route, record, this.#routeOptions);
    const simulated = route && req.method === 'POST' ? this.#takeFault(record) : null;
    if (simulated === 'hang' || simulated === 'reset') record.status = null;
    else if (simulated !== null) record.status = simulated;
    if (simulated === 'reset') record.errors = ['simulated reset'];
    // A service that keeps state files what it took, unless a fault stood in for its answer.
    let payload = null;
    if (simulated === null && record.status === 200 && route?.take) {
      if (this.#esputnik.isDuplicate(path, /** @type {string} */ (record.raw))) {
        record.status = DUPLICATED_STATUS;
        record.outcome = 'duplicate';
        payload = { errorMessage: 'Duplicated request' };
      } else {
        const verdict = route.take(record.body, this.#esputnik);
        record.outcome = verdict.outcome;
        record.note = verdict.note;
      }
    }

    this.#recorder.add(record);
    if (this.#log) console.log(`[collector] ${describeRecord(record)}`);
    if (simulated === 'reset') req.socket.destroy();
    if (record.status === null) return;
    if (route && req.method === 'POST' && this.#delayMs > 0) {
      // Unref'd: a delayed answer does not keep a finished test process alive.
      await new Promise((resolve) => setTimeout(resolve, this.#delayMs).unref());
    }
    payload ??= record.status === 200 ? { status: 'ok' }
      : { errors: simulated === null ? record.errors : [`simulated ${record.status}`] };
    sendJson(res, record.status, payload, corsHeaders(req));
  }

  /**
   * @param {CollectorRecord} record the POST, judged
   * @returns {Fault} the fault to play on this POST, if any
   */
  #takeFault(record) {
    if (this.#hang > 0) {
      this.#hang -= 1;
      return 'hang';
    }
    if (this.#resetNext > 0) {
      this.#resetNext -= 1;
      return 'reset';
    }
    if (this.#failNext > 0) {
      this.#failNext -= 1;
      return this.#failStatus;
    }
    return this.#flap ? this.#flap(record) : null;
  }

  /**
   * The inspection/control API, for pages and other processes that cannot
   * hold this object. Not recorded and not counted as service traffic.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path
   */
  async #control(req, res, path) {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(req)).end();
    } else if (path === '/_records' && req.method === 'GET') {
      sendJson(res, 200, this.all, corsHeaders(req));
    } else if (path === '/_control' && req.method === 'POST') {
      const errors = this.#applyControl(parseJson(await readBody(req, BODY_LIMIT)));
      sendJson(res, errors.length ? 400 : 200, errors.length ? { errors } : { status: 'ok' }, corsHeaders(req));
    } else {
      sendJson(res, 405, { errors: [`${req.method} not allowed on ${path}`] }, corsHeaders(req));
    }
  }

  /**
   * @param {unknown} command {reset?, failNext?, status?, hang?, resetNext?}
   * @returns {string[]} errors; nothing is applied when there are any
   */
  #applyControl(command) {
    if (typeof command !== 'object' || command === null) return ['expected a JSON object'];
    const { reset, failNext, status = 503, hang, resetNext } = /** @type {Record<string, unknown>} */ (command);
    const errors = [];
    if (failNext !== undefined && !isCount(failNext)) errors.push('failNext: expected integer >= 0');
    if (hang !== undefined && !isCount(hang)) errors.push('hang: expected integer >= 0');
    if (resetNext !== undefined && !isCount(resetNext)) errors.push('resetNext: expected integer >= 0');
    if (!(Number.isInteger(status) && Number(status) >= 200 && Number(status) <= 599)) {
      errors.push('status: expected integer 200..599');
    }
    if (errors.length) return errors;
    if (reset) this.reset();
    if (failNext !== undefined) this.failNext(Number(failNext), Number(status));
    if (hang !== undefined) this.hang(Number(hang));
    if (resetNext !== undefined) this.resetNext(Number(resetNext));
    return [];
  }
}

/**
 * Decides the natural answer to a request and fills `record` with what it
 * learned on the way; faults are applied afterwards by the caller.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./routes/index.mjs').Route | undefined} route
 * @param {CollectorRecord} record
 * @param {RouteOptions} options
 * @returns {Promise<number>}
 */
async function judge(req, route, record, options) {
  if (!route) return refuse(record, 404, `no service at ${record.path}`);
  if (req.method !== 'POST') return refuse(record, 405, `${req.method} not allowed`);
  const limit = route.limit ?? BODY_LIMIT;
  // Read (or drain) the body even when the request will be refused, so the
  // client gets the answer rather than a reset connection mid-upload.
  record.raw = await readBody(req, limit);
  const denied = route.authorize?.(req, options) ?? null;
  if (denied !== null) return refuse(record, 401, denied);
  if (record.raw === null) return refuse(record, 413, `body over ${limit} bytes`);
  if (!ACCEPTED_TYPES.includes(mediaType(record.contentType ?? undefined))) {
    return refuse(record, 415, `content type ${record.contentType} not accepted`);
  }
  const body = parseJson(record.raw);
  if (body === undefined) return refuse(record, 400, 'body is not JSON');
  record.body = body;
  record.kind = route.classify(body);
  record.errors = route.validate(body);
  record.valid = record.errors.length === 0;
  return record.valid ? 200 : 400;
}

/**
 * @param {CollectorRecord} record
 * @param {number} status
 * @param {string} reason
 */
function refuse(record, status, reason) {
  record.errors = [reason];
  return status;
}

/** @param {string | null} raw @returns {unknown} undefined when not JSON */
function parseJson(raw) {
  try {
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** @param {unknown} v */
function isCount(v) {
  return Number.isInteger(v) && Number(v) >= 0;
}
