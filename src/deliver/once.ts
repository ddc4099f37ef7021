import { createQueue, type Queued } from './queue';
import type { Store } from './storage';

/** Purchases and refunds go out once per (account, method, transaction id) per browser (SPEC §3). */
export interface Ledger {
  /** True the first time a transaction is seen; records it, so a reloaded thank-you page sends nothing. */
  first(account: string, method: string, id: string): boolean;
}

interface Sent extends Queued {
  transaction: string;
}

/** The last 500 transactions of the last year: far more than one shopper's thank-you pages. */
export const createLedger = (store: Store, pageId: string, note: (message: string) => void): Ledger => {
  const sent = createQueue<Sent>(store, 's:', pageId, 500, 365 * 864e5, () => false, note);
  return {
    first: (account, method, id) => {
      const transaction = [account, method, id].join(' ');
      return !sent.list().some(([, item]) => item.transaction === transaction) && sent.push({ transaction });
    },
  };
};
