import type { EcomEvent } from '../call/event';
import type { Claims } from '../deliver/claims';
import { createQueue, type Queued } from '../deliver/queue';
import type { Store } from '../deliver/storage';

/**
 * Events that cannot be sent yet (no Calltouch session, no eSputnik contact) wait here, persisted, so a
 * later page can still send them. Bounded: the oldest cart events go first, purchases and refunds never.
 */
export interface Parked<T> extends Queued {
  account: string;
  event: T;
}

export interface Parking<T> {
  park(account: string, event: T): void;
  has(account?: string): boolean;
  /**
   * Offers the waiting items this page owns, oldest first (an account's none while one it adopted is still
   * settling); those `settle` returns true for are done. Unloading, adopts nothing.
   */
  review(settle: (item: Parked<T>) => boolean, unloading?: boolean): void;
}

const CAPACITY = 50;
const MAX_AGE_MS = 864e5;

export const isTransaction = (event: EcomEvent): event is EcomEvent & { type: 'purchase' | 'refund'; id: string } =>
  event.type === 'purchase' || event.type === 'refund';

/** `precious`: what is never evicted to make room (purchases, refunds, orders). */
export const createParking = <T>(store: Store, claims: Claims, service: string, precious: (event: T) => boolean, note: (message: string) => void): Parking<T> => {
  const queue = createQueue<Parked<T>>(store, `w:${service}:`, claims.id, CAPACITY, MAX_AGE_MS, (item) => precious(item.event), note);

  const park = (account: string, event: T) => {
    claims.beat();
    if (queue.push({ account, event })) note('waiting for ' + service);
  };

  const has = (account?: string) => queue.list().some(([, item]) => !account || item.account === account);

  const review = (settle: (item: Parked<T>) => boolean, unloading?: boolean) => {
    const now = Date.now();
    // Adopted records are this page's oldest: until they have settled, the account's later ones wait behind them.
    const settling: Record<string, boolean> = {};
    for (const [key, item] of queue.list()) {
      // Asked of every record, whatever it waits for: asking is what adopts the records of a page gone.
      const ours = claims.mine(key, item, !unloading, now);
      if (item.from !== claims.id) continue;
      if (!ours || settling[item.account]) settling[item.account] = true;
      else if (settle(item)) store.remove(key);
    }
  };

  return { park, has, review };
};
