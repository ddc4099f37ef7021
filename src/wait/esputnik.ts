import { isTransaction, type Contact, type EcomEvent } from '../call/event';
import type { Outbox, Resolve } from '../deliver/outbox';
import type { Store } from '../deliver/storage';
import type { Settings } from '../install/config';
import { isOrder, pendingEvents, withContact, type PendingEvent } from '../map/esputnik-event';
import { customerData, trackerBodies } from '../map/esputnik-tracker';
import { json } from '../json';
import { nextCart, type Cart } from '../state/cart';
import { uuid } from '../state/uuid';
import { visitorId } from '../state/visitor';
import type { WireBody } from '../wire';

/**
 * eSputnik's half of delivery. Each call first moves the account's cart, then is mapped against the cart as it
 * stands after the call. Tracker bodies go out at once (the `sc` visitor cookie identifies them); Generate event
 * bodies need a contact to be filed under, so their letters wait in the outbox until `set_contact` gives one.
 */
export interface EsputnikStage {
  /** `account`: the account's key; `siteId`: its eSputnik site. */
  send(account: string, siteId: string, event: EcomEvent): void;
  /** The contact changed: the tracker hears `CustomerData`, waiting events find whose they are. */
  identify(): void;
  /** A waiting Generate event's body, once the contact is known. */
  resolve: Resolve;
}

export const createEsputnikStage = (win: Window, settings: Settings, store: Store, outbox: Outbox, contact: () => Contact): EsputnikStage => {
  const url = settings.esputnikEndpoint;
  const events = settings.esputnikFormat == 'event';
  const post = (body: WireBody, keep: boolean) => outbox.add({ url, body: json(body), keep });
  // Read once per page: reading document.cookie costs as much as a localStorage write, on every tracker event.
  let sc: string | undefined;
  const context = (siteId: string) => ({ siteId, sc: (sc = sc || visitorId(win.document, store)), contact: contact(), now: Date.now() });

  const send = (account: string, siteId: string, event: EcomEvent) => {
    const key = 'cart:' + account;
    let cart = store.get<Cart>(key) || { id: '', lines: [] };
    if (event.type != 'detail' && event.type != 'refund') store.set(key, (cart = nextCart(cart, event, uuid)));
    if (events) for (const pending of pendingEvents(event, cart, settings.currency, Date.now())) outbox.add({ url, keep: isOrder(pending), wait: 'contact', account, event: pending });
    else trackerBodies(event, cart, uuid, context(siteId)).forEach((body) => post(body, isTransaction(event)));
  };

  const identify = () => {
    if (events) return void outbox.flush();
    for (const account of settings.accounts) if (account.esputnik) post(customerData(context(account.esputnik.siteId)), false);
  };

  const resolve: Resolve = (letter) => {
    const body = withContact(letter.event as PendingEvent, contact());
    return body ? json(body) : Infinity;
  };

  return { send, identify, resolve };
};
