import type { Owned } from './claims';
import type { Store } from './storage';

/**
 * A persisted, bounded, ordered list: one storage record per item, keyed by time and call order so every
 * tab reads items in the order they were added. The outbox and the parking are both one of these.
 */
export interface Queued extends Owned {
  at: number;
}

export interface Queue<T extends Queued> {
  /** Items oldest first, as [key, item]; expired ones are removed on the way. */
  list(): Array<[string, T]>;
  /** False (and not added) when the queue is full of items that must not be evicted and `item` is not one of them. */
  push(item: Omit<T, keyof Queued>): boolean;
}

let sequence = 0;

export const createQueue = <T extends Queued>(
  store: Store,
  prefix: string,
  pageId: string,
  capacity: number,
  maxAgeMs: number,
  precious: (item: Omit<T, keyof Queued>) => boolean,
  note: (message: string) => void,
): Queue<T> => {
  const list = () => {
    const found: Array<[string, T]> = [];
    for (const key of store.keys(prefix).sort()) {
      const item = store.get<T>(key);
      if (item && item.at > Date.now() - maxAgeMs) found.push([key, item]);
      else {
        store.remove(key);
        note('dropped (expired): ' + key);
      }
    }
    return found;
  };

  const push = (item: Omit<T, keyof Queued>) => {
    const all = list();
    if (all.length >= capacity) {
      const evictable = all.find(([, other]) => !precious(other));
      if (!evictable && !precious(item)) {
        note('dropped (full): ' + prefix);
        return false;
      }
      if (evictable) {
        store.remove(evictable[0]);
        note('dropped (full): ' + evictable[0]);
      }
    }
    // 13 digits of time, then 7 of call order, then the page: keys sort in call order and never collide. The
    // time is never before the newest key's, so that a clock set back does not put a new item first.
    const newest = all.length ? +all[all.length - 1][0].slice(prefix.length, prefix.length + 13) : 0;
    store.set(prefix + Math.max(Date.now(), newest) + (1e6 + sequence++) + pageId, Object.assign({ at: Date.now(), from: pageId }, item));
    return true;
  };

  return { list, push };
};
