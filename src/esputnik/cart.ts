import { unitsOf, type EcomEvent, type Product } from '../call/event';

/**
 * The shopper's cart as eSputnik sees it: every line with its units, and the id that ties the cart to its
 * purchase. Stored per account, read before and written after every change, so a change in one tab builds on
 * the last change in any tab.
 */
export interface Cart {
  /** `recycleStateId` (event format): one for the cart's life; `GUID` (tracker): one per state of the cart. */
  id: string;
  lines: Array<Product & { quantity: number }>;
  /** Bought: the id went with the purchase, and the next change starts a new cart. */
  bought?: 1;
}

/**
 * The cart after `event`. Adding sums units and lets the latest fields (the price) win; removing without a
 * quantity removes the line, and units never go below zero; a checkout states the whole cart; a purchase
 * empties it and keeps its id, which the order carries (seed 002: the id "connecting the cart events and
 * purchases"). A line with no units left is no line. `perState`: a new id for every change (the tracker's GUID).
 * A cart gets its id at its first change: a shopper who only looks has none, and no id is made for nothing (a
 * uuid costs as much as a storage write).
 */
export const nextCart = (cart: Cart, event: EcomEvent, newId: () => string, perState: boolean): Cart => {
  const buying = event.type == 'purchase';
  const id = !cart.id || cart.bought || (perState && !buying) ? newId() : cart.id;
  if (buying) return { id, lines: [], bought: 1 };
  if (event.type == 'checkout') return { id, lines: event.products.map((product) => Object.assign({}, product, { quantity: unitsOf(product) })).filter((line) => line.quantity) };
  const lines = cart.lines.slice();
  for (const product of event.products) {
    const at = lines.findIndex((line) => line.id === product.id);
    const had = at < 0 ? 0 : lines[at].quantity;
    const quantity = event.type == 'addToCart' ? had + unitsOf(product) : product.quantity === undefined ? 0 : Math.max(0, had - product.quantity);
    const line = Object.assign({}, lines[at], event.type == 'addToCart' ? product : {}, { quantity });
    if (!quantity) at < 0 || lines.splice(at, 1);
    else if (at < 0) lines.push(line);
    else lines[at] = line;
  }
  return { id, lines };
};
