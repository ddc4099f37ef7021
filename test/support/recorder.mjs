// What reached the collector, and a way to wait for it. Kept apart from the
// HTTP server so the bookkeeping reads on its own.

/**
 * @typedef {object} CollectorRecord
 * @property {string | null} service  route's service; null for an unknown path
 * @property {string} path
 * @property {string | null} kind     e.g. 'site' | 'offline'; null when unparsed
 * @property {unknown} body           parsed JSON; undefined when it did not parse
 * @property {string | null} raw      null when over the size limit
 * @property {string | null} contentType
 * @property {string | null} accept        the Accept header (seed 000's offline format asks for application/json)
 * @property {string | null} cacheControl  the Cache-Control header (seed 000: no-cache)
 * @property {boolean} valid          parsed and passed the route's schema
 * @property {string[]} errors        schema errors, or why the body was refused
 * @property {number | null} status   null while deliberately left hanging
 * @property {number} at              arrival, ms since epoch
 * @property {'recorded' | 'ignored' | 'duplicate' | null} outcome  what a service that keeps state (eSputnik) did
 *   with it; null for the others, and for what it refused or never answered
 * @property {string | null} note     why it was ignored, or what it recorded
 */

/** @typedef {'records' | 'all' | 'invalid'} Source */

/**
 * @typedef {object} WaitOptions
 * @property {number} [timeout]  ms, default 5000
 * @property {Source} [source]   which list to watch, default 'records'
 * @property {number} [count]    with a predicate: how many matches, default 1
 */

export class Recorder {
  /** @type {CollectorRecord[]} */
  #all = [];
  #preflights = 0;
  /** @type {Set<() => void>} */
  #waiters = new Set();
  /** @type {Set<(record: CollectorRecord) => void>} */
  #listeners = new Set();

  /** Every request, refused ones included. */
  get all() {
    return [...this.#all];
  }

  /** Requests answered 2xx: what the service would have kept. */
  get records() {
    return this.#all.filter((r) => r.status !== null && r.status >= 200 && r.status < 300);
  }

  /** Bodies that parsed but broke the schema, whatever the answer was. */
  get invalid() {
    return this.#all.filter((r) => r.body !== undefined && !r.valid);
  }

  get preflights() {
    return this.#preflights;
  }

  /** @param {CollectorRecord} record */
  add(record) {
    this.#all.push(record);
    this.#notify();
    for (const listener of [...this.#listeners]) listener(record);
  }

  /**
   * Calls `listener` with every record added from now on, as it arrives (the demo's inspector streams them).
   * @param {(record: CollectorRecord) => void} listener
   * @returns {() => void} stops the calls
   */
  onRecord(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  countPreflight() {
    this.#preflights += 1;
  }

  reset() {
    this.#all = [];
    this.#preflights = 0;
  }

  /**
   * Resolves with the matching records once `count` of them exist in `source`
   * (a number as first argument: once that many records exist). Rejects after
   * `timeout` with everything that did arrive, which is what one needs to
   * see when a delivery test fails.
   * @param {((record: CollectorRecord) => boolean) | number} what
   * @param {WaitOptions} [options]
   * @returns {Promise<CollectorRecord[]>}
   */
  waitFor(what, { timeout = 5000, source = 'records', count = 1 } = {}) {
    const predicate = typeof what === 'function' ? what : () => true;
    const needed = typeof what === 'number' ? what : count;
    return new Promise((resolve, reject) => {
      const check = () => {
        const matches = this[source].filter(predicate);
        if (matches.length < needed) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(matches);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`waitFor: ${needed} matching record(s) in '${source}' not seen after ${timeout} ms\n${this.summary()}`));
      }, timeout);
      this.#waiters.add(check);
      check();
    });
  }

  /** One line per request, for failure messages and logs. */
  summary() {
    const lines = this.#all.map((r) => `  ${describeRecord(r)}`);
    return [`collector saw ${this.#all.length} request(s), ${this.#preflights} preflight(s)`, ...lines].join('\n');
  }

  #notify() {
    for (const check of [...this.#waiters]) check();
  }
}

/**
 * `calltouch site purchase -> 200 valid`, `calltouch offline ? -> 400 invalid: id: missing …`,
 * `calltouch - ? -> 415 refused: content type … not accepted`
 * @param {CollectorRecord} r
 */
export function describeRecord(r) {
  const body = r.body;
  const eventType = typeof body === 'object' && body !== null && 'eventType' in body ? String(body.eventType) : '?';
  const verdict = r.valid ? 'valid' : `${r.body === undefined ? 'refused' : 'invalid'}: ${r.errors.join('; ')}`;
  const status = r.status ?? (r.errors.includes('simulated reset') ? 'reset' : 'hanging');
  return `${r.service ?? r.path} ${r.kind ?? '-'} ${eventType} -> ${status} ${verdict}`;
}
