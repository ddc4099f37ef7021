import type { Log } from '../log';
import type { Claims, Owned } from './claims';
import type { Store } from './storage';
import type { Transport } from './transport';

/**
 * The persisted outbox (SPEC §7). Every event is stored before anything is sent and removed only once a
 * collector took it, so a reload, a navigation or an outage never loses it:
 * - a letter may wait for what its body needs (a Calltouch session, an eSputnik contact): the outbox asks
 *   `resolve` whenever it looks, and letters that can go meanwhile go;
 * - a page sends the letters it owns (claims.ts), one at a time per collector, in call order, so two tabs never
 *   send the same letter and what a gone page left is sent by the page that adopts it; an adopted letter still
 *   settling holds back the later letters of its lane (collector and account);
 * - collectors go side by side: one that fails or hangs holds back only its own letters, and a failure backs it
 *   off (persisted, so later pages wait too);
 * - when the page goes, the letters in flight are left to their keepalive requests, the rest leave by beacon,
 *   unless their collector is failing: a beacon's fate is unknowable, so those wait for a later page.
 */
export interface Letter extends Owned {
  /** When it was added. */
  at: number;
  url: string;
  /** Purchases, refunds and orders: never evicted to make room. */
  keep?: boolean;
  /** The body; a letter without one waits until `resolve` gives one. */
  body?: string;
  /** Which wait applies to a letter without a body, for the `account` (key) and the `event` it maps. */
  wait?: 'session' | 'contact';
  account?: string;
  event?: unknown;
}

/**
 * A waiting letter's body as things stand at `now`; `false` drops it; a number says how long to wait before
 * asking again (Infinity: until the next flush). `unloading`: the last chance this page has to send it.
 */
export type Resolve = (letter: Letter, unloading: boolean, now: number) => string | number | false;

/** A failing collector: no letter goes there before `until`. */
interface Backoff {
  tries: number;
  until: number;
}

/** A letter as a stage hands it over; the outbox stamps the time and the page. */
export type NewLetter = Omit<Letter, 'at' | keyof Owned>;

export interface Outbox {
  /** Stores a letter, sent at the next `flush` (after the page went, at once by beacon). */
  add(letter: NewLetter): void;
  /** Sends what this page may send now; resolves once each has been answered or scheduled for a retry. */
  flush(): Promise<void>;
  /**
   * `gone`: the page is going (`pagehide`). The letter in flight is left to its keepalive request, the rest go by
   * `sendBeacon`, and so does every letter added after, at once. Else the page is back (`pageshow`).
   */
  unload(gone: boolean): void;
}

const CAPACITY = 100;
/** A session or a contact that comes more than a day after the event belongs to another visit. */
const MAX_WAIT_MS = 864e5;

const MAX_BACKOFF_MS = 60000;

/** Added in this page, in order: keys sort in call order across pages and never collide. */
let sequence = 0;

/** Exponential, capped at a minute, with jitter so that many shoppers' retries do not arrive together. */
export const backoffDelay = (tries: number, random: number): number => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** tries) * (0.5 + random / 2);

