/**
 * The browser lane: what the store's pages post (the tag's `event` format). Site activity and the shopper's own
 * orders, for the contact the store's server signed, and nothing that changes an order after it was placed: that
 * comes from the back office (issue 15). The checks run in the order of their cost: headers, then the body, then the
 * identity, then eSputnik.
 */
import { json, type RequestEntry } from '../answer';
import { acceptsMediaType, BODY_LIMIT_BYTES, readUpTo, withoutBom } from '../body';
import { rateKey } from '../client';
import { CONTACT_PARAM, normalContact, subjectText, type Subject } from '../events/contact';
import type { ItemHosts } from '../events/items';
import { checkEvent, type Checked, type KnownEventType } from '../events/rules';
import { dateTimeMs, isObject } from '../events/shapes';
import type { Verdict } from '../identity';
import type { Memory } from '../memory';
import type { RateLimiter } from '../rate-limit';
import { holdsOrder, type ContactBook } from '../upstream/contacts';
import { clampRetryAfter, type Esputnik } from '../upstream/esputnik';
import type { Admission, Gate } from '../upstream/gate';
import { corsHeaders, preflightHeaders } from './cors';

/** What a page may send: site activity, and its shopper's order and its full refund. */
export const BROWSER_EVENTS: readonly KnownEventType[] = ['productViewed', 'cartUpdated', 'orderCreated', 'orderCancelled'];
/** Changes to an order after it was placed: never from a page, whatever RELAY_EVENTS says. */
export const BACK_OFFICE_EVENTS: readonly KnownEventType[] = ['orderUpdated', 'orderDelivered'];
/** What RELAY_UNSIGNED_ACTIVITY lets through without an identity: what eSputnik's keyless tracker takes too. */
export const UNSIGNED_EVENTS: readonly KnownEventType[] = ['productViewed', 'cartUpdated'];

/**
 * A page's order is dated by the tag when it is placed (in the store's zone, without an offset): it reaches the
 * relay at once, or from the outbox, which keeps a letter up to 7 days. So not before 8 days ago, and not more than
 * a day ahead (the zones).
 */
const ORDER_DATE_PAST_MS = 8 * 24 * 3600 * 1000;
const ORDER_DATE_FUTURE_MS = 24 * 3600 * 1000;

/** Reasons a 400 lists at most; a 20 KB body can break a rule thousands of times. */
const LISTED_ERRORS = 20;

export interface BrowserLaneSettings {
  origins: ReadonlySet<string>;
  events: readonly KnownEventType[];
  unsignedActivity: boolean;
  /** null without RELAY_IDENTITY_SECRET: every event that needs an identity is refused. */
  verify: ((identity: unknown, nowSeconds: number) => Promise<Verdict>) | null;
  itemHosts: ItemHosts;
  clients: RateLimiter | null;
  contacts: RateLimiter | null;
}

/** What the lanes share: eSputnik, the contacts added to it, which contact placed which order, the gate, the clock. */
export interface LaneContext {
  esputnik: Esputnik;
  contactBook: ContactBook;
  orderOwners: Memory<string>;
  gate: Gate;
  /** Retry-After (seconds) for a retryable failure that names none. */
  retryAfterSeconds: number;
  /** Milliseconds, monotonic: rate limits and memories. */
  now: () => number;
}

export type Lane = (request: Request, client: string, entry: RequestEntry) => Promise<Response>;

/** The order rules a page's order must meet beyond eSputnik's own. */
const pageOrderErrors = (checked: Checked): string[] => {
  if (checked.eventTypeKey !== 'orderCreated') return [];
  const errors: string[] = [];
  // DELIVERED counts toward eSputnik's revenue and RFM reports: only the store's back office knows an order was delivered.
  if (checked.values.get('status') !== 'INITIALIZED') errors.push('param status must be INITIALIZED for an order from a page');
  const date = dateTimeMs(checked.values.get('date') ?? '');
  const now = Date.now();
  if (date === null || date < now - ORDER_DATE_PAST_MS || date > now + ORDER_DATE_FUTURE_MS) {
    errors.push('param date must lie between 8 days ago and a day from now');
  }
  return errors;
};

