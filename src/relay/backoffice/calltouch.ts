/**
 * What an order change is to Calltouch: its offline format (seed 000), built by the tag's own mapper, for the account
 * RELAY_CALLTOUCH_SITE_ID names. Calltouch hears of purchases and refunds only:
 *
 * - `refunded`: a refund, "partial return or refusal of the purchase" — the lines given back (id and quantity), or
 *   `products: []` for the whole order;
 * - `cancelled`: a full refund too, seed 000's "full return or refusal of the purchase": the purchase the tag sent
 *   must not stay in Calltouch's revenue;
 * - the purchase of an order that never passed a page with the tag (`origin: "offline"`: a phone, marketplace or CRM
 *   order), with its lines, at any other status: the relay cannot know whether the tag's purchase reached Calltouch,
 *   so the store says where the order came from rather than the relay guessing and counting some orders twice.
 */
import type { Transaction } from '../../call/event';
import { calltouchOfflineEvent } from '../../calltouch/map';
import type { CalltouchOfflineEvent } from '../../wire';
import type { OrderChange } from './orders';

export type CalltouchPlan = { body: CalltouchOfflineEvent } | { skipped: string };

export const calltouchPlan = (change: OrderChange, siteId: number): CalltouchPlan => {
  let transaction: Transaction;
  if (change.status === 'cancelled') transaction = { type: 'refund', id: change.id, products: [] };
  else if (change.status === 'refunded') transaction = { type: 'refund', id: change.id, products: change.returned };
  else if (change.origin === 'offline') transaction = { type: 'purchase', id: change.id, products: change.products! };
  else return { skipped: "Calltouch takes purchases and refunds, and this order's purchase came from the tag (origin site)" };
  return { body: calltouchOfflineEvent(transaction, siteId) };
};
