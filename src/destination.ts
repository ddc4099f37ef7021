import type { Contact, EcomEvent } from './call/event';
import type { Outbox, Resolve } from './deliver/outbox';
import type { Store } from './deliver/storage';
import type { Account, Settings } from './install/config';

/**
 * A vendor, as the core sees it. Its requirements, its mapping and its waiting live behind these few members,
 * so that one vendor's needs never cost another its event, and a build can leave a vendor out (destinations.ts).
 */
export interface Destination {
  /**
   * Takes a call that kept SPEC §3's rules, for `account`, after the caller's task, in call order. A call it cannot
   * use throws the reason, which the console line gives after the call: `not sent to eSputnik: products[0].price
   * is required`. `fromDataLayer`: read by the dataLayer bridge, not called by the store.
   */
  receive(account: Account, event: EcomEvent, fromDataLayer: boolean): void;
  /** The contact changed (a new signed identity alone is no change). */
  identify(): void;
  /** The body of one of its letters that wait (outbox.ts): letters name their destination by `wait`. */
  bodyOf: Resolve;
}

/**
 * Starts a destination when the tag starts: it reads its part of the configuration, and throws the reason if it
 * cannot use it (the tag is then not set up). It works on the tag's shared parts, which touch nothing before
 * consent: its storage, the outbox it posts through, and the contact `set_contact` gave so far.
 */
export type StartDestination = (win: Window, settings: Settings, store: Store, outbox: Outbox, contact: () => Contact) => Destination;
