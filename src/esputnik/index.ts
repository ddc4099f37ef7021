import { isTransaction } from '../call/event';
import { fail, matching, toCurrency, toText, type Convert } from '../call/validate';
import type { StartDestination } from '../destination';
import { falseOr } from '../install/config';
import { json } from '../json';
import { storeTime } from '../time';
import type { WireBody } from '../wire';
import { nextCart, type Cart } from './cart';
import { pendingEvents, withContact, type PendingEvent } from './event';
import { requireEsputnik } from './requirements';
import { customerData, trackerBodies } from './tracker';
import { uuid } from './uuid';
import { visitorId } from './visitor';

/**
 * A zone this browser knows by its IANA name: writing a date in any other throws, and the browser's reason
 * names it ("Invalid time zone specified: Europe/Moskva").
 */
const toTimeZone: Convert<string> = (zone) => storeTime(0, zone as string) && (zone as string);

/**
 * eSputnik, for accounts that name an eSputnik site. Each call it can use first moves the account's cart, then
 * is mapped against the cart as it stands after the call. Tracker bodies go out at once (the `sc` visitor cookie
 * identifies them); Generate event bodies need a contact to be filed under, so their letters wait in the outbox
 * until `set_contact` gives one, and take the contact (and its signed identity) known when they are sent.
 */
export const startEsputnik: StartDestination = (win, { accounts, read }, store, outbox, contact) => {
  // 'event': Generate event v2 bodies for the store's relay; 'tracker': eSputnik's browser-safe tracker API.
  const events = read('esputnik.format', 'tracker', matching(/^(tracker|event)$/, "'tracker' or 'event'")) == 'event';
  // Generate event v2 needs the API key, which only the store's relay may hold: that format has no public default.
  const url = read('esputnik.endpoint', events ? '' : 'https://tracker.esputnik.com/api/v2', toText) || fail("esputnik.endpoint (the relay's URL) is required in 'event' format");
  const locale = { currency: read('currency', 'RUB', toCurrency), timeZone: read('timeZone', 'Europe/Moscow', toTimeZone) };
  /** Per account key: the eSputnik site it sends to, if any. */
  const sites: Record<string, string | false> = {};
  for (const { key, read } of accounts)
    sites[key] = read('esputnik', false, falseOr((_, at) => read('esputnik.siteId', '', toText) || fail(at + '.siteId is required'), 'false or {siteId}'));

  const post = (body: WireBody, keep?: boolean) => outbox.add({ url, body: json(body), keep });
  // Read once per page: reading document.cookie costs as much as a localStorage write, on every tracker event.
  let sc: string | undefined;
  const context = (siteId: string) => ({ siteId, sc: (sc = sc || visitorId(win.document, store)), contact: contact(), now: Date.now() });

  return {
    receive: (account, event) => {
      const siteId = sites[account.key];
      if (!siteId) return;
      requireEsputnik(event);
      const key = 'cart:' + account.key;
      let cart = store.get<Cart>(key) || { id: '', lines: [] };
      if (event.type != 'detail' && event.type != 'refund') store.set(key, (cart = nextCart(cart, event, uuid, !events)));
      // A purchase's or a refund's events are never evicted from a full outbox to make room.
      const keep = isTransaction(event);
      if (events) for (const pending of pendingEvents(event, cart, locale, Date.now())) outbox.add({ url, keep, wait: 'contact', account: account.key, event: pending });
      else for (const body of trackerBodies(event, cart, context(siteId))) post(body, keep);
    },

    // The tracker hears CustomerData; events waiting for a contact find whose they are at the outbox's next look,
    // once the calls are taken.
    identify: () => {
      if (!events) for (const { key } of accounts) if (sites[key]) post(customerData(context(sites[key] as string)));
    },

    bodyOf: (letter) => {
      const body = withContact(letter.event as PendingEvent, contact());
      return body ? json(body) : Infinity;
    },
  };
};
