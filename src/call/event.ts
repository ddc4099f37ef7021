import type { Method } from '../types';

/** A product after validation: ids are strings, numbers are numbers, unknown fields are gone. */
export interface Product {
  id: string;
  name?: string;
  price?: number;
  brand?: string;
  category?: string;
  variant?: string;
  margin?: number;
  quantity?: number;
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
}

export interface Contact {
  email?: string;
  phone?: string;
  externalCustomerId?: string;
  name?: string;
}
