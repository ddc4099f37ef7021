/**
 * A missing order as seed 000's offline purchase: the tag's own mapper builds it, so the repair sends exactly
 * what the tag sends for a purchase whose visitor session never appeared.
 */
import { calltouchOfflineEvent } from '../../calltouch/map';
import { fromCents } from '../money';
import type { StoreOrder } from '../orders/read';
import type { OfflinePurchase } from '../types';

export const offlinePurchase = (order: StoreOrder, siteId: number): OfflinePurchase =>
  calltouchOfflineEvent(
    {
      type: 'purchase',
      id: order.id,
      products: order.lines.map((line) => ({ id: line.id, ...(line.name ? { name: line.name } : {}), price: fromCents(line.priceCents), quantity: line.quantity })),
    },
    siteId,
  );
