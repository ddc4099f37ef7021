import { isTransaction } from '../call/event';
import type { StartDestination } from '../destination';
import { json } from '../json';
import type { WireBody } from '../wire';
import { nextCart, type Cart } from './cart';
import { pendingEvents, withContact, type PendingEvent } from './event';
import { requireEsputnik } from './requirements';
import { customerData, trackerBodies } from './tracker';
import { uuid } from './uuid';
import { visitorId } from './visitor';

/**
 * eSputnik, for accounts that name an eSputnik site. Each call it can use first moves the account's cart, then
 * is mapped against the cart as it stands after the call. Tracker bodies go out at once (the `sc` visitor cookie
 * identifies them); Generate event bodies need a contact to be filed under, so their letters wait in the outbox
 * until `set_contact` gives one, and take the contact (and its signed identity) known when they are sent.
 */
export const startEsputnik: StartDestination = (win, settings, store, outbox, contact) => {
  const url = settings.esputnikEndpoint;
  const events = settings.esputnikFormat == 'event';
  const post = (body: WireBody, keep?: boolean) => outbox.add({ url, body: json(body), keep });
  // Read once per page: reading document.cookie costs as much as a localStorage write, on every tracker event.
  let sc: string | undefined;
  const context = (siteId: string) => ({ siteId, sc: (sc = sc || visitorId(win.document, store)), contact: contact(), now: Date.now() });

  return {
    receive: (account, event) => {
      if (!account.esputnik) return;
      requireEsputnik(event);
      const key = 'cart:' + account.key;
      let cart = store.get<Cart>(key) || { id: '', lines: [] };
      if (event.type != 'detail' && event.type != 'refund') store.set(key, (cart = nextCart(cart, event, uuid, !events)));
      // A purchase's or a refund's events are never evicted from a full outbox to make room.
      const keep = isTransaction(event);
      if (events) for (const pending of pendingEvents(event, cart, settings, Date.now())) outbox.add({ url, keep, wait: 'contact', account: account.key, event: pending });
      else for (const body of trackerBodies(event, cart, context(account.esputnik.siteId))) post(body, keep);
    },

    // The tracker hears CustomerData; events waiting for a contact find whose they are.
    identify: () => {
      if (events) return void outbox.flush();
      for (const account of settings.accounts) if (account.esputnik) post(customerData(context(account.esputnik.siteId)));
    },

    bodyOf: (letter) => {
      const body = withContact(letter.event as PendingEvent, contact());
      return body ? json(body) : Infinity;
    },
  };
};
