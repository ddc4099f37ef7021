import { boughtOf, unitsOf, type Contact, type EcomEvent, type Product } from '../call/event';
import type { Cart } from '../state/cart';
import { money } from './fields';
import type { EsputnikCartProduct, EsputnikGeneralInfo, EsputnikTrackerEvent } from '../wire';

/** What every tracker body carries besides the event: whose store, which visitor, when, and who, once known. */
export interface TrackerContext {
  siteId: string;
  sc: string;
  contact: Contact;
  now: number;
}

/** Our contact fields under the tracker's names, in the order of reference/esputnik.md's example. */
const CONTACT_FIELDS: Array<[keyof Contact, keyof EsputnikGeneralInfo]> = [
  ['externalCustomerId', 'externalCustomerId'],
  ['phone', 'user_phone'],
  ['email', 'user_email'],
  ['name', 'user_name'],
];

const generalInfo = (eventName: EsputnikGeneralInfo['eventName'], context: TrackerContext): EsputnikGeneralInfo => {
  const info: Record<string, unknown> = { eventName, siteId: context.siteId, datetime: context.now };
  for (const [ours, theirs] of CONTACT_FIELDS) if (context.contact[ours]) info[theirs] = context.contact[ours];
  info.cookies = { sc: context.sc };
  return info as unknown as EsputnikGeneralInfo;
};

/** In the order of the reference's field list: productKey, price, discount, quantity; the field tables type amounts as strings. */
const cartProduct = (line: Cart['lines'][number]): EsputnikCartProduct => {
  const product = { productKey: line.id, price: money(line.price) } as EsputnikCartProduct;
  if (line.discount !== undefined) product.discount = money(line.discount);
  product.quantity = line.quantity;
  return product;
};

const productPage = (product: Product) => {
  const shown: NonNullable<EsputnikTrackerEvent['ProductPage']>['Product'] = { productKey: product.id, price: money(product.price) };
  if (product.isInStock !== undefined) shown.isInStock = product.isInStock ? '1' : '0';
  return { Product: shown };
};

/**
 * The tracker's bodies for one call, one event per request: a product page per product; the whole cart after
 * every change (a new GUID from `newGuid` each time, reference: "each cart state gets a new GUID"); the order's
 * items with units (the tracker counts every item 1 or more; an order of none is no order); and nothing for a
 * refund, which the tracker has no event for. `cart` is the cart after the call.
 */
export const trackerBodies = (event: EcomEvent, cart: Cart, newGuid: () => string, context: TrackerContext): EsputnikTrackerEvent[] => {
  const bought = boughtOf(event);
  return event.type == 'detail'
    ? event.products.map((product) => ({ GeneralInfo: generalInfo('ProductPage', context), ProductPage: productPage(product) }))
    : event.type == 'purchase'
      ? bought.length
        ? [
            {
              GeneralInfo: generalInfo('PurchasedItems', context),
              PurchasedItems: {
                Products: bought.map((product) => ({ product_id: product.id, unit_price: money(product.price), quantity: unitsOf(product) })),
                OrderNumber: event.id!,
              },
            },
          ]
        : []
      : event.type == 'refund'
        ? []
        : [{ GeneralInfo: generalInfo('StatusCart', context), StatusCart: { GUID: newGuid(), Products: cart.lines.map(cartProduct) } }];
};

/** Sent when the visitor identifies: the contact fields alone. */
export const customerData = (context: TrackerContext): EsputnikTrackerEvent => ({ GeneralInfo: generalInfo('CustomerData', context) });
