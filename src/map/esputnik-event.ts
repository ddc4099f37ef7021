import { boughtOf, unitsOf, type Contact, type EcomEvent } from '../call/event';
import type { Cart } from '../state/cart';
import { json } from '../json';
import { money, withDefined } from './fields';
import type { EsputnikEvent, EsputnikEventType } from '../wire';

/** A Generate event v2 body before it knows whose it is: events wait for a contact in this shape. */
export interface PendingEvent {
  eventTypeKey: EsputnikEventType;
  /** Param values by name, in wire order. */
  params: Record<string, string>;
}

/** Orders are never evicted from a full queue to make room. */
export const isOrder = (event: PendingEvent): boolean => !event.eventTypeKey.indexOf('order');

/** `YYYY-MM-ddTHH:mm:ss` in the shopper's local time, as seed 001 writes dates (no zone). */
export const localDate = (now: number): string => new Date(now - new Date(now).getTimezoneOffset() * 60000).toISOString().slice(0, 19);

/**
 * The v2 events for one call (seeds 001, 002), JSON-valued params as JSON strings, as their field tables say.
 * A product page per product; the whole cart after every change under the cart's `recycleStateId`; the order,
 * whose `totalCost` is the sum of its items' cost (the unit price) times quantity; and for a refund without
 * products the order's cancellation. A partial refund has no event: orderUpdated would replace the order with
 * only what the refund names, and the tag does not know the rest of it.
 */
export const pendingEvents = (event: EcomEvent, cart: Cart, configured: string, now: number): PendingEvent[] => {
  const { type, products } = event;
  const currency = event.currency || configured;
  if (type == 'detail')
    return products.map((product) => {
      const viewed: Record<string, unknown> = { productId: product.id, price: product.price };
      if (product.isInStock !== undefined) viewed.isInStock = +product.isInStock;
      return { eventTypeKey: 'productViewed', params: { product: json(viewed), currencyCode: currency } };
    });
  const bought = boughtOf(event);
  // Nothing bought, no order.
  if (type == 'purchase')
    return bought.length
      ? [
          {
            eventTypeKey: 'orderCreated',
            params: {
              externalOrderId: event.id!,
              // Summed in cents: 0.1 + 0.2 must read 0.3.
              totalCost: money(bought.reduce((sum, product) => sum + (product.price || 0) * unitsOf(product), 0)),
              status: 'INITIALIZED',
              date: localDate(now),
              currency,
              items: json(bought.map((product) => withDefined({ externalItemId: product.id, name: product.name, quantity: unitsOf(product), cost: product.price }, product, ['url', 'imageUrl']))),
            },
          },
        ]
      : [];
  if (type == 'refund') return products.length ? [] : [{ eventTypeKey: 'orderCancelled', params: { externalOrderId: event.id! } }];
  return [
    {
      eventTypeKey: 'cartUpdated',
      params: {
        products: json(
          cart.lines.map((line) => {
            const product = withDefined({ productId: line.id, quantity: line.quantity, price: line.price || 0 }, line, ['name', 'category']);
            // seed 002 types a line's discount as a string
            if (line.discount !== undefined) product.discount = money(line.discount);
            return product;
          }),
        ),
        currencyCode: currency,
        recycleStateId: cart.id,
      },
    },
  ];
};

/** The contact's locators, most specific first (reference: contactId → externalCustomerId → email → phone). */
const LOCATORS: Array<keyof Contact> = ['externalCustomerId', 'email', 'phone'];

/** The body once a contact is known: its locators lead the params and the first of them is `keyValue`. */
export const withContact = (pending: PendingEvent, contact: Contact): EsputnikEvent | undefined => {
  const params: Record<string, string> = withDefined({}, contact, LOCATORS) as Record<string, string>;
  const names = Object.keys(params);
  Object.assign(params, pending.params);
  return names[0] ? { eventTypeKey: pending.eventTypeKey, keyValue: params[names[0]], params: Object.keys(params).map((name) => ({ name, value: params[name] })) } : undefined;
};
