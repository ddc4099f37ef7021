// What the tag posts to the relay in the `event` format (SPEC §5, §6): a Generate event v2 body with exactly one
// contact param — the one keyValue uses, chosen externalCustomerId → email → phone — and, beside eventTypeKey,
// keyValue and params, the `identity` the store's server signed for that contact. Built from the canonical bodies of
// esputnik-fixtures.mjs, so a relay test posts what the tag sends.
import { eventCartUpdated, eventOrderCancelled, eventOrderCreated, eventProductViewed, ORDER_ID } from './esputnik-fixtures.mjs';
import { identity } from './identity.mjs';

/** The params that name a contact in the tag's bodies, by the kind of `sub` each belongs to. */
const CONTACT_PARAM = { ext: 'externalCustomerId', email: 'email', phone: 'phone' };

/**
 * `email:anna@example.com` → `{kind: 'email', value: 'anna@example.com', param: 'email'}`.
 * @param {string} sub
 */
export function contactOf(sub) {
  const colon = sub.indexOf(':');
  const kind = /** @type {'ext' | 'email' | 'phone'} */ (sub.slice(0, colon));
  return { kind, value: sub.slice(colon + 1), param: CONTACT_PARAM[kind] };
}

/**
 * `date` as seed 001 writes it, `YYYY-MM-ddTHH:mm:ss`, in UTC (the tests' store zone).
 * @param {Date} date
 */
export function orderDate(date) {
  return date.toISOString().slice(0, 19);
}

/**
 * @typedef {{eventTypeKey: string, keyValue: string, params: Array<{name: string, value: unknown}>, identity?: string}} TagBody
 */

/**
 * `body` addressed to the contact of `sub`: its contact params replaced by the one param of that kind, keyValue
 * its value. Unsigned.
 * @param {{eventTypeKey: string, keyValue: string, params: ReadonlyArray<{name: string, value: unknown}>}} body
 * @param {string} sub
 * @returns {TagBody}
 */
export function addressed(body, sub) {
  const { param, value } = contactOf(sub);
  const others = body.params.filter((p) => !Object.values(CONTACT_PARAM).includes(p.name)).map((p) => ({ ...p }));
  return { eventTypeKey: body.eventTypeKey, keyValue: value, params: [{ name: param, value }, ...others] };
}

/**
 * `body` addressed to `sub` and signed for it, as the tag sends it once `set_contact` gave an identity.
 * @param {{eventTypeKey: string, keyValue: string, params: ReadonlyArray<{name: string, value: unknown}>}} body
 * @param {string} sub
 * @param {Parameters<typeof identity>[1]} [options]
 * @returns {TagBody}
 */
export function signed(body, sub, options) {
  return { ...addressed(body, sub), identity: identity(sub, options) };
}

/**
 * A body with one param set (or removed with `undefined`), keeping the params' order.
 * @param {TagBody} body
 * @param {string} name
 * @param {unknown} value
 * @returns {TagBody}
 */
export function withParam(body, name, value) {
  const has = body.params.some((p) => p.name === name);
  const params = value === undefined
    ? body.params.filter((p) => p.name !== name)
    : has ? body.params.map((p) => (p.name === name ? { name, value } : p)) : [...body.params, { name, value }];
  return { ...body, params };
}

/** An order whose every line has all seed 001 asks of an item, links on the store's host: eSputnik keeps its items. */
export const ORDER_ITEMS = [
  { externalItemId: '1003', name: 'USB-удлинитель', quantity: 2, cost: 150.5, url: 'https://shop.example/p/1003', imageUrl: 'https://shop.example/p/1003.jpg' },
  { externalItemId: '1005', name: 'Наушники', quantity: 1, cost: 1900, url: 'https://shop.example/p/1005', imageUrl: 'https://shop.example/p/1005.jpg' },
];

/**
 * The four bodies the tag sends, for the contact of `sub`, signed: an order `orderId` dated `now` with complete items
 * (totalCost 2201 = 150.5 × 2 + 1900), its full refund, a product view and a cart change.
 * @param {string} sub
 * @param {{orderId?: string, now?: Date} & Parameters<typeof identity>[1]} [options]
 */
export function tagBodies(sub, { orderId = ORDER_ID, now = new Date(), ...signing } = {}) {
  let order = withParam(addressed(eventOrderCreated, sub), 'externalOrderId', orderId);
  order = withParam(order, 'date', orderDate(now));
  order = withParam(order, 'items', JSON.stringify(ORDER_ITEMS));
  const sign = (/** @type {TagBody} */ body) => ({ ...body, identity: identity(sub, signing) });
  return {
    productViewed: signed(eventProductViewed, sub, signing),
    cartUpdated: signed(eventCartUpdated, sub, signing),
    orderCreated: sign(order),
    orderCancelled: sign(withParam(addressed(eventOrderCancelled, sub), 'externalOrderId', orderId)),
  };
}
