import { withLock } from './lock';
import { createQueue } from './queue';
import type { Store } from './storage';
import type { Transport } from './transport';

/**
 * The persisted outbox (SPEC §7). Every body is stored before anything is sent and removed only once a
 * collector took it, so a reload, a navigation or an outage never loses it:
 * - a tab claims one letter at a time under a Web Lock and leases it, so two tabs never send the same letter
 *   and every collector gets its letters in call order;
 * - a failure backs that collector off (persisted, so later pages wait too); others go on;
 * - when the page goes, the letter in flight is left to its keepalive request, the rest leave by beacon,
 *   unless their collector is failing: a beacon's fate is unknowable, so those wait for a later page.
 */
export interface Letter {
  url: string;
  body: string;
  /** Purchases and refunds: never evicted to make room. */
  keep: boolean;
  at: number;
  /** While a page sends it: that page's id and until when. */
  owner?: string;
  lease?: number;
}

/** A failing collector: no letter goes there before `until`. */
interface Backoff {
  tries: number;
  until: number;
}

export interface Outbox {
  add(url: string, body: string, keep: boolean): void;
  /** Resolves once every letter that is due has been answered or scheduled for a retry. */
  flush(): Promise<void>;
  /** The page is hidden or unloading: hand what is not in flight to `sendBeacon`. */
  hide(unloading: boolean): void;
}

const CAPACITY = 100;
const MAX_AGE_MS = 7 * 864e5;
/** Longer than the transport's timeout, so a lease outlives the request sent under it. */
const LEASE_MS = 15000;

/** Exponential, capped at a minute, with jitter so that many shoppers' retries do not arrive together. */
export const backoffDelay = (tries: number, random: number): number => Math.min(60000, 1000 * 2 ** tries) * (0.5 + random / 2);

export const createOutbox = (win: Window, store: Store, transport: Transport, lockName: string, pageId: string, note: (message: string) => void): Outbox => {
  const queue = createQueue<Letter>(store, 'o:', CAPACITY, MAX_AGE_MS, (letter) => letter.keep, note);
  let round: Promise<void> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const backoffOf = (url: string) => store.get<Backoff>('b:' + url);
  /** Until when a letter must wait: its collector's backoff, or another send's lease. */
  const waitsUntil = (letter: Letter) => {
    const backoff = backoffOf(letter.url);
    return Math.max(backoff ? backoff.until : 0, letter.lease || 0);
  };

  /**
   * The oldest letter that may go now, leased to this page under the lock. Only the oldest letter of each
   * collector may go: behind one that waits, or that another tab is sending, the rest of its line waits too.
   */
  const claim = () =>
    new Promise<[string, Letter] | undefined>((resolve) =>
      withLock(win, lockName, () => {
        let next: [string, Letter] | undefined;
        const behind: Record<string, boolean> = {};
        try {
          next = queue.list().find(([, letter]) => {
            const free = !behind[letter.url] && waitsUntil(letter) <= Date.now();
            behind[letter.url] = true;
            return free;
          });
          if (next) store.set(next[0], Object.assign(next[1], { owner: pageId, lease: Date.now() + LEASE_MS }));
        } finally {
          resolve(next);
        }
      }),
    );

  const deliver = async () => {
    for (let next = await claim(); next; next = await claim()) {
      const [key, letter] = next;
      const outcome = await transport.post(letter.url, letter.body);
      note(`${outcome}: ${letter.body}`);
      if (outcome === 'retry') {
        const backoff = backoffOf(letter.url) || { tries: 0, until: 0 };
        store.set('b:' + letter.url, { tries: backoff.tries + 1, until: Date.now() + backoffDelay(backoff.tries, Math.random()) });
        // Unless `hide` took it meanwhile, it waits for the collector to come back.
        if (store.get(key)) store.set(key, Object.assign(letter, { lease: 0 }));
      } else {
        store.remove('b:' + letter.url);
        store.remove(key);
      }
    }
  };

  /** Wakes up when the first backoff or foreign lease ends. */
  const schedule = () => {
    clearTimeout(timer);
    const waits = queue.list().map(([, letter]) => waitsUntil(letter) - Date.now());
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
    if (queue.push({ url, body, keep, at: Date.now() })) flush();
  };

  const hide = (unloading: boolean) => {
    for (const [key, letter] of queue.list()) {
      const leased = (letter.lease || 0) > Date.now();
      if (backoffOf(letter.url) || (leased && letter.owner !== pageId)) continue;
      if (leased) {
        // In flight from this page: its keepalive request outlives the page.
        if (unloading) store.remove(key);
      } else if (transport.beacon(letter.url, letter.body)) {
        note('beacon: ' + letter.body);
        store.remove(key);
      }
    }
  };

  return { add, flush, hide };
};
