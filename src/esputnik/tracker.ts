import { boughtOf, unitsOf, type Contact, type EcomEvent } from '../call/event';
import { money } from '../fields';
import type { EsputnikCartProduct, EsputnikGeneralInfo, EsputnikTrackerEvent } from '../wire';
import type { Cart } from './cart';
import { paidCents } from './price';

/** What every tracker body carries besides the event: whose store, which visitor, when, and who, once known. */
export interface TrackerContext {
  siteId: string;
  sc: string;
  contact: Contact;
  now: number;
}

/**
 * One tracker body: `GeneralInfo`, then the object named after the event (reference/esputnik.md §1). The
 * contact's fields ride on every body once known, under the tracker's names, in the order of its example; what
 * is not known is undefined, which leaves it out of the JSON. CustomerData is `GeneralInfo` alone.
 */
const trackerBody = <Name extends EsputnikGeneralInfo['eventName']>(
  eventName: Name,
  { siteId, now, contact, sc }: TrackerContext,
  event?: Name extends keyof EsputnikTrackerEvent ? EsputnikTrackerEvent[Name] : never,
): EsputnikTrackerEvent => ({
  GeneralInfo: {
    eventName,
    siteId,
    datetime: now,
    externalCustomerId: contact.externalCustomerId || undefined,
    user_phone: contact.phone || undefined,
    user_email: contact.email || undefined,
    user_name: contact.name || undefined,
    cookies: { sc },
  },
  [eventName]: event,
});

/**
 * In the order of the reference's field list: productKey, price, discount, quantity; the field tables type
 * amounts as strings. What is undefined stays out of the JSON.
 */
const cartProduct = (line: Cart['lines'][number]): EsputnikCartProduct => ({
  productKey: line.id,
  price: money(line.price!),
  discount: line.discount === undefined ? undefined : money(line.discount),
  quantity: line.quantity,
});

/**
 * The tracker's bodies for one call, one event per request: a ProductPage per product; the whole cart after
 * every change under its new GUID (reference: "each cart state gets a new GUID"); PurchasedItems of the lines
 * with units (the tracker counts every item 1 or more; an order of none is no order), each at what a unit cost
 * after its discount, with the GUID of the last cart state, which the order closes; and nothing for a refund,
 * which the tracker has no event for. `cart` is the cart after the call (cart.ts).
 */
export const trackerBodies = (event: EcomEvent, cart: Cart, context: TrackerContext): EsputnikTrackerEvent[] => {
  const bought = boughtOf(event);
  return event.type == 'detail'
    ? event.products.map((product) =>
        trackerBody('ProductPage', context, {
          Product: { productKey: product.id, price: money(product.price!), isInStock: product.isInStock === undefined ? undefined : product.isInStock ? '1' : '0' },
        }),
      )
    : event.type == 'purchase'
      ? bought.length
        ? [
            trackerBody('PurchasedItems', context, {
              Products: bought.map((line) => ({ product_id: line.id, unit_price: '' + paidCents(line) / 100, quantity: unitsOf(line) })),
              OrderNumber: event.id!,
              GUID: cart.id,
            }),
          ]
        : []
      : event.type == 'refund'
        ? []
        : [trackerBody('StatusCart', context, { GUID: cart.id, Products: cart.lines.map(cartProduct) })];
};

/** Sent when the visitor identifies: the contact fields alone. */
export const customerData = (context: TrackerContext): EsputnikTrackerEvent => trackerBody('CustomerData', context);
