import { unitsOf, type Contact, type EcomEvent, type Product } from '../call/event';
import { withDefined } from './fields';
import type { CalltouchSession } from '../wait/calltouch-session';
import type { CalltouchOfflineEvent, CalltouchProduct, CalltouchSiteEvent } from '../wire';

/** Calltouch's product fields, in the order its script writes them; url, imageUrl, discount, isInStock stay behind. */
const FIELDS: Array<keyof CalltouchProduct> = ['id', 'name', 'price', 'brand', 'category', 'variant', 'margin', 'quantity'];

export const calltouchProduct = (product: Product): CalltouchProduct => withDefined({}, product, FIELDS) as unknown as CalltouchProduct;

/** The request Calltouch's own script sends for `ct('send_ecommerce', …)`; the contact fills fio, email and phoneNumber. */
export const calltouchSiteEvent = (event: EcomEvent, session: CalltouchSession, contact: Contact): CalltouchSiteEvent => {
  // Built key by key so the JSON reads in the order of reference/calltouch.md.
  const body = { siteId: session.siteId, sessionId: session.sessionId, modId: session.modId, ctClientId: session.ctClientId, eventType: event.type } as CalltouchSiteEvent;
  if (event.id !== undefined) body.id = event.id;
  body.products = event.products.map(calltouchProduct);
  if (event.type === 'purchase') body.manager = null;
  body.fio = contact.name || null;
  body.email = contact.email || null;
  body.phoneNumber = contact.phone || null;
  body.comment = null;
  body.addTags = [];
  return body;
};

/**
 * Seed 000's session-less format, for purchase and refund only. Every product needs a quantity there;
 * a purchase line without one counts as one unit. A refund without products is a full refund: `[]`.
 */
export const calltouchOfflineEvent = (event: EcomEvent & { type: 'purchase' | 'refund'; id: string }, siteId: number): CalltouchOfflineEvent => ({
  siteId,
  eventType: event.type,
  id: event.id,
  products: event.products.map((product) => Object.assign(calltouchProduct(product), { quantity: unitsOf(product) })),
});
