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
  /** ISO 4217; eSputnik's events take it over `config.currency` (the dataLayer bridge passes GA4's `currency`). */
  currency?: string;
}

export interface ContactInput {
  email?: string;
  phone?: string | number;
  externalCustomerId?: string | number;
  name?: string;
  /** Issued by the store's server for this contact (the relay's signed identity, SPEC §6): the `event` format sends it. */
  identity?: string;
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
    /** false: what the dataLayer bridge reads goes to eSputnik only, for accounts whose Calltouch reads GA4 e-commerce itself. */
    dataLayer?: boolean;
  };
  esputnik?: {
    format?: 'tracker' | 'event';
    endpoint?: string;
  };
  currency?: string;
  /** The IANA zone the store's order dates are written in, whatever the shopper's clock says (default 'Europe/Moscow'). */
  timeZone?: string;
  /** The name of a dataLayer (GA4, Universal Analytics, gtag, Yandex.Metrica pushes) to read e-commerce from. */
  dataLayer?: string | false;
  /** 'pending': calls wait in memory, nothing is stored or sent, until `ct('consent', 'granted' | 'denied')`. */
  consent?: 'granted' | 'denied' | 'pending';
  debug?: boolean;
  /** Storage namespace and log name for `createTag` (the browser install uses the global's name). */
  name?: string;
}

/** The commands the tag itself answers; a call naming one of them must have its exact shape. */
type OwnCommand = 'send_ecommerce' | 'set_contact' | 'consent';
/** Arguments that do not lead with one of our commands (a mod_id followed by `send_ecommerce` does). */
type NotOwn<Args> = Args extends readonly [OwnCommand, ...unknown[]] ? never : unknown;

/** The callable a store talks to: the global installed by the snippet, or what `createTag` returns. */
export interface Tag {
  (command: 'send_ecommerce', method: Method, params: EcommerceParams): void;
  (modId: string, command: 'send_ecommerce', method: Method, params: EcommerceParams): void;
  (command: 'set_contact', contact: ContactInput): void;
  (command: 'consent', state: 'granted' | 'denied'): void;
  /**
   * Anything else is handed to Calltouch's script and its return value returned (`ct('calltracking_params', modId)`).
   * Our own commands never match here, so a misspelt method or a product without `id` is a type error.
   */
  <Command extends string, const Args extends unknown[]>(
    command: Command extends OwnCommand ? never : Command,
    ...args: Args & NotOwn<Args>
  ): unknown;
  /** Resolves once every event that can be sent now has been answered (or has been scheduled for retry). */
  flush(): Promise<void>;
}
