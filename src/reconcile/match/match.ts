/**
 * The store's orders against the deals: an order matches a deal whose orderNumber is its id. Amounts are compared
 * in cents: the store's is Σ price × quantity of its lines; the deal's is the same over its products, or its
 * plannedAmount when it has none. A deal with products is also compared product by product (externalId against
 * the store's product id: units and amount).
 */
import type { Deal, DealLine } from '../deals/records';
import { fromCents } from '../money';
import type { StoreLine, StoreOrder } from '../orders/read';
import type { Mismatch, OrderSide, ReconcileReport } from '../types';
import type { DayRange } from '../deals/ranges';

export interface Matching {
  report: ReconcileReport;
  /** The missing orders themselves, in file order (the report holds their ids). */
  missing: StoreOrder[];
}

/** Units and cents of one product id across an order's lines (an order may list a product on two lines). */
interface Product {
  quantity: number | null;
  cents: number | null;
}

const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);

const byProduct = (lines: Array<{ id: string | null; quantity: number | null; cents: number | null }>): Map<string | null, Product> => {
  const products = new Map<string | null, Product>();
  for (const line of lines) {
    const sum = products.get(line.id) ?? { quantity: 0, cents: 0 };
    products.set(line.id, { quantity: add(sum.quantity, line.quantity), cents: add(sum.cents, line.cents) });
  }
  return products;
};

const storeProducts = (lines: StoreLine[]) => byProduct(lines.map((line) => ({ id: line.id, quantity: line.quantity, cents: line.priceCents * line.quantity })));
const dealProducts = (lines: DealLine[]) =>
  byProduct(lines.map((line) => ({ id: line.id, quantity: line.quantity, cents: line.priceCents === null || line.quantity === null ? null : line.priceCents * line.quantity })));

const storeAmount = (order: StoreOrder) => order.lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);

const agrees = (order: StoreOrder, deal: Deal): boolean => {
  if (deal.amountCents === null || deal.amountCents !== storeAmount(order)) return false;
  if (!deal.lines.length) return true;
  const ours = storeProducts(order.lines);
  const theirs = dealProducts(deal.lines);
  if (ours.size !== theirs.size) return false;
  for (const [id, product] of ours) {
    const other = theirs.get(id);
    if (!other || other.quantity !== product.quantity || other.cents !== product.cents) return false;
  }
  return true;
};

/** A side as the report shows it: the amount, and per product its units and unit price (mean, if lines differ). */
const side = (amountCents: number | null, products: Map<string | null, Product>): OrderSide => ({
  amount: amountCents === null ? null : fromCents(amountCents),
  products: [...products].map(([id, { quantity, cents }]) => ({
    id,
    quantity,
    price: quantity === null || cents === null ? null : quantity === 0 ? 0 : fromCents(Math.round(cents / quantity)),
  })),
});

const mismatch = (order: StoreOrder, deal: Deal): Mismatch => ({
  id: order.id,
  store: side(storeAmount(order), storeProducts(order.lines)),
  calltouch: side(deal.amountCents, dealProducts(deal.lines)),
});

const within = (day: number | null, period: DayRange) => day === null || (day >= period.from && day <= period.to);

/**
 * `orders` are the period's; `knownIds` every order id of the file, so a deal of an order the file holds for
 * another day is not "only in Calltouch". Deals outside the period (the margin days) count only for orders.
 */
export const matchOrders = (orders: StoreOrder[], knownIds: ReadonlySet<string>, deals: Deal[], period: DayRange, periodText: { from: string; to: string }): Matching => {
  const dealsOf = new Map<string, Deal[]>();
  for (const deal of deals) {
    const list = dealsOf.get(deal.orderNumber);
    if (list) list.push(deal);
    else dealsOf.set(deal.orderNumber, [deal]);
  }

  let matched = 0;
  const missing: StoreOrder[] = [];
  const mismatched: Mismatch[] = [];
  const deleted = new Set<string>();
  for (const order of orders) {
    const found = dealsOf.get(order.id) ?? [];
    const live = found.filter((deal) => !deal.deleted);
    if (live.some((deal) => agrees(order, deal))) matched += 1;
    else if (live.length) mismatched.push(mismatch(order, live[0]));
    // Deleted by someone in Calltouch: listed apart, never sent again.
    else if (found.length) deleted.add(order.id);
    else missing.push(order);
  }

  const onlyInCalltouch = new Set<string>();
  for (const deal of deals) {
    if (!within(deal.day, period) || knownIds.has(deal.orderNumber)) continue;
    if (deal.deleted) deleted.add(deal.orderNumber);
    else onlyInCalltouch.add(deal.orderNumber);
  }

  return {
    report: { period: periodText, matched, missing: missing.map((order) => order.id), mismatched, onlyInCalltouch: [...onlyInCalltouch], deleted: [...deleted] },
    missing,
  };
};
