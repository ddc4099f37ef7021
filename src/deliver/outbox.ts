import type { Claims } from './claims';
import { createQueue, type Queued } from './queue';
import type { Store } from './storage';
import type { Transport } from './transport';

/**
 * The persisted outbox (SPEC §7). Every body is stored before anything is sent and removed only once a
 * collector took it, so a reload, a navigation or an outage never loses it:
 * - a page sends the letters it owns (claims.ts), one at a time, in call order, so two tabs never send the
 *   same letter and what a gone page left is sent by the page that adopts it;
 * - a failure backs that collector off (persisted, so later pages wait too); others go on;
 * - when the page goes, the letter in flight is left to its keepalive request, the rest leave by beacon,
 *   unless their collector is failing: a beacon's fate is unknowable, so those wait for a later page.
 */
export interface Letter extends Queued {
  url: string;
  body: string;
  /** Purchases and refunds: never evicted to make room. */
  keep: boolean;
}

/** A failing collector: no letter goes there before `until`. */
interface Backoff {
  tries: number;
  until: number;
}

export interface Outbox {
  add(url: string, body: string, keep: boolean): void;
  /** Resolves once every letter this page may send now has been answered or scheduled for a retry. */
  flush(): Promise<void>;
  /** The page is going: the letter in flight is left to its keepalive request, the rest go by `sendBeacon`. */
  unload(): void;
}

const CAPACITY = 100;
const MAX_AGE_MS = 7 * 864e5;

/** Exponential, capped at a minute, with jitter so that many shoppers' retries do not arrive together. */
export const backoffDelay = (tries: number, random: number): number => Math.min(60000, 1000 * 2 ** tries) * (0.5 + random / 2);

export const createOutbox = (store: Store, transport: Transport, claims: Claims, note: (message: string) => void): Outbox => {
  const queue = createQueue<Letter>(store, 'o:', claims.id, CAPACITY, MAX_AGE_MS, (letter) => letter.keep, note);
  let inFlight: string | undefined;
  let round: Promise<void> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** A collector's backoff; `tries` is 0 while it has not failed. */
  const backoffOf = (url: string) => store.get<Backoff>('b:' + url) || { tries: 0, until: 0 };

  /** The oldest letter this page may send now. */
  const next = () => {
    const now = Date.now();
    return queue.list().find(([key, letter]) => claims.mine(key, letter, true, now) && backoffOf(letter.url).until <= now);
  };

  const deliver = async () => {
    for (let found = next(); found; found = next()) {
      const [key, letter] = found;
      inFlight = key;
      const outcome = await transport.post(letter.url, letter.body);
      // Handed over at unload: what this page still hears of the request no longer decides anything.
      if (inFlight !== key) return;
      inFlight = undefined;
      note(`${outcome}: ${letter.body}`);
      if (outcome === 'retry') {
        const backoff = backoffOf(letter.url);
        store.set('b:' + letter.url, { tries: backoff.tries + 1, until: Date.now() + backoffDelay(backoff.tries, Math.random()) });
      } else {
        store.remove('b:' + letter.url);
        store.remove(key);
      }
    }
  };

  /** Wakes up when the first letter may go: its collector's backoff over, and this page its owner. */
  const schedule = () => {
    clearTimeout(timer);
    const waits = queue.list().map(([, letter]) => Math.max(backoffOf(letter.url).until - Date.now(), claims.wait(letter)));
    if (waits.length) timer = setTimeout(flush, Math.max(50, Math.min(...waits)));
  };

  /** Delivers until a pass finds nothing new; `round` ends in the same step as the last check, so no letter slips between. */
  const drain = async () => {
    while (again) {
      again = false;
      await deliver().catch(() => undefined);
    }
    round = undefined;
    schedule();
  };

  function flush(): Promise<void> {
    again = true;
    return round || (round = drain());
  }

  const add = (url: string, body: string, keep: boolean) => {
    claims.beat();
    // Sent a step later: added while the page unloads, it leaves by beacon in `unload` instead.
    if (queue.push({ url, body, keep })) Promise.resolve().then(flush);
  };

  const unload = () => {
    const now = Date.now();
    for (const [key, letter] of queue.list()) {
      if (!claims.mine(key, letter, false, now) || backoffOf(letter.url).tries) continue;
      if (key === inFlight || transport.beacon(letter.url, letter.body)) {
        note('handed over: ' + letter.body);
        store.remove(key);
        if (key === inFlight) inFlight = undefined;
      }
    }
  };

  return { add, flush, unload };
};
