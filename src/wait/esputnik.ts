import type { Contact, EcomEvent } from '../call/event';
import type { Outbox } from '../deliver/outbox';
import type { Store } from '../deliver/storage';
import type { Settings } from '../install/config';
import { isOrder, pendingEvents, withContact, type PendingEvent } from '../map/esputnik-event';
import { customerData, trackerBodies } from '../map/esputnik-tracker';
import { nextCart, type Cart } from '../state/cart';
import { uuid } from '../state/uuid';
import { visitorId } from '../state/visitor';
import type { WireBody } from '../wire';
import { isTransaction, type Parking } from './parking';

/**
 * eSputnik's half of delivery. Each call first moves the account's cart, then is mapped against the cart as it
 * stands after the call. Tracker bodies go out at once (the `sc` visitor cookie identifies them); Generate event
 * bodies need a contact to be filed under, so they wait in the parking until `set_contact` gives one.
 */
export interface EsputnikStage {
  /** `account`: the account's key; `siteId`: its eSputnik site. */
  send(account: string, siteId: string, event: EcomEvent): void;
  /** The contact changed: the tracker hears `CustomerData`, waiting events find whose they are. */
  identify(): void;
}

/** Longer than an adopted waiting event takes to settle (claims.ts). */
const ADOPTION_MS = 1100;

export const createEsputnikStage = (win: Window, settings: Settings, store: Store, outbox: Outbox, parking: Parking<PendingEvent>, contact: () => Contact): EsputnikStage => {
  const events = settings.esputnikFormat === 'event';
  const post = (body: WireBody, keep: boolean) => outbox.add(settings.esputnikEndpoint, JSON.stringify(body), keep);
  const context = (siteId: string) => ({ siteId, sc: visitorId(win.document, store), contact: contact(), now: Date.now() });

  const release = () => {
    const known = contact();
    parking.review((item) => {
      const body = withContact(item.event, known);
      if (body) post(body, isOrder(item.event));
      return !!body;
    });
  };

  const send = (account: string, siteId: string, event: EcomEvent) => {
    const key = 'cart:' + account;
    let cart = store.get<Cart>(key) || { id: uuid(), lines: [] };
    if (event.type !== 'detail' && event.type !== 'refund') store.set(key, (cart = nextCart(cart, event, uuid)));
    if (!events) return trackerBodies(event, cart, uuid(), context(siteId)).forEach((body) => post(body, isTransaction(event)));
    // Parked even with a contact at hand: behind whatever of this page still waits, in call order.
    for (const pending of pendingEvents(event, cart, settings.currency, Date.now())) parking.park(account, pending);
    release();
  };

  const identify = () => {
    if (events) return release();
    for (const account of settings.accounts) if (account.esputnik) post(customerData(context(account.esputnik.siteId)), false);
  };

  // What earlier pages left waiting: this page's own at once, what it adopts once that has settled.
  if (events && parking.has()) {
    release();
    setTimeout(release, ADOPTION_MS);
  }
  return { send, identify };
};
