import { bridgeDataLayer } from './bridge/datalayer';
import { isTransaction, type Contact } from './call/event';
import { describeCall, ecommerceAt } from './call/parse';
import { matching, show, toContact, toEvent } from './call/validate';
import { createClaims } from './deliver/claims';
import { createLedger } from './deliver/once';
import { createOutbox, type Outbox } from './deliver/outbox';
import { createStore } from './deliver/storage';
import { createTransport } from './deliver/transport';
import type { Destination } from './destination';
import { DESTINATIONS } from './destinations';
import { findCalltouch } from './calltouch/session';
import { toSettings, type Consent, type Settings } from './install/config';
import { json } from './json';
import { createLog, type Log } from './log';
import { routeToAccount } from './route/accounts';

/** The whole pipeline behind one global: consent → parse → validate → route → each destination → outbox. */
export interface TagCore {
  /** `label` names a call that did not come from the store's code (the dataLayer) in console lines. */
  handle(args: unknown[], label?: string): unknown;
  flush(): Promise<void>;
}

/** What answers where the tag cannot work: no configuration it can use, or no window (server rendering). */
export const inertCore: TagCore = { handle: () => undefined, flush: () => Promise.resolve() };

/** The longest the work behind calls runs in one task: a backlog is done in slices, and the page stays responsive. */
const SLICE_MS = 5;

/**
 * A call is checked in the caller's task: parsed, validated against SPEC §3's rules and routed. The work behind it
 * is left for later (SPEC §7): in call order, in tasks of its own of at most SLICE_MS, each destination takes
 * what it can of it, and tells `explain` why it cannot use the rest. Whatever is still to do is done at once when
 * the page is hidden (mobile browsers kill hidden pages without `pagehide`) or goes. Nothing touches storage
 * before consent: until then the work waits in memory, and a refusal drops it.
 */