/**
 * The contact an unsigned event names: its contact params, all of the kind and value keyValue names. null when they
 * disagree or name none.
 */
const claimedSubject = (checked: Checked): Subject | null => {
  const [first] = checked.contacts;
  if (!first || first.kind === null || first.value === null) return null;
  return { kind: first.kind, value: first.value };
};

/** Whether every contact the event names is the subject: keyValue, and every param eSputnik could read a contact from. */
const namesOnly = (checked: Checked, subject: Subject): boolean =>
  (checked.keyValue === null || normalContact(subject.kind, checked.keyValue) === subject.value) &&
  checked.contacts.every((contact) => contact.name === CONTACT_PARAM[subject.kind] && contact.value === subject.value);

export const createBrowserLane = (settings: BrowserLaneSettings, context: LaneContext): Lane => {
  const decoder = new TextDecoder('utf-8', { fatal: true });

  return async (request, client, entry) => {
    const origin = request.headers.get('Origin');
    const allowed = origin !== null && settings.origins.has(origin);
    // A page under `Referrer-Policy: no-referrer` posts its pagehide beacon with `Origin: null`; Sec-Fetch-Site is the
    // browser's to write, and says the page is the relay's own site. (Its answer is not read: no CORS headers.)
    const sameSite = origin === 'null' && request.headers.get('Sec-Fetch-Site') === 'same-origin';
    // Vary on every answer: a cache must not hand one origin's answer to another.
    const cors = allowed ? corsHeaders(origin) : { Vary: 'Origin' };
    const refuse = (status: number, reason: string, error = reason, headers: Record<string, string> = {}) => {
      entry.reason = reason;
      return json(status, { errors: [error] }, { ...cors, ...headers });
    };
    const refuseBy = (admission: Exclude<Admission, { ok: true }>) =>
      refuse(admission.status, admission.reason, admission.error, { 'Retry-After': String(admission.retryAfterSeconds) });

    if (request.method === 'OPTIONS') {
      if (!allowed) return refuse(403, origin === null ? 'no Origin header' : 'origin not allowed', originError(origin));
      return new Response(null, { status: 204, headers: { ...preflightHeaders(origin), Allow: 'POST, OPTIONS' } });
    }
    if (request.method !== 'POST') return refuse(405, 'method not allowed', 'only POST is accepted', { Allow: 'POST, OPTIONS' });
    if (!allowed && !sameSite) return refuse(403, origin === null ? 'no Origin header' : 'origin not allowed', originError(origin));

    const clientVerdict = settings.clients?.take(rateKey(client), context.now());
    if (clientVerdict && !clientVerdict.ok) {
      const seconds = clampRetryAfter(clientVerdict.retryAfterSeconds);
      return refuse(429, 'rate limited', `too many requests; retry in ${seconds} s`, { 'Retry-After': String(seconds) });
    }
    if (!acceptsMediaType(request.headers.get('Content-Type'))) {
      return refuse(415, 'unsupported media type', 'Content-Type must be application/json or text/plain (UTF-8)');
    }
    const tooLarge = () => refuse(413, `body over ${BODY_LIMIT_BYTES} bytes`, `the body must be at most ${BODY_LIMIT_BYTES} bytes`);
    if (Number(request.headers.get('Content-Length')) > BODY_LIMIT_BYTES) return tooLarge();
    let read;
    try {
      read = await readUpTo(request.body, BODY_LIMIT_BYTES);
    } catch {
      return refuse(400, 'the body could not be read');
    }
    if (read.more) return tooLarge();
    let body: unknown;
    try {
      body = JSON.parse(decoder.decode(withoutBom(read.bytes)));
    } catch (error) {
      // The parser's own message quotes the body; it stays out of the answer and the log.
      return refuse(400, error instanceof SyntaxError ? 'the body is not JSON' : 'the body is not UTF-8');
    }

    const checked = checkEvent(body, { accepted: settings.events, itemHosts: settings.itemHosts });
    entry.eventTypeKey = checked.eventTypeKey;
    // Only a type this lane takes: any other is answered 400 below, identity or not.
    const type = checked.eventTypeKey !== null && settings.events.includes(checked.eventTypeKey) ? checked.eventTypeKey : null;

    // Whose event it is: the identity the store signed, or (for activity, where the store allows it) what it claims.
    // Checked before the event's own rules, so an anonymous caller learns nothing from them.
    const identity = isObject(body) ? body.identity : undefined;
    const unsigned = identity === undefined && settings.unsignedActivity && type !== null && UNSIGNED_EVENTS.includes(type);
    let signedFor: Subject | null = null;
    if (type !== null && !unsigned) {
      if (!settings.verify) return refuse(403, 'identity cannot be checked: the relay has no RELAY_IDENTITY_SECRET');
      if (identity === undefined) return refuse(403, 'identity is missing');
      const verdict = await settings.verify(identity, Math.floor(Date.now() / 1000));
      if (!verdict.ok) return refuse(403, verdict.reason);
      signedFor = verdict.subject;
    }

    const errors = checked.errors.length > 0 ? checked.errors : pageOrderErrors(checked);
    if (errors.length > 0) {
      const listed = errors.slice(0, LISTED_ERRORS);
      if (errors.length > LISTED_ERRORS) listed.push(`and ${errors.length - LISTED_ERRORS} more`);
      entry.reason = listed.join('; ').slice(0, 1000);
      return json(400, { errors: listed }, cors);
    }
    const event = checked.event!;
    let subject: Subject;
    if (signedFor) {
      subject = signedFor;
      if (!namesOnly(checked, subject)) return refuse(403, "the event's contact is not the identity's");
    } else {
      const claimed = claimedSubject(checked);
      if (!claimed) return refuse(403, 'the event names its contact by no contact param');
      if (!namesOnly(checked, claimed)) return refuse(403, "the event's contact params disagree");
      subject = claimed;
    }
    const sub = subjectText(subject);
    event.keyValue = subject.value;

    const contactVerdict = settings.contacts?.take(sub, context.now());
    if (contactVerdict && !contactVerdict.ok) {
      const seconds = clampRetryAfter(contactVerdict.retryAfterSeconds);
      return refuse(429, 'contact rate limited', `too many events for this contact; retry in ${seconds} s`, { 'Retry-After': String(seconds) });
    }
    const orderId = checked.values.get('externalOrderId');
    if (type === 'orderCancelled' && orderId !== undefined) {
      const owner = context.orderOwners.get(orderId, context.now());
      if (owner !== undefined && owner !== sub) return refuse(403, 'the order belongs to another contact');
    }

    const notes = [...checked.notes];
    const entered = context.gate.enter();
    if (!entered.ok) return refuseBy(entered);
    try {
      if (type === 'orderCreated' && !context.contactBook.known(subject, context.now())) {
        const taken = context.gate.take(context.now());
        if (!taken.ok) return refuseBy(taken);
        const contact = await context.contactBook.ensure(subject, context.now());
        if (contact) entry.contactUpstream = contact.upstream;
        if (contact && holdsOrder(contact)) {
          entry.loud = contact.loud === true;
          const seconds = clampRetryAfter(contact.retryAfterSeconds ?? context.retryAfterSeconds);
          return refuse(503, `the contact could not be added: ${contact.reason}`, 'eSputnik could not add the contact; retry later', { 'Retry-After': String(seconds) });
        }
        if (contact && contact.status !== 200) notes.push(`the contact was not added (${contact.reason}); the order goes to the contact eSputnik may have`);
      }
      const taken = context.gate.take(context.now());
      if (!taken.ok) return refuseBy(taken);
      const result = await context.esputnik.sendEvent(event);
      entry.upstream = result.upstream;
      entry.loud = entry.loud || result.loud === true;
      if (result.error !== undefined) {
        entry.reason = [result.reason, ...notes].filter(Boolean).join('; ');
        return json(result.status, { errors: [result.error] }, { ...cors, ...(result.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(result.retryAfterSeconds) }) });
      }
      if (type === 'orderCreated' && orderId !== undefined) context.orderOwners.set(orderId, sub, context.now());
      entry.reason = [result.reason, ...notes].filter(Boolean).join('; ') || null;
      return json(200, { ok: true }, cors);
    } finally {
      context.gate.leave();
    }
  };
};

const originError = (origin: string | null) => (origin === null ? 'the Origin header is missing' : 'this origin may not post here');
