/** Every body the tag puts on the wire, in one place (shapes from ../shared/reference). */
import type { Method } from './types';

/** A product as Calltouch's field table types it (seed 000): `id` is a string there, though examples show numbers. */
export interface CalltouchProduct {
  id: string;
  name?: string;
  price?: number;
  brand?: string;
  category?: string;
  variant?: string;
  margin?: number;
  quantity?: number;
}

/** What Calltouch's own script posts for `ct('send_ecommerce', …)` (reference/calltouch.md). */
export interface CalltouchSiteEvent {
  siteId: number;
  sessionId: number;
  modId: string;
  ctClientId: string;
  eventType: Method;
  /** purchase and refund only */
  id?: string;
  products: CalltouchProduct[];
  /** purchase only */
  manager?: null;
  fio: string | null;
  email: string | null;
  phoneNumber: string | null;
  comment: null;
  addTags: string[];
}

/**
 * The session-less purchase/refund format of seed 000; "all field types must follow the example strictly": its
 * example's product id is a number (`"id": 3`), so an id of digits goes as one.
 */
export interface CalltouchOfflineEvent {
  siteId: number;
  eventType: 'purchase' | 'refund';
  id: string;
  products: Array<Omit<CalltouchProduct, 'id'> & { id: string | number; quantity: number }>;
}

export type WireBody = CalltouchSiteEvent | CalltouchOfflineEvent | EsputnikTrackerEvent | EsputnikEvent;

/** eSputnik's tracker API (reference/esputnik.md §1). Prices are strings and quantities integers, as its field tables type them. */
export interface EsputnikGeneralInfo {
  eventName: 'ProductPage' | 'StatusCart' | 'PurchasedItems' | 'CustomerData';
  siteId: string;
  /** ms timestamp */
  datetime: number;
  externalCustomerId?: string;
  user_phone?: string;
  user_email?: string;
  user_name?: string;
  /** `sc`: the visitor cookie eSputnik's script sets, or one the tag created in its format. */
  cookies: { sc: string };
}

export interface EsputnikCartProduct {
  productKey: string;
  price: string;
  discount?: string;
  quantity: number;
}

export interface EsputnikTrackerEvent {
  GeneralInfo: EsputnikGeneralInfo;
  ProductPage?: { Product: { productKey: string; price: string; isInStock?: '1' | '0' } };
  StatusCart?: { GUID: string; Products: EsputnikCartProduct[] };
  /** `GUID`: the last StatusCart's, which the order closes (eSputnik's JS SDK sends it). */
  PurchasedItems?: { Products: Array<{ product_id: string; unit_price: string; quantity: number }>; OrderNumber: string; GUID: string };
}

/** Generate event v2 (reference/esputnik.md §2, seeds 001/002); only a relay holding the API key may post it. */
export type EsputnikEventType = 'productViewed' | 'cartUpdated' | 'orderCreated' | 'orderCancelled';

/** Every value a string; structured ones (product, products, items) are JSON strings, as the field tables say. */
export interface EsputnikParam {
  name: string;
  value: string;
}

/**
 * What the tag posts to the relay: the contact's one locator leads `params` and is `keyValue`. `identity`, signed
 * by the store's server for that contact, is the relay's to check and strip (SPEC §6): eSputnik never sees it.
 */
export interface EsputnikEvent {
  eventTypeKey: EsputnikEventType;
  keyValue: string;
  params: EsputnikParam[];
  identity?: string;
}

/**
 * What the tag posts to the relay in the `event` format: the Generate event body, with exactly one contact param (the
 * one keyValue names), and beside it the identity the store's server signed for that contact (SPEC §6). The relay
 * checks and removes `identity`; eSputnik never sees it.
 */
export interface EsputnikRelayEvent extends EsputnikEvent {
  identity?: string;
}

/** Any Generate event v2 body the relay forwards: the tag's four types, and the site and order events it also knows. */
export interface EsputnikGeneratedEvent {
  eventTypeKey: string;
  keyValue: string;
  params: EsputnikParam[];
}

/** eSputnik's Add/update a contact (`POST /api/v1/contact`), as the relay sends it before a contact's first order. */
export interface EsputnikContact {
  /** email as given (trimmed, lower-case); sms as international digits */
  channels: Array<{ type: 'email' | 'sms'; value: string }>;
  externalCustomerId?: string;
}
