/**
 * The back office's wire format (`POST /backoffice/orders` on the relay, SPEC §6) and the client's options: what a
 * store's server sends, and what the relay answers per order and per destination. dist/backoffice.d.ts is this file
 * plus errors.ts and the declarations of index.ts, so nothing here imports.
 */

/** What happened to the order in the store. */
export type BackofficeStatus = 'in_progress' | 'delivered' | 'cancelled' | 'refunded' | 'updated';

/** The services an order change can go to. */
export type BackofficeDestination = 'esputnik' | 'calltouch';

/** One line of the order, as the store sold it. Amounts as numbers or decimal strings (`"150.50"`). */
export interface BackofficeProduct {
  id: string | number;
  name?: string;
  /** A unit's price before its discount. */
  price: number | string;
  quantity: number | string;
  /** Off each unit (eSputnik counts `price − discount` per unit). */
  discount?: number | string;
  /** The product's page and picture: eSputnik keeps an order's items only when every line has both. */
  url?: string;
  imageUrl?: string;
}

/** Who placed the order: eSputnik files order events under a contact. A name alone is no contact. */
export interface BackofficeContact {
  email?: string;
  /** International format, `+7 900 123-45-67` or `79001234567`. */
  phone?: string | number;
  externalCustomerId?: string | number;
  name?: string;
}

/** A line given back: which product, how many units. */
export interface BackofficeRefundLine {
  id: string | number;
  quantity: number | string;
}

export interface BackofficeOrder {
  /** The transaction id: what the thank-you page passed to `purchase` (`ct('send_ecommerce', 'purchase', {id})`). */
  id: string | number;
  status: BackofficeStatus;
  /** When the order was placed, in the store's time: `YYYY-MM-DDTHH:mm:ss` (or with a space). */
  date?: string;
  contact?: BackofficeContact;
  /** The order's lines as they stand after this change: after a partial refund, what the shopper keeps. */
  products?: BackofficeProduct[];
  /** With status `refunded`: the lines this refund gives back; without `products` here, the whole order. */
  refund?: { products?: BackofficeRefundLine[] };
  /**
   * `offline`: the order never went through a page with the tag (phone, marketplace, CRM), so its purchase goes to
   * Calltouch from here. Default `site`: the tag sent the purchase.
   */
  origin?: 'site' | 'offline';
  /** Only these destinations (default: every one the change applies to); the client sets it when it retries. */
  destinations?: BackofficeDestination[];
}

/** One order, a list of up to 100, or `{orders: [...]}`. */
export type BackofficeRequest = BackofficeOrder | BackofficeOrder[] | { orders: BackofficeOrder[] };

/**
 * What became of an order at one destination: `sent` (taken, now or before), `retry: why` (a failure of the moment:
 * send it again), `refused: why` (it will not take this), `skipped: why` (nothing for it to do).
 */
export type DestinationAnswer = 'sent' | `retry: ${string}` | `refused: ${string}` | `skipped: ${string}`;

export interface OrderAnswer {
  id: string;
  status: BackofficeStatus;
  esputnik: DestinationAnswer;
  calltouch: DestinationAnswer;
  /** What was left out and why (an order sent without its items, say). */
  notes?: string[];
}

/** The relay's answer: 200 when no destination needs a retry, else 503 (or 429) with Retry-After; the same list. */
export interface BackofficeAnswer {
  orders: OrderAnswer[];
}

export interface BackofficeOptions {
  /**
   * The relay, e.g. `http://127.0.0.1:8787` (posts go to `/backoffice/orders` under it), or the endpoint itself when
   * its path ends in `/backoffice/orders` (a proxy's path, `https://shop.example/ecomtag/backoffice/orders`).
   */
  url: string;
  /** RELAY_BACKOFFICE_TOKEN. Never logged, never in an error's text. */
  token: string;
  /** How requests go out: fetch's own signature. Default the global fetch. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Tries after the first, for what the relay answered retryable. Default 5. */
  retries?: number;
  /** How long one request may take. Default 30000. */
  timeoutMs?: number;
  /** Hears of each wait before a retry. */
  onRetry?: (retry: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface BackofficeResult {
  /** Every destination of every order `sent` or `skipped`. */
  ok: boolean;
  /** The relay's last word on each order, in the order given; `retry: …` where the retries ran out. */
  orders: OrderAnswer[];
}

export interface Backoffice {
  /** Posts one order change, or several (split into requests of at most 100 orders and 20 KB). */
  orderStatus(order: BackofficeOrder | BackofficeOrder[]): Promise<BackofficeResult>;
  /**
   * A refund: without `products` the whole order, else these lines. `order` adds what the relay can use: the
   * order's remaining `products` (eSputnik's order is updated to them), its `contact`.
   */
  refund(id: string | number, products?: BackofficeRefundLine[], order?: Omit<BackofficeOrder, 'id' | 'status' | 'refund'>): Promise<BackofficeResult>;
}
