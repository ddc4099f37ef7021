import type { Store } from './storage';

/** Purchases and refunds go out once per (account, method, transaction id) per browser (SPEC §3). */
export type Ledger = (account: string, method: string, id: string) => boolean;

/** The last 500 transactions: far more than one shopper's thank-you pages. */
const KEPT = 500;

/** True the first time a transaction is seen; records it, so a reloaded thank-you page sends nothing. */
export const createLedger =
  (store: Store): Ledger =>
  (...transaction) => {
    const key = transaction.join(' ');
    const sent = store.get<string[]>('sent') || [];
    if (sent.indexOf(key) >= 0) return false;
    store.set('sent', [key].concat(sent.slice(0, KEPT - 1)));
    return true;
  };