export const createCore = (win: Window, config: unknown, name: string): TagCore => {
  const store = createStore(name, win);
  const claims = createClaims(store, ('' + Math.random()).slice(2, 10));
  const contact = () => store.get<Contact>('contact') || {};
  const destinations: Record<string, Destination> = {};
  let settings: Settings;
  let log: Log;
  let outbox: Outbox;
  try {
    settings = toSettings(config, win.location.search);
    log = createLog(name, settings.debug);
    // A letter that waits names its destination, which makes its body once it can.
    outbox = createOutbox(store, createTransport(win), claims, log, (letter, ...now) => destinations[letter.wait!].bodyOf(letter, ...now));
    for (const wait in DESTINATIONS) destinations[wait] = DESTINATIONS[wait](win, settings, store, outbox, contact);
  } catch (failure) {
    console.error(`ecomtag: ${name} is not set up: ${(failure as Error).message}`);
    return inertCore;
  }
  const { note, error } = log;
  const firstTime = createLedger(store);
  let consent = settings.consent;

  /** The work behind the calls taken so far, in call order, each with what explains its failure. */
  const backlog: Array<[() => void, (failure: unknown) => void]> = [];
  /** After `pagehide`: the page may still call the tag (another listener), but no later task will come. */
  let gone = false;
  /** Does the backlog until `until` (Date.now()), writing each record it changes once, and leaves the rest for another task. */
  const work = (until: number) => {
    if (consent != 'granted') return;
    store.batch(() => {
      for (let next; Date.now() < until && (next = backlog.shift()); )
        try {
          next[0]();
        } catch (failure) {
          next[1](failure);
        }
    });
    // Letters go once every call before them is taken: a contact given in the same task as a call rides on it
    // (bodies are made when sent), however the work was sliced.
    if (backlog[0]) later();
    else if (!gone) outbox.flush();
  };
  const catchUp = () => work(Infinity);
  /**
   * A slice in a task of its own. After a click or a key, Chromium paints before it runs timers, so the work
   * behind a call made from an event handler comes after the frame that answers the shopper.
   */
  const later = () => setTimeout(() => work(Date.now() + SLICE_MS));
  const take = (job: () => void, explain: (failure: unknown) => void) => {
    if (backlog.push([job, explain]) < 2) later();
    if (gone) catchUp();
  };

  /**
   * Acts on the page's `type` events once consent allows, never throwing into the page: what could not be done
   * stays stored for the next page.
   */
  const on = (target: EventTarget, type: string, act: (event: Event) => void) =>
    target.addEventListener(type, (event) => {
      try {
        if (consent == 'granted') act(event);
      } catch {
        // Stored, or in memory, as it was.
      }
    });
  // Heard whatever the consent: it only tells the store to read again, once it may.
  win.addEventListener('storage', store.hear);
  // Hidden or shown: at worst it does early what was due anyway. A page is always hidden before it is frozen.
  on(win.document, 'visibilitychange', catchUp);
  // Only `pagehide` hands letters over: a page merely hidden may come back, and one killed while hidden left
  // everything stored for the shopper's next page. `pageshow` brings a page back from the back/forward cache,
  // where it heard nothing other tabs wrote. Either way the page goes on from storage as it stands.
  for (const going of [true, false])
    on(win, going ? 'pagehide' : 'pageshow', () => {
      // Shown again after it went: back from the back/forward cache.
      if (going || gone) store.read();
      gone = going;
      catchUp();
      outbox.unload(going);
      claims.leave(going);
    });
  // What earlier pages left goes at the first look, before this page's letters (the outbox goes in key order).
  later();

  const handle = (args: unknown[], label?: string): unknown => {
    // Named only for a console line: most calls never need it.
    const line = () => label || describeCall(name, args);
    /** One console line: the call, then why it went nowhere, or not to one destination. */
    const explain = (failure: unknown) => {
      let reason: string = typeof failure;
      try {
        // The store's getters and proxies may throw values that throw again when looked at.
        reason = failure instanceof Error ? '' + failure.message : show(failure);
      } catch {
        // The type is all that can be said.
      }
      error(`${line()}: ${reason}`);
    };
    try {
      if (settings.debug) note(line(), ...args);
      if (args[0] == 'consent') {
        consent = matching(/^(granted|denied)$/, "'granted' or 'denied'")(args[1], 'consent') as Consent;
        if (consent == 'denied') backlog.length = 0;
        return later();
      }
      const at = ecommerceAt(args);
      if (args[0] != 'set_contact' && at < 0) {
        // Commands that are not ours belong to Calltouch's script, when it lives under another name.
        const calltouch = findCalltouch(win, settings.calltouchGlobal);
        return calltouch ? calltouch.apply(win, args) : error(`${line()}: unknown command, and no Calltouch script at window.${settings.calltouchGlobal}`);
      }
      if (consent == 'denied') return;
      if (args[0] == 'set_contact') {
        const given = toContact(args[1]);
        // Merged into what is known (a new identity replaces the old); only news reaches the destinations, as
        // stores call this on every page of a logged-in shopper, and an identity alone is none.
        return take(() => {
          const known = contact();
          const merged = Object.assign({}, known, given);
          if (json(merged) == json(known)) return;
          store.set('contact', merged);
          if (json(Object.assign({}, merged, { identity: known.identity })) != json(known)) for (const wait in destinations) destinations[wait].identify();
        }, explain);
      }
      const account = routeToAccount(settings.accounts, at ? args[0] : undefined);
      const event = toEvent(args[at + 1], args[at + 2]);
      take(() => {
        if (isTransaction(event) && !firstTime(account.key, event)) return note('sent before', event);
        // Each destination takes what it can: one that cannot use the call costs no other its event.
        for (const wait in destinations)
          try {
            destinations[wait].receive(account, event, !!label);
          } catch (failure) {
            explain(failure);
          }
      }, explain);
    } catch (failure) {
      explain(failure);
    }
  };

  if (settings.dataLayer) bridgeDataLayer(win, settings.dataLayer, (method, params) => handle(['send_ecommerce', method, params], `${settings.dataLayer} ${method}`));
  return {
    handle,
    flush: () => {
      catchUp();
      return consent == 'granted' ? outbox.flush() : Promise.resolve();
    },
  };
};
