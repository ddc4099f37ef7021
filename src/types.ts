/** What a store passes in: the configuration (SPEC §4) and the call forms (SPEC §3). */

export type Method = 'detail' | 'addToCart' | 'removeFromCart' | 'checkout' | 'purchase' | 'refund';

/** A product as a store writes it: Calltouch's field table plus the fields eSputnik uses. */
export interface ProductInput {
  id: string | number;
  name?: string;
  price?: number | string;
  brand?: string;
  category?: string;
  variant?: string;
  margin?: number | string;
  quantity?: number | string;
  url?: string;
  imageUrl?: string;
  discount?: number | string;
  isInStock?: boolean | 0 | 1 | '0' | '1';
}

export interface EcommerceParams {
  /** Transaction id: required for purchase and refund. */
  id?: string | number;
  /** Non-empty for every method but refund (an empty or missing list there is a full refund). */
  products?: ProductInput[];
}

export interface ContactInput {
  email?: string;
  phone?: string | number;
  externalCustomerId?: string | number;
  name?: string;
}

export interface AccountConfig {
  /** Calltouch mod_id (8 characters of [0-9a-z]): the routing key of `ct(modId, 'send_ecommerce', …)`. */
  modId?: string;
  /** `siteId` enables the offline purchase/refund format when no Calltouch session appears. */
  calltouch?: { siteId?: number } | false;
  esputnik?: { siteId: string } | false;
}

export interface Config {
  accounts?: AccountConfig[];
  calltouch?: {
    endpoint?: string;
    /** Name of Calltouch's own script global (default 'ct'). */
    global?: string;
    /** How long an event waits for Calltouch's session before purchase/refund go offline (default 10000). */
    sessionWaitMs?: number;
  };
  esputnik?: {
    format?: 'tracker' | 'event';
    endpoint?: string;
  };
  currency?: string;
  dataLayer?: string | false;
  debug?: boolean;
  /** Storage namespace and log name for `createTag` (the browser install uses the global's name). */
  name?: string;
}

/** The callable a store talks to: the global installed by the snippet, or what `createTag` returns. */
export interface Tag {
  (command: 'send_ecommerce', method: Method, params: EcommerceParams): void;
  (modId: string, command: 'send_ecommerce', method: Method, params: EcommerceParams): void;
  (command: 'set_contact', contact: ContactInput): void;
  /** Anything else is handed to Calltouch's script and its return value returned. */
  (command: string, ...args: unknown[]): unknown;
  /** Resolves once every event that can be sent now has been answered (or has been scheduled for retry). */
  flush(): Promise<void>;
}
