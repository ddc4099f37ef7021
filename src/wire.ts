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

/** The session-less purchase/refund format of seed 000; "all field types must follow the example strictly". */
export interface CalltouchOfflineEvent {
  siteId: number;
  eventType: 'purchase' | 'refund';
  id: string;
  products: Array<CalltouchProduct & { quantity: number }>;
}

export type WireBody = CalltouchSiteEvent | CalltouchOfflineEvent;
