import type { Transaction } from '../call/event';
import { json } from '../json';
import type { Store } from './storage';

/**
 * Purchases go out once per (account, transaction id) per browser, and refunds once per (account, transaction
 * id, lines) (SPEC §3): a store refunds in parts, so another set of lines, or the full refund after partial
 * ones, is news, while the same lines again are the page that sent them reloaded.
 */
export type Ledger = (account: string, transaction: Transaction) => boolean;

/** The last 500 transactions: far more than one shopper's thank-you pages. */
const KEPT = 500;

/**
 * True the first time a transaction is seen; records it, so a reloaded thank-you page sends nothing. A refund's
 * lines are its ids and units in any order (`[]` for a full refund). Refunds recorded before lines counted are
 * keyed without them, so none of them can hold back a refund now.
 */
export const createLedger =
  (store: Store): Ledger =>
  (account, { type, id, products }) => {
    const key = `${account} ${type} ${id}` + (type == 'refund' ? ' ' + json(products.map((product) => [product.id, product.quantity]).sort()) : '');
    const sent = store.get<string[]>('sent') || [];
    if (sent.indexOf(key) >= 0) return false;
    store.set('sent', [key].concat(sent.slice(0, KEPT - 1)));
    return true;
  };
