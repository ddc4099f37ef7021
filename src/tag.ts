import { bridgeDataLayer } from './bridge/datalayer';
import { isTransaction, type Contact } from './call/event';
import { describeCall, ecommerceAt } from './call/parse';
import { bad, show, toContact, toEvent } from './call/validate';
import { createClaims } from './deliver/claims';
import { createLedger } from './deliver/once';
import { createOutbox } from './deliver/outbox';
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

/**
 * The part of the tag that touches storage and the network, started once consent allows. `handle` takes a
 * `send_ecommerce` or `set_contact` call and hands each destination what it can take; `refused` gets the
 * reason of each destination that cannot use a call.
 */
const startPipeline = (win: Window, settings: Settings, name: string, log: Log) => {
  const store = createStore(name, win);
  const claims = createClaims(store, Math.random().toString(36).slice(2, 10));
  const contact = () => store.get<Contact>('contact') || {};
  const destinations: Record<string, Destination> = {};
  // A letter that waits names its destination, which makes its body once it can.
  const outbox = createOutbox(store, createTransport(win), claims, log, (letter, ...now) => destinations[letter.wait!].bodyOf(letter, ...now));
  for (const wait in DESTINATIONS) destinations[wait] = DESTINATIONS[wait](win, settings, store, outbox, contact);
  const firstTime = createLedger(store);

  // Only `pagehide`: a page merely hidden may come back, and one killed while hidden left everything stored
  // for the shopper's next page. `pageshow` brings a page back from the back/forward cache.
  const away = (gone: boolean) => () => {
    try {
      outbox.unload(gone);
      claims.leave(gone);
    } catch {
      // Whatever could not be handed over stays stored for the next page.
    }
  };
  win.addEventListener('pagehide', away(true));
  win.addEventListener('pageshow', away(false));
  outbox.flush();

  const handle = (args: unknown[], fromDataLayer: boolean, refused: (reason: unknown) => void) => {
    if (args[0] == 'set_contact') {
      // Merged into what is known (a new identity replaces the old); only news reaches the destinations, as
      // stores call this on every page of a logged-in shopper, and an identity alone is none.
      const known = contact();
      const merged = Object.assign({}, known, toContact(args[1]));
      if (json(merged) == json(known)) return;
      store.set('contact', merged);
      if (json(Object.assign({}, merged, { identity: known.identity })) != json(known))
        for (const wait in destinations) destinations[wait].identify();
      return;
    }
    const at = ecommerceAt(args);
    const account = routeToAccount(settings.accounts, at ? args[0] : undefined);
    const event = toEvent(args[at + 1], args[at + 2]);
    if (isTransaction(event) && !firstTime(account.key, event)) return log.note(`sent before: ${event.type} ${event.id}`);
    // Each destination takes what it can: one that cannot use the call costs no other its event.
    for (const wait in destinations)
      try {
        destinations[wait].receive(account, event, fromDataLayer);
      } catch (failure) {
        refused(failure);
      }
  };
  return { handle, flush: outbox.flush };
};

export const createCore = (win: Window, config: unknown, name: string): TagCore => {
  let settings: Settings;
  try {
    settings = toSettings(config, win.location.search);
  } catch (failure) {
    console.error(`ecomtag: ${name} is not set up: ${(failure as Error).message}`);
    return inertCore;
  }
  const log = createLog(name, settings.debug);
  const { note, error } = log;
  let consent = settings.consent;
  let pipeline: ReturnType<typeof startPipeline> | undefined;
  /** Calls made while consent is pending, in memory only, with their labels. */
  let held: Array<[unknown[], string | undefined]> = [];

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
        consent = args[1] == 'granted' || args[1] == 'denied' ? (args[1] as Consent) : bad('consent', "'granted' or 'denied'", args[1]);
        const calls = consent == 'granted' ? held : [];
        held = [];
        return calls.forEach((call) => handle(...call));
      }
      if (args[0] != 'set_contact' && ecommerceAt(args) < 0) {
        // Commands that are not ours belong to Calltouch's script, when it lives under another name.
        const calltouch = findCalltouch(win, settings.calltouchGlobal);
        return calltouch ? calltouch.apply(win, args) : error(`${line()}: unknown command, and no Calltouch script at window.${settings.calltouchGlobal}`);
      }
      if (consent == 'pending') return void held.push([args, label]);
      if (consent == 'denied') return note('not sent: consent denied');
      (pipeline = pipeline || startPipeline(win, settings, name, log)).handle(args, !!label, explain);
    } catch (failure) {
      explain(failure);
    }
  };

  if (consent == 'granted') pipeline = startPipeline(win, settings, name, log);
  if (settings.dataLayer) bridgeDataLayer(win, settings.dataLayer, (method, params) => handle(['send_ecommerce', method, params], `${settings.dataLayer} ${method}`));
  return { handle, flush: () => (pipeline ? pipeline.flush() : Promise.resolve()) };
};
