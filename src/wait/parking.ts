import type { EcomEvent } from '../call/event';
import { withLock } from '../deliver/lock';
import { createQueue } from '../deliver/queue';
import type { Store } from '../deliver/storage';

/**
 * Events that cannot be mapped yet (no Calltouch session, no eSputnik contact) wait here, persisted, so a
 * later page can still send them. Bounded: the oldest cart events go first, purchases and refunds never.
 */
export interface Parked {
  account: string;
  event: EcomEvent;
  at: number;
}

export interface Parking {
  park(account: string, event: EcomEvent): void;
  has(account?: string): boolean;
  /** Offers every waiting item, oldest first; those `settle` returns true for are done. Locked unless unloading. */
  review(settle: (item: Parked) => boolean, unlocked?: boolean): void;
}

const CAPACITY = 50;
const MAX_AGE_MS = 864e5;

export const isTransaction = (event: EcomEvent): event is EcomEvent & { type: 'purchase' | 'refund'; id: string } =>
  event.type === 'purchase' || event.type === 'refund';

export const createParking = (win: Window, store: Store, service: string, lockName: string, note: (message: string) => void): Parking => {
  const queue = createQueue<Parked>(store, `w:${service}:`, CAPACITY, MAX_AGE_MS, (item) => isTransaction(item.event), note);

  const park = (account: string, event: EcomEvent) =>
    queue.push({ account, event, at: Date.now() }) && note(`waiting for ${service}: ${event.type}`);

  const has = (account?: string) => queue.list().some(([, item]) => !account || item.account === account);

  const review = (settle: (item: Parked) => boolean, unlocked?: boolean) => {
    const task = () => {
      for (const [key, item] of queue.list()) if (settle(item)) store.remove(key);
    };
    if (unlocked) task();
    else withLock(win, lockName, task);
  };

  return { park, has, review };
};
