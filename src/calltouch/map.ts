import { unitsOf, type Contact, type EcomEvent, type Product, type Transaction } from '../call/event';
import { cents } from '../fields';
import type { CalltouchOfflineEvent, CalltouchProduct, CalltouchSiteEvent } from '../wire';
import type { CalltouchSession } from './session';

/** Calltouch's product fields, in the order its script writes them; url, imageUrl, discount, isInStock stay behind. */
const FIELDS: Array<keyof CalltouchProduct> = ['id', 'name', 'price', 'brand', 'category', 'variant', 'margin', 'quantity'];

/**
 * A product in Calltouch's fields, those it has, in that order. Amounts go to the cent, as seed 000 writes them
 * (150.50); quantities are whole already.
 */
export const calltouchProduct = (product: Product): CalltouchProduct => {
  const shown: Record<string, unknown> = {};
  for (const name of FIELDS) {
    const value = product[name];
    if (value !== undefined) shown[name] = typeof value == 'number' ? cents(value) / 100 : value;
  }
  return shown as unknown as CalltouchProduct;
};

/**
 * The request Calltouch's own script sends for `ct('send_ecommerce', …)`, key for key in the order of
 * reference/calltouch.md; the contact fills fio, email and phoneNumber. `id` (purchase and refund) and `manager`
 * (purchase) are left undefined otherwise, which leaves them out of the JSON.
 */
export const calltouchSiteEvent = (event: EcomEvent, session: CalltouchSession, contact: Contact): CalltouchSiteEvent =>
  Object.assign({}, session, {
    eventType: event.type,
    id: event.id,
    products: event.products.map(calltouchProduct),
    manager: event.type == 'purchase' ? null : undefined,
    fio: contact.name || null,
    email: contact.email || null,
    phoneNumber: contact.phone || null,
    comment: null,
    addTags: [],
  });

/**
 * Seed 000's offline example writes a product id as a number (`"id": 3`) and asks for its types "strictly as in
 * the example": an id of digits that a number holds exactly goes as that number; any other stays a string.
 */
const offlineId = (id: string): string | number => (/^(0|[1-9]\d*)$/.test(id) && +id < 2 ** 53 ? +id : id);

/**
 * Seed 000's session-less format, for purchase and refund only. Every product needs a quantity there;
 * a purchase line without one counts as one unit. A refund without products is a full refund: `[]`.
 */
export const calltouchOfflineEvent = (event: Transaction, siteId: number): CalltouchOfflineEvent => ({
  siteId,
  eventType: event.type,
  id: event.id,
  products: event.products.map((product) => Object.assign(calltouchProduct(product), { id: offlineId(product.id), quantity: unitsOf(product) })),
});