export const createOutbox = (store: Store, transport: Transport, claims: Claims, { note, error }: Log, resolve: Resolve): Outbox => {
  const drop = (key: string) => {
    store.remove(key);
    note('dropped: ' + key);
  };
  /** Per collector, the key of the letter whose request is in flight: one at a time each, in call order. */
  const inFlight: Record<string, string> = {};
  /** After `pagehide`: the page may still call the tag (another listener), but no request it starts will be read. */
  let gone = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** `flush`'s callers, told once nothing is in flight. */
  let waiting: Array<() => void> = [];

  /**
   * A collector's backoff; `tries` is 0 while it has not failed. An end further off than the longest backoff
   * was set before the clock went back: it is over, or the collector would wait for hours (the record in memory
   * says so from then on, which is what every later look here should see).
   */
  const backoffOf = (url: string) => {
    const backoff = store.get<Backoff>('b:' + url) || { tries: 0, until: 0 };
    if (backoff.until > Date.now() + MAX_BACKOFF_MS) backoff.until = 0;
    return backoff;
  };

  /**
   * Offers the letters this page may send now to `act`, oldest first, with their bodies, and returns how long
   * until the first of the others may go: its collector's backoff over, this page its owner, its body made
   * (`resolve`). One clock reading for the whole scan: a deadline passing mid-scan must not let a later letter
   * overtake an earlier one. Unloading, it adopts nothing and holds back only what goes to a failing collector.
   * A letter given up is dropped, and so is one whose body cannot be made (stored by another version, or garbled
   * by the page): it must not stop the rest.
   */
  const each = (unloading: boolean, act: (key: string, letter: Letter, body: string) => void) => {
    const now = Date.now();
    const held: Record<string, boolean> = {};
    let soonest = Infinity;
    for (const key of store.keys('o:').sort()) {
      const letter = store.get<Letter>(key);
      // Garbled beyond reading.
      if (!letter) {
        drop(key);
        continue;
      }
      // A collector's letters behind the one in flight are looked at once it is answered.
      if (!unloading && inFlight[letter.url]) continue;
      const lane = letter.url + ' ' + letter.account;
      const backoff = backoffOf(letter.url);
      let body: string | number | false = 0;
      if (!claims.mine(key, letter, !unloading, now)) held[lane] = held[lane] || letter.from == claims.id;
      else if (!held[lane] && !(unloading ? backoff.tries : backoff.until > now)) {
        try {
          body = letter.body || resolve(letter, unloading, now);
        } catch {
          body = false;
        }
        if (typeof body == 'string') act(key, letter, body);
        else if (body === false || letter.at < now - MAX_WAIT_MS) drop(key);
        if (typeof body != 'number') continue;
      }
      soonest = Math.min(soonest, Math.max(backoff.until - now, claims.delay(letter), body));
    }
    return soonest;
  };

  /**
   * Starts, for each collector with nothing in flight, its oldest letter this page may send now (collectors side
   * by side: one that hangs holds back only its own letters), and wakes up when the next may go; each answer
   * starts the next. Once nothing is in flight, `flush`'s callers hear so.
   */
  const pump = () => {
    if (!gone) {
      const soonest = each(false, send);
      clearTimeout(timer);
      if (soonest < Infinity) timer = setTimeout(pump, Math.max(50, soonest));
    }
    if (!Object.keys(inFlight)[0]) waiting.splice(0).map((done) => done());
  };

  const send = async (key: string, { url }: Letter, body: string) => {
    inFlight[url] = key;
    const outcome = await transport.post(url, body);
    // Handed over at unload: what this page still hears of the request no longer decides anything.
    if (inFlight[url] != key) return;
    delete inFlight[url];
    // A refusal (403) is dropped like any 4xx, but said: a store must see that its relay refuses its events.
    (outcome == 'refused' ? error : note)(`${outcome}: ${body}`);
    if (outcome == 'retry') {
      const backoff = backoffOf(url);
      store.set('b:' + url, { tries: backoff.tries + 1, until: Date.now() + backoffDelay(backoff.tries, Math.random()) });
    } else {
      store.remove('b:' + url);
      store.remove(key);
    }
    pump();
  };

  // After `pagehide` it starts nothing: no answer would be heard, and what is left waits for a later page.
  const flush = () =>
    new Promise<void>((done) => {
      waiting.push(done);
      pump();
    });

  /**
   * Stores the letter; when the outbox is full, the oldest letter that may go makes room, else a cart event is
   * not stored at all. Which may go is its `keep`, read from memory (an older version marked it with a '!' at the
   * key's end, which sorts the same).
   */
  const add = (letter: NewLetter) => {
    const keys = store.keys('o:').sort();
    if (keys.length >= CAPACITY) {
      const evictable = keys.find((key) => !Object(store.get(key)).keep);
      if (evictable) drop(evictable);
      else if (!letter.keep) return note('dropped: ' + letter.url);
    }
    // 13 digits of time, then 7 of call order, then the page. The time is never before the newest key's, so
    // that a clock set back does not put a new letter first.
    const at = Date.now();
    const time = Math.max(at, +(keys[keys.length - 1] || '').slice(2, 15));
    claims.beat();
    store.set('o:' + time + (1e6 + sequence++) + claims.id, Object.assign({ at, from: claims.id }, letter));
    // Sent at the next `flush`; added after the page went, at once by beacon.
    if (gone) unload(gone);
  };

  const unload = (going: boolean) => {
    gone = going;
    // The page stops here: a verdict still to come starts nothing more (nor writes its heartbeat again after `leave`).
    if (!gone) return pump();
    each(true, (key, { url }, body) => {
      if (key == inFlight[url] || transport.beacon(url, body)) {
        note('handed over', body);
        store.remove(key);
        if (key == inFlight[url]) delete inFlight[url];
      }
    });
  };

  return { add, flush, unload };
};
