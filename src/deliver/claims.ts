import type { Store } from './storage';

/**
 * Which page acts on a stored record (a letter, a waiting event) when tabs share one localStorage. A page
 * acts only on records it owns: those it stored, and those it adopted from a page that left (it says so at
 * `pagehide`) or fell silent. Adopting writes the new owner and waits a moment before acting: another tab's
 * copy of localStorage lags behind this one's writes, and two pages adopting at once both read the last
 * owner written once the moment has passed, so one record is never acted on by two pages.
 * No Web Locks are held for the page's life: the web-platform tests expect a held lock to keep a page out of
 * the back/forward cache, and a tag must not cost a store that.
 */
export interface Owned {
  from: string;
  /** When `from` adopted it. */
  adopted?: number;
}

export interface Claims {
  /** This page's id, the `from` of what it stores. */
  id: string;
  /**
   * Says this page lives and owns records: before it stores or adopts one (writes reach other tabs in order, so
   * a tab that sees the record sees its owner live), and whenever it acts on one.
   */
  beat(): void;
  /**
   * Whether this page may act on the record at `now`; with `adopt`, takes over records of pages gone. One scan
   * passes one `now`, so a deadline passing mid-scan never lets a later record overtake an earlier one.
   */
  mine(key: string, record: Owned, adopt: boolean, now: number): boolean;
  /** How long until this page may act on the record: it settles after adoption, or its owner may fall silent. */
  delay(record: Owned): number;
  /**
   * `gone`: at `pagehide`, after what could be handed over is, this page's records are for others to adopt, and
   * it beats no more. Else the page is back from the back/forward cache and beats again.
   */
  leave(gone: boolean): void;
}

/** Longer than any storage write takes to reach the other tabs. */
const SETTLE_MS = 1000;
/** Heartbeats are written at most this often. */
const BEAT_MS = 10000;
/**
 * A page with records acts on them at least every minute (the outbox's longest backoff), so two minutes
 * without a heartbeat means it is gone, or waiting for nothing a later page could not do better.
 */
const SILENT_MS = 120000;

export const createClaims = (store: Store, pageId: string): Claims => {
  let beaten = 0;

  const beat = () => {
    if (Date.now() - beaten > BEAT_MS) store.set('h:' + pageId, (beaten = Date.now()));
  };

  const mine = (key: string, record: Owned, adopt: boolean, now: number) => {
    if (record.from === pageId) {
      beat();
      return !record.adopted || now - record.adopted >= SETTLE_MS;
    }
    // Read from storage itself: whether a page lives is the one thing never to judge by what this page last heard.
    const heartbeat = store.get<number>('h:' + record.from, true);
    if (adopt && !(heartbeat! > now - SILENT_MS)) {
      store.remove('h:' + record.from);
      beat();
      store.set(key, Object.assign(record, { from: pageId, adopted: now }));
    }
    return false;
  };

  const delay = (record: Owned) =>
    (record.from === pageId ? (record.adopted || 0) + SETTLE_MS : (store.get<number>('h:' + record.from, true) || 0) + SILENT_MS) - Date.now();

  const leave = (gone: boolean) => {
    if (gone) store.remove('h:' + pageId);
    beaten = gone ? Infinity : 0;
  };

  return { id: pageId, beat, mine, delay, leave };
};
