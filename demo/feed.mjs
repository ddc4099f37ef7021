// The inspector's list of requests: every request the stand-in collectors record and every request the relay
// logs, in arrival order, in one shape the page can render. Kept in the demo server so a page that opens (or
// reconnects) late still sees everything since the last clear.

/** @typedef {import('../test/support/recorder.mjs').CollectorRecord} CollectorRecord */
/** @typedef {import('../test/support/relay-process.mjs').LogLine} LogLine */

/**
 * @typedef {object} FeedEntry
 * @property {number} seq            1, 2, … since the demo started; never reused, also across clears
 * @property {'calltouch' | 'esputnik' | 'relay'} source  which stand-in received it, or the relay
 * @property {string} service        the route's service (`calltouch`, `esputnik-tracker`, `esputnik-event`),
 *   `relay`, or `unknown` for a path no route serves
 * @property {string} path
 * @property {number} at             ms since epoch
 * @property {number | null} status  null while the stand-in deliberately leaves it unanswered
 * @property {'valid' | 'invalid' | 'refused' | 'forwarded'} verdict  the body against the documented format;
 *   `refused`: turned away before its body was judged (wrong route, type, size, key); `forwarded`: the relay
 *   checked it and passed it on
 * @property {string[]} errors       schema errors, or why it was refused
 * @property {string | null} kind    the body's kind: Calltouch's `site`/`offline`, eSputnik's event name
 * @property {unknown} body          the parsed body; null when it did not parse (then see `raw`)
 * @property {string | null} raw     the body as received, when it did not parse
 * @property {string | null} contentType
 * @property {number | null} upstream  relay only: eSputnik's answer to the forward
 * @property {string | null} eventTypeKey  relay only
 */

/** @typedef {{type: 'entry', entry: FeedEntry} | {type: 'clear'}} FeedChange */

/** Enough for a long session of clicking; the oldest go first. */
const LIMIT = 2000;

export class Feed {
  /** @type {FeedEntry[]} */
  #entries = [];
  #seq = 0;
  /** @type {Set<(change: FeedChange) => void>} */
  #listeners = new Set();

  /** @returns {FeedEntry[]} oldest first */
  get entries() {
    return [...this.#entries];
  }

  /**
   * @param {'calltouch' | 'esputnik'} source
   * @param {CollectorRecord} record
   */
  addRecord(source, record) {
    const refused = record.body === undefined;
    this.#add({
      source,
      service: record.service ?? 'unknown',
      path: record.path,
      at: record.at,
      status: record.status,
      verdict: record.valid ? 'valid' : refused ? 'refused' : 'invalid',
      errors: record.errors,
      kind: record.kind,
      body: refused ? null : record.body,
      raw: refused ? record.raw : null,
      contentType: record.contentType,
      upstream: null,
      eventTypeKey: null,
    });
  }

  /**
   * A request the relay logged. Its preflights are left out, as the collectors' are: they carry no event.
   * @param {LogLine} line
   */
  addRelayLine(line) {
    if (line.msg !== 'request' || line.method === 'OPTIONS') return;
    const status = typeof line.status === 'number' ? line.status : null;
    this.#add({
      source: 'relay',
      service: 'relay',
      path: String(line.path ?? '/'),
      at: Date.parse(String(line.time)) || Date.now(),
      status,
      verdict: status !== null && status < 400 ? 'forwarded' : 'refused',
      errors: typeof line.reason === 'string' ? [line.reason] : [],
      kind: null,
      body: null,
      raw: null,
      contentType: null,
      upstream: typeof line.upstream === 'number' ? line.upstream : null,
      eventTypeKey: typeof line.eventTypeKey === 'string' ? line.eventTypeKey : null,
    });
  }

  clear() {
    this.#entries = [];
    this.#emit({ type: 'clear' });
  }

  /**
   * @param {(change: FeedChange) => void} listener
   * @returns {() => void} stops the calls
   */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @param {Omit<FeedEntry, 'seq'>} fields */
  #add(fields) {
    const entry = { seq: ++this.#seq, ...fields };
    this.#entries.push(entry);
    if (this.#entries.length > LIMIT) this.#entries.shift();
    this.#emit({ type: 'entry', entry });
  }

  /** @param {FeedChange} change */
  #emit(change) {
    for (const listener of [...this.#listeners]) listener(change);
  }
}
