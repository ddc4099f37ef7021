/**
 * What an order change is to eSputnik (seed 001): one Generate event, for the order's contact. Only DELIVERED orders
 * count in its revenue and RFM reports, and it has no refund status, so:
 *
 * | change | event |
 * |---|---|
 * | in_progress | orderUpdated, status IN_PROGRESS (with the whole order when products are given) |
 * | delivered | orderDelivered; with products, orderUpdated status DELIVERED with the whole order, which also creates an order eSputnik lacks (a phone order) |
 * | cancelled, refunded in full | orderCancelled |
 * | refunded in part | orderUpdated with the lines kept and their total; without products, nothing |
 * | updated | orderUpdated with the order's lines (its status unchanged) |
 *
 * "The whole order" is what orderCreated requires, so that orderUpdated can create the order: externalOrderId,
 * totalCost, status, date (when given), and `items` when every line has what seed 001 requires of an item (the same
 * check as the browser's orders, items.ts); a unit costs its price less its discount, to the cent, and totalCost
 * sums the lines in whole cents, as the tag does.
 */
import type { Product } from '../../call/event';
import type { EsputnikGeneratedEvent } from '../../wire';
import { paidCents } from '../../esputnik/price';
import { CONTACT_PARAM, type Subject } from '../events/contact';
import { orderItems } from '../events/items';
import type { OrderChange } from './orders';

export type EsputnikPlan = { event: EsputnikGeneratedEvent; notes: string[] } | { skipped: string } | { refused: string };

const NO_CONTACT =
  "eSputnik files an order under its contact, and this order names none it can match: give contact.email, contact.phone or contact.externalCustomerId";

/** The order as orderCreated would carry it, less its status: totalCost, date, items (when complete). */
const wholeOrder = (change: OrderChange, products: Product[], notes: string[]): Record<string, string> => {
  const totalCost = '' + products.reduce((sum, line) => sum + paidCents(line) * line.quantity!, 0) / 100;
  const items = JSON.stringify(
    products.map((line) => ({ externalItemId: line.id, name: line.name, quantity: line.quantity, cost: paidCents(line) / 100, url: line.url, imageUrl: line.imageUrl })),
  );
  const kept = orderItems(items, totalCost, null);
  if ('dropped' in kept) notes.push(`eSputnik's order goes without items: ${kept.dropped}`);
  return { totalCost, ...(change.date === undefined ? {} : { date: change.date }), ...('items' in kept ? { items: kept.items } : {}) };
};

/** The event's type and its own params, or why there is none. */
const eventOf = (change: OrderChange, notes: string[]): { type: string; params: Record<string, string> } | { skipped: string } => {
  const { status, products } = change;
  const order = (eSputnikStatus?: string) => ({
    ...(eSputnikStatus === undefined ? {} : { status: eSputnikStatus }),
    ...(products ? wholeOrder(change, products, notes) : {}),
  });
  if (status === 'cancelled' || (status === 'refunded' && change.returned.length === 0)) return { type: 'orderCancelled', params: {} };
  if (status === 'refunded') {
    if (!products) return { skipped: "a partial refund without the order's products leaves eSputnik's order as it was (give products: the lines the shopper keeps)" };
    return { type: 'orderUpdated', params: order() };
  }
  if (status === 'delivered') return products ? { type: 'orderUpdated', params: order('DELIVERED') } : { type: 'orderDelivered', params: {} };
  if (status === 'in_progress') return { type: 'orderUpdated', params: order('IN_PROGRESS') };
  return { type: 'orderUpdated', params: order() };
};

/**
 * The event for `change`, named for `subject`: its one contact param leads, and is keyValue (as the tag writes it),
 * then externalOrderId and the order's own params.
 */
export const esputnikPlan = (change: OrderChange, subject: Subject | null): EsputnikPlan => {
  const notes: string[] = [];
  const planned = eventOf(change, notes);
  if ('skipped' in planned) return planned;
  if (!subject) return { refused: NO_CONTACT };
  const params = { [CONTACT_PARAM[subject.kind]]: subject.value, externalOrderId: change.id, ...planned.params };
  return {
    event: { eventTypeKey: planned.type, keyValue: subject.value, params: Object.entries(params).map(([name, value]) => ({ name, value })) },
    notes,
  };
};
