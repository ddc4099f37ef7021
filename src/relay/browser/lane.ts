/**
 * The browser lane: what the store's pages post (the tag's `event` format). Site activity and the shopper's own
 * orders, for the contact the store's server signed, and nothing that changes an order after it was placed: that
 * comes from the back office (issue 15). The checks run in the order of their cost: headers, then the body, then the
 * identity, then eSputnik.
 */
import { json, type RequestEntry } from '../answer';
import { acceptsMediaType, readJson } from '../body';
import { rateKey } from '../client';
import { CONTACT_PARAM, normalContact, subjectText, type Channels, type Subject } from '../events/contact';
import type { ItemHosts } from '../events/items';
import { checkEvent, type Checked, type KnownEventType } from '../events/rules';
import { dateTimeMs, isObject } from '../events/shapes';
import type { Verdict } from '../identity';
import type { Memory } from '../memory';
import type { RateLimiter } from '../rate-limit';
import { contactFor } from '../upstream/contacts';
import { deliver, type DeliveryContext } from '../upstream/deliver';
import { clampRetryAfter } from '../upstream/esputnik';
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

/** What the lanes share: what delivering takes, and which contact placed which order. */
export interface LaneContext extends DeliveryContext {
  orderOwners: Memory<string>;
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

export const createBrowserLane = (settings: BrowserLaneSettings, context: LaneContext): Lane =>
  async (request, client, entry) => {
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
    const read = await readJson(request);
    if ('refusal' in read) return refuse(read.refusal[0], read.refusal[1], read.refusal[2]);
    const { body } = read;

    const checked = checkEvent(body, { accepted: settings.events, itemHosts: settings.itemHosts });
    entry.eventTypeKey = checked.eventTypeKey;
    // Only a type this lane takes: any other is answered 400 below, identity or not.
    const type = checked.eventTypeKey !== null && settings.events.includes(checked.eventTypeKey) ? checked.eventTypeKey : null;

    // Whose event it is: the identity the store signed, or (for activity, where the store allows it) what it claims.
    // Checked before the event's own rules, so an anonymous caller learns nothing from them.
    const identity = isObject(body) ? body.identity : undefined;
    const unsigned = identity === undefined && settings.unsignedActivity && type !== null && UNSIGNED_EVENTS.includes(type);
    let signedFor: Subject | null = null;
    let channels: Channels = {};
    if (type !== null && !unsigned) {
      if (!settings.verify) return refuse(403, 'identity cannot be checked: the relay has no RELAY_IDENTITY_SECRET');
      if (identity === undefined) return refuse(403, 'identity is missing');
      const verdict = await settings.verify(identity, Math.floor(Date.now() / 1000));
      if (!verdict.ok) return refuse(403, verdict.reason);
      signedFor = verdict.subject;
      channels = verdict.channels;
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

    // eSputnik keeps an order only for a contact it has (seed 001): the one the store vouched for is added first,
    // with every channel the identity signed.
    const contactBody = type === 'orderCreated' && signedFor ? contactFor(signedFor, channels) : null;
    const delivery = await deliver(context, event, contactBody ? subject : null, contactBody ?? undefined);
    entry.upstream = delivery.upstream;
    entry.contactUpstream = delivery.contactUpstream;
    entry.loud = delivery.loud;
    entry.reason = [delivery.reason, ...checked.notes].filter(Boolean).join('; ') || null;
    if (delivery.error !== undefined) {
      const retryAfter: Record<string, string> = delivery.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(delivery.retryAfterSeconds) };
      return json(delivery.status, { errors: [delivery.error] }, { ...cors, ...retryAfter });
    }
    if (type === 'orderCreated' && orderId !== undefined) context.orderOwners.set(orderId, sub, context.now());
    return json(200, { ok: true }, cors);
  };

const originError = (origin: string | null) => (origin === null ? 'the Origin header is missing' : 'this origin may not post here');
