/**
 * Contacts before orders (seed 001): eSputnik keeps an order sent through Generate event only for a contact it
 * already has. Before a verified contact's first order (or the back office's first order event that may create an
 * order) the relay adds (or updates) that contact with Add/update a contact, and remembers for a while that it did,
 * so later orders go straight through.
 */
import type { EsputnikContact } from '../../wire';
import { subjectText, type Channels, type Subject } from '../events/contact';
import { createMemory } from '../memory';
import type { Esputnik, Outcome } from './esputnik';

/** A day: long enough that a shopper's orders cost one contact call, short enough that a deleted contact comes back. */
export const CONTACT_MEMORY_MS = 24 * 3600 * 1000;
/** About 1 MB. */
export const CONTACT_MEMORY_ENTRIES = 10_000;

/** Add/update a contact's body; the back office, which knows the whole contact, names it too (`firstName`). */
export type ContactBody = EsputnikContact & { firstName?: string };

/**
 * The contact as eSputnik's API takes it: the channels the identity verified — `{type: 'email'}` and `{type: 'sms'}`
 * with international digits — and the externalCustomerId it names. eSputnik adds no contact without a channel, so an
 * externalCustomerId alone gives none (null): the event goes to the contact eSputnik may have.
 */
export const contactFor = (subject: Subject, channels: Channels = {}): EsputnikContact | null => {
  const all: Channels = { ...channels, ...(subject.kind === 'ext' ? {} : { [subject.kind]: subject.value }) };
  const contact: EsputnikContact = { channels: [] };
  if (all.email) contact.channels.push({ type: 'email', value: all.email });
  if (all.phone) contact.channels.push({ type: 'sms', value: all.phone });
  if (subject.kind === 'ext') contact.externalCustomerId = subject.value;
  return contact.channels.length ? contact : null;
};

/** The contact call's outcome, or null when the contact is known to be there already, or cannot be added. */
export type Ensured = Outcome | null;

/** Whether the order may go: retryable failures (429, 5xx) hold it; eSputnik refusing the contact does not. */
export const holdsOrder = (outcome: Outcome): boolean => outcome.status === 429 || outcome.status >= 500;

export const createContactBook = (esputnik: Esputnik) => {
  const added = createMemory<true>({ ttlMs: CONTACT_MEMORY_MS, maxEntries: CONTACT_MEMORY_ENTRIES });
  // Two orders of one contact at once make one call.
  const pending = new Map<string, Promise<Outcome>>();
  // A body beyond the one channel (the back office's whole contact) is remembered as itself: what it adds (a phone, a
  // name) reaches eSputnik once, even for a contact a page's order added before.
  const keyOf = (subject: Subject, body?: ContactBody) => (body === undefined ? subjectText(subject) : `${subjectText(subject)}\n${JSON.stringify(body)}`);
  return {
    /** True too for a contact there is no channel to add it by: nothing to ask eSputnik. */
    known: (subject: Subject, now: number, body?: ContactBody): boolean => !(body ?? contactFor(subject)) || added.get(keyOf(subject, body), now) === true,
    /**
     * `body`: the contact as sent, by default the channel `subject` names; a contact with no channel to add it by
     * (an externalCustomerId alone) is not asked for.
     */
    async ensure(subject: Subject, now: number, body?: ContactBody): Promise<Ensured> {
      const key = keyOf(subject, body);
      const sent = body ?? contactFor(subject);
      if (!sent || added.get(key, now)) return null;
      let call = pending.get(key);
      if (!call) {
        call = esputnik.saveContact(sent).finally(() => pending.delete(key));
        pending.set(key, call);
      }
      const outcome = await call;
      // Refused for good (400): asking again for every order would not change eSputnik's mind.
      if (!holdsOrder(outcome)) added.set(key, true, now);
      return outcome;
    },
    size: () => added.size(),
  };
};

export type ContactBook = ReturnType<typeof createContactBook>;
