import type { Method } from '../types';
import type { CalltouchProduct } from '../wire';

/** The `send_ecommerce` methods, in SPEC §3's order (the dataLayer bridge's tables follow it). */
export const METHODS: readonly Method[] = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];

/**
 * A product after validation: Calltouch's field table plus the fields eSputnik uses. Ids are strings, numbers
 * are numbers, unknown fields are gone.
 */
export interface Product extends CalltouchProduct {
  url?: string;
  imageUrl?: string;
  discount?: number;
  isInStock?: boolean;
}

/** A validated `send_ecommerce` call: what every mapper starts from. */
export interface EcomEvent {
  type: Method;
  /** Transaction id (purchase, refund). */
  id?: string;
  products: Product[];
  /** ISO 4217, when the call names one (dataLayer pushes do). */
  currency?: string;
}

/** As `set_contact` keeps it: email trimmed and lower-cased, phone in international digits only. */
export interface Contact {
  email?: string;
  phone?: string;
  externalCustomerId?: string;
  name?: string;
  /** Signed by the store's server for the relay (SPEC §6); only the event format sends it. */
  identity?: string;
}

/** A line without a quantity counts one unit (Calltouch's offline format and eSputnik both need a number). */
export const unitsOf = (product: Product): number => (product.quantity === undefined ? 1 : product.quantity);

/** An order's lines with units: one of none was not bought (eSputnik counts every item 1 or more). */
export const boughtOf = (event: EcomEvent): Product[] => event.products.filter(unitsOf);

/** A purchase or a refund: it has its transaction id, and goes out once (deliver/once.ts). */
export type Transaction = EcomEvent & { type: 'purchase' | 'refund'; id: string };

export const isTransaction = (event: EcomEvent): event is Transaction => event.type == 'purchase' || event.type == 'refund';
