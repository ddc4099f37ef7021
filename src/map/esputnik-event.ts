import { unitsOf, type Contact, type EcomEvent } from '../call/event';
import type { Cart } from '../state/cart';
import { withDefined } from './fields';
import type { EsputnikEvent, EsputnikEventType, EsputnikParam } from '../wire';

/** A Generate event v2 body before it knows whose it is: events wait for a contact in this shape. */
export interface PendingEvent {
  eventTypeKey: EsputnikEventType;
  params: EsputnikParam[];
}

/** Orders are never evicted from a full queue to make room. */
export const isOrder = (event: PendingEvent): boolean => event.eventTypeKey.indexOf('order') === 0;

const param = (name: string, value: string): EsputnikParam => ({ name, value });

/** Sums in cents: 0.1 + 0.2 must read 0.3. */
const cents = (amount: number) => Math.round(amount * 100) / 100;

/** `YYYY-MM-ddTHH:mm:ss` in the shopper's local time, as seed 001 writes dates (no zone). */
export const localDate = (now: number): string => new Date(now - new Date(now).getTimezoneOffset() * 60000).toISOString().slice(0, 19);

/**
 * The v2 events for one call (seeds 001, 002), JSON-valued params as JSON strings, as their field tables say.
 * A product page per product; the whole cart after every change under the cart's `recycleStateId`; the order,
 * whose `totalCost` is the sum of its items' cost (the unit price) times quantity; and for a refund without
 * products the order's cancellation. A partial refund has no event: orderUpdated would replace the order with
 * only what the refund names, and the tag does not know the rest of it.
 */
export const pendingEvents = (event: EcomEvent, cart: Cart, currency: string, now: number): PendingEvent[] => {
  if (event.type === 'detail')
    return event.products.map((product) => {
      const viewed: Record<string, unknown> = { productId: product.id, price: product.price };
      if (product.isInStock !== undefined) viewed.isInStock = +product.isInStock;
      return { eventTypeKey: 'productViewed', params: [param('product', JSON.stringify(viewed)), param('currencyCode', currency)] };
    });
  if (event.type === 'purchase') {
    const items = event.products.map((product) =>
      withDefined({ externalItemId: product.id, name: product.name, quantity: unitsOf(product), cost: product.price }, product, ['url', 'imageUrl']),
    );
    return [
      {
        eventTypeKey: 'orderCreated',
        params: [
          param('externalOrderId', event.id!),
          param('totalCost', String(cents(event.products.reduce((sum, product) => sum + (product.price || 0) * unitsOf(product), 0)))),
          param('status', 'INITIALIZED'),
          param('date', localDate(now)),
          param('currency', currency),
          param('items', JSON.stringify(items)),
        ],
      },
    ];
  }
  if (event.type === 'refund') return event.products.length ? [] : [{ eventTypeKey: 'orderCancelled', params: [param('externalOrderId', event.id!)] }];
  const products = cart.lines.map((line) => {
    const product = withDefined({ productId: line.id, quantity: line.quantity, price: line.price || 0 }, line, ['name', 'category']);
    // seed 002 types a line's discount as a string
    if (line.discount !== undefined) product.discount = String(line.discount);
    return product;
  });
  return [{ eventTypeKey: 'cartUpdated', params: [param('products', JSON.stringify(products)), param('currencyCode', currency), param('recycleStateId', cart.id)] }];
};

/** The contact's locators, most specific first (reference: contactId → externalCustomerId → email → phone). */
const LOCATORS: Array<keyof Contact> = ['externalCustomerId', 'email', 'phone'];

/** The body once a contact is known: its locators lead the params and the first of them is `keyValue`. */
export const withContact = (pending: PendingEvent, contact: Contact): EsputnikEvent | undefined => {
  const locators = LOCATORS.filter((field) => contact[field]).map((field) => param(field, contact[field]!));
  return locators.length ? { eventTypeKey: pending.eventTypeKey, keyValue: locators[0].value, params: locators.concat(pending.params) } : undefined;
};
