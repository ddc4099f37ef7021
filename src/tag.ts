import { isTransaction, type Contact } from './call/event';
import { describeCall, ecommerceAt } from './call/parse';
import { show, toContact, toEvent } from './call/validate';
import { createClaims } from './deliver/claims';
import { createLedger } from './deliver/once';
import { createOutbox, type Resolve } from './deliver/outbox';
import { createStore } from './deliver/storage';
import { createTransport } from './deliver/transport';
import { toSettings } from './install/config';
import { createLog } from './log';
import { routeToAccount } from './route/accounts';
import { calltouchWait } from './wait/calltouch';
import { findCalltouch } from './wait/calltouch-session';
import { createEsputnikStage } from './wait/esputnik';

/** The whole pipeline behind one global: parse → validate → route → wait → map → outbox. */
export interface TagCore {
  handle(args: unknown[]): unknown;
  flush(): Promise<void>;
}

/** What answers where the tag cannot work: no configuration it can use, or no window (server rendering). */
export const inertCore: TagCore = { handle: () => undefined, flush: () => Promise.resolve() };

const CONTACT = 'contact';

export const createCore = (win: Window, config: unknown, name: string): TagCore => {
  let settings: ReturnType<typeof toSettings>;
  try {
    settings = toSettings(config, win.location.search);
  } catch (failure) {
    console.error(`ecomtag: ${name} is not set up: ${(failure as Error).message}`);
    return inertCore;
  }
  const { note, error } = createLog(name, settings.debug);
  const store = createStore(name, win);
  const claims = createClaims(store, Math.random().toString(36).slice(2, 10));
  const contact = () => store.get<Contact>(CONTACT) || {};
  const session = calltouchWait(win, settings, contact);
  // Bound late: the eSputnik stage posts through the outbox it resolves letters for.
  const wait: Resolve = (letter, unloading, now) => (letter.wait == 'session' ? session : esputnik.resolve)(letter, unloading, now);
  const outbox = createOutbox(store, createTransport(win), claims, note, wait);
  const firstTime = createLedger(store);
  const esputnik = createEsputnikStage(win, settings, store, outbox, contact);

  /** Commands that are not ours belong to Calltouch's script, when it lives under another name. */
  const passThrough = (args: unknown[], label: string) => {
    const calltouch = findCalltouch(win, settings.calltouchGlobal);
    if (calltouch) return calltouch.apply(win, args);
    error(`${label}: unknown command, and no Calltouch script at window.${settings.calltouchGlobal}`);
  };

  /** Merged into what is known; only news reaches eSputnik (stores call this on every page of a logged-in shopper). */
  const setContact = (raw: unknown) => {
    const known = contact();
    const merged = Object.assign({}, known, toContact(raw));
    if (JSON.stringify(merged) === JSON.stringify(known)) return;
    store.set(CONTACT, merged);
    esputnik.identify();
  };

  const handle = (args: unknown[]): unknown => {
    const label = describeCall(name, args);
    try {
      note(label, ...args);
      if (args[0] === 'set_contact') return setContact(args[1]);
      const at = ecommerceAt(args);
      if (at < 0) return passThrough(args, label);
      const account = routeToAccount(settings.accounts, at ? args[0] : undefined);
      const event = toEvent(args[at + 1], args[at + 2], account.esputnik ? settings.esputnikFormat : undefined);
      if (isTransaction(event) && !firstTime(account.key, event.type, event.id)) return note(`sent before: ${event.type} ${event.id}`);
      if (account.calltouch) outbox.add({ url: settings.calltouchEndpoint, keep: isTransaction(event), wait: 'session', account: account.key, event });
      if (account.esputnik) esputnik.send(account.key, account.esputnik.siteId, event);
    } catch (failure) {
      error(`${label}: ${failure instanceof Error ? failure.message : show(failure)}`);
    }
  };

  // Only `pagehide`: a page merely hidden may come back, and one killed while hidden left everything stored
  // for the shopper's next page.
  win.addEventListener('pagehide', () => {
    try {
      outbox.unload();
      claims.leave();
    } catch {
      // Whatever could not be handed over stays stored for the next page.
    }
  });
  outbox.flush();
  return { handle, flush: outbox.flush };
};
