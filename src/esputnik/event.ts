import { boughtOf, unitsOf, type Contact, type EcomEvent } from '../call/event';
import { money } from '../fields';
import { storeTime } from '../time';
import { json } from '../json';
import type { EsputnikEvent, EsputnikEventType } from '../wire';
import type { Cart } from './cart';
import { paidCents } from './price';

/** The store's currency (ISO 4217) and the IANA zone its order dates are written in. */
export interface Locale {
  currency: string;
  timeZone: string;
}

/** A Generate event v2 body before it knows whose it is: events wait for a contact in this shape. */
export interface PendingEvent {
  eventTypeKey: EsputnikEventType;
  /** Param values by name, in wire order. */
  params: Record<string, string>;
}

/** The whole cart (seed 002: "the full list with every request"; an emptied cart is an empty list). */
const cartUpdated = (cart: Cart, currency: string): PendingEvent => ({
  eventTypeKey: 'cartUpdated',
  params: {
    products: json(
      cart.lines.map((line) => ({
        productId: line.id,
        quantity: line.quantity,
        price: line.price,
        name: line.name,
        category: line.category,
        // seed 002 types a line's discount as a string
        discount: line.discount === undefined ? undefined : money(line.discount),
      })),
    ),
    currencyCode: currency,
    recycleStateId: cart.id,
  },
});

/**
 * The v2 events for one call (seeds 001, 002), JSON-valued params as JSON strings, as their field tables say.
 * A product page per product; the whole cart after every change under the cart's `recycleStateId`; for a
 * purchase the order under the bought cart's id, then that cart emptied, so that eSputnik mails no abandoned
 * cart; and for a refund without products the order's cancellation. A partial refund has no event: eSputnik
 * cancels whole orders only, and its orderUpdated would replace the order with only what the refund names.
 *
 * An order's items are its lines with units (eSputnik counts every item 1 or more), each costing its unit price
 * less the unit's discount, to the cent; `totalCost` sums them in whole cents, so it is what eSputnik sums.
 * Items go with whatever fields the store gave: the relay sends `items` on only when every line has all that
 * seed 001 requires of one, and the order goes either way. `cart` is the cart after the call (cart.ts).
 */
export const pendingEvents = (event: EcomEvent, cart: Cart, settings: Locale, now: number): PendingEvent[] => {
  const { type, products } = event;
  const currency = event.currency || settings.currency;
  if (type == 'detail')
    return products.map((product) => ({
      eventTypeKey: 'productViewed',
      params: { product: json({ productId: product.id, price: product.price, isInStock: product.isInStock === undefined ? undefined : +product.isInStock }), currencyCode: currency },
    }));
  const bought = boughtOf(event);
  // Nothing bought, no order.
  if (type == 'purchase')
    return bought.length
      ? [
          {
            eventTypeKey: 'orderCreated',
            params: {
              externalOrderId: event.id!,
              totalCost: '' + bought.reduce((sum, line) => sum + paidCents(line) * unitsOf(line), 0) / 100,
              status: 'INITIALIZED',
              date: storeTime(now, settings.timeZone),
              currency,
              recycleStateId: cart.id,
              items: json(bought.map((line) => ({ externalItemId: line.id, name: line.name, quantity: unitsOf(line), cost: paidCents(line) / 100, url: line.url, imageUrl: line.imageUrl }))),
            },
          },
          cartUpdated(cart, currency),
        ]
      : [];
  if (type == 'refund') return products.length ? [] : [{ eventTypeKey: 'orderCancelled', params: { externalOrderId: event.id! } }];
  return [cartUpdated(cart, currency)];
};

/** The contact's locators, most specific first (reference: contactId → externalCustomerId → email → phone). */
const LOCATORS: Array<keyof Contact> = ['externalCustomerId', 'email', 'phone'];

/**
 * The body once a contact is known: its most specific locator is `keyValue` and the one contact param, which
 * is what the relay requires to match the signed identity's `sub` (SPEC §6), and the identity rides along.
 */
export const withContact = (pending: PendingEvent, contact: Contact): EsputnikEvent | undefined => {
  const locator = LOCATORS.find((name) => contact[name]);
  if (!locator) return;
  const params = Object.assign({ [locator]: contact[locator] }, pending.params);
  return { eventTypeKey: pending.eventTypeKey, keyValue: contact[locator]!, params: Object.keys(params).map((name) => ({ name, value: params[name] })), identity: contact.identity };
};
