import type { CalltouchSiteEvent, EsputnikEvent, EsputnikTrackerEvent } from '../../src/wire';
import type { CollectorRecord } from './recorder.mjs';

/**
 * A body as a test reads it before knowing which service it went to: the fields of every wire format (src/wire.ts),
 * each optional. Calltouch's offline format is a subset of its site format.
 */
export type AnyBody = Partial<CalltouchSiteEvent> & Partial<EsputnikTrackerEvent> & Partial<EsputnikEvent>;

/**
 * What a Calltouch or tracker arrival is, in a form a test's expectations can list: `calltouch purchase A-3`,
 * `calltouch addToCart A-1-p`, `tracker ProductPage A-1-p`, `tracker StatusCart A-1,A-2`.
 */
export const identity = (record: CollectorRecord): string => {
  const body = record.body as AnyBody;
  if (record.service === 'calltouch') return `calltouch ${body.eventType} ${body.id ?? body.products!.map((p) => p.id).join(',')}`;
  const what = body.ProductPage?.Product.productKey ?? body.PurchasedItems?.OrderNumber ?? body.StatusCart!.Products.map((p) => p.productKey).join(',');
  return `tracker ${body.GeneralInfo!.eventName} ${what}`;
};
