/**
 * What Calltouch's deal journal answers (seed 004, `GET …/orders-diary/orders`), as far as reconciling reads it.
 * The offline purchase the repair sends is the tag's own wire type (src/wire.ts, CalltouchOfflineEvent).
 */

/** One page. page, pageTotal, pageSize and recordsTotal come with paging (`page` and `limit` in the query). */
export interface DealJournalPage {
  page?: number;
  pageTotal?: number;
  pageSize?: number;
  recordsTotal?: number;
  records: DealRecord[];
}

/** A deal, with the fields the reconcile reads; the seed's example carries many more (client, visit, tags, …). */
export interface DealRecord {
  /** The id the store (or the e-commerce module) gave the deal; Calltouch's own id when none was given. */
  orderNumber: string;
  /** `dd/mm/yyyy hh:mm:ss`, the date the range filters on. */
  orderDate: string;
  createdDate?: string;
  /** true once the deal was deleted in the old deal-journal interface. */
  isDeleted: boolean;
  plannedAmount: number | null;
  currencyCode?: string;
  products?: DealProduct[];
}

export interface DealProduct {
  name?: string;
  brand?: string;
  category?: string;
  variant?: string;
  /** Per unit. */
  price: number;
  quantity: number;
  revenue?: number;
  /** The store's product id. */
  externalId: string;
  margin?: number;
}
