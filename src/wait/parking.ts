import type { EcomEvent } from '../call/event';
import type { Claims } from '../deliver/claims';
import { createQueue, type Queued } from '../deliver/queue';
import type { Store } from '../deliver/storage';

/**
 * Events that cannot be mapped yet (no Calltouch session, no eSputnik contact) wait here, persisted, so a
 * later page can still send them. Bounded: the oldest cart events go first, purchases and refunds never.
 */
export interface Parked extends Queued {
  account: string;
  event: EcomEvent;
}

export interface Parking {
  park(account: string, event: EcomEvent): void;
  has(account?: string): boolean;
  /** Offers every waiting item this page owns, oldest first; those `settle` returns true for are done. Unloading, adopts nothing. */
  review(settle: (item: Parked) => boolean, unloading?: boolean): void;
}

const CAPACITY = 50;
const MAX_AGE_MS = 864e5;

export const isTransaction = (event: EcomEvent): event is EcomEvent & { type: 'purchase' | 'refund'; id: string } =>
  event.type === 'purchase' || event.type === 'refund';

export const createParking = (store: Store, claims: Claims, service: string, note: (message: string) => void): Parking => {
  const queue = createQueue<Parked>(store, `w:${service}:`, claims.id, CAPACITY, MAX_AGE_MS, (item) => isTransaction(item.event), note);

  const park = (account: string, event: EcomEvent) => {
    claims.beat();
    if (queue.push({ account, event })) note(`waiting for ${service}: ${event.type}`);
  };

  const has = (account?: string) => queue.list().some(([, item]) => !account || item.account === account);

  const review = (settle: (item: Parked) => boolean, unloading?: boolean) => {
    const now = Date.now();
    for (const [key, item] of queue.list()) if (claims.mine(key, item, !unloading, now) && settle(item)) store.remove(key);
  };

  return { park, has, review };
};
