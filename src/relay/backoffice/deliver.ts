/**
 * One order change to each destination it applies to, and what became of it there. Idempotent: what a destination
 * took is remembered (bounded, 30 days) as the fingerprint of the last change it took for the order, so the same
 * change again sends nothing and answers `sent`, while a change back to an earlier state (delivered, cancelled,
 * delivered again) is sent; a change already on its way is waited for rather than sent twice. eSputnik's own
 * "Duplicated request" counts as taken too (upstream/esputnik.ts).
 */
import type { BackofficeDestination, DestinationAnswer, OrderAnswer } from '../../backoffice/types';
import type { LaneContext } from '../browser/lane';
import { parseSubject, subjectText, type Subject } from '../events/contact';
import type { Memory } from '../memory';
import type { Calltouch } from '../upstream/calltouch';
import type { ContactBody } from '../upstream/contacts';
import { deliver } from '../upstream/deliver';
import type { Gate } from '../upstream/gate';
import { calltouchPlan } from './calltouch';
import { esputnikPlan } from './esputnik';
import type { ContactGiven, OrderChange } from './orders';

export interface BackOfficeContext {
  /** What the browser lane shares: eSputnik, its contacts and gate, which contact placed which order. */
  lane: LaneContext;
  /** null without RELAY_CALLTOUCH_SITE_ID. */
  calltouch: { service: Calltouch; gate: Gate; siteId: number } | null;
  /** Per destination and order, the fingerprint of the last change the destination took. */
  taken: Memory<string>;
  /** Changes on their way, by destination, order and fingerprint. */
  pending: Map<string, Promise<Verdict>>;
}

/** What became of an order change at one destination. */
export interface Verdict {
  answer: DestinationAnswer;
  /** A retry: when to try again, and whether the reason is a rate limit. */
  retryAfterSeconds?: number;
  rateLimited?: boolean;
  /** For the log: the service's status, and the contact call's (eSputnik). */
  upstream?: number | null;
  contactUpstream?: number | null;
  loud?: boolean;
  notes?: string[];
}

/** A retryable answer from one destination stands for the rest of the request's orders there. */
export type Outages = Map<BackofficeDestination, Verdict>;

const skipped = (why: string): Verdict => ({ answer: `skipped: ${why}` });

/** A service's status for one call as the back office reports it: taken, worth a retry, or refused for good. */
const verdictOf = (result: { status: number; error?: string; reason: string | null; retryAfterSeconds?: number }, fallbackSeconds: number): Verdict => {
  if (result.status === 200) return { answer: 'sent' };
  if (result.status === 429 || result.status >= 500) {
    return { answer: `retry: ${result.error ?? 'a failure of the moment'}`, retryAfterSeconds: result.retryAfterSeconds ?? fallbackSeconds, rateLimited: result.status === 429 };
  }
  return { answer: `refused: ${result.reason ?? result.error ?? `status ${result.status}`}` };
};

const digest = async (text: string): Promise<string> => {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/** Sends unless the destination took this very change last (`what` names it for the note); remembers what it took. */
const once = async (context: BackOfficeContext, what: string, key: string, fingerprint: string, send: () => Promise<Verdict>): Promise<Verdict> => {
  const now = context.lane.now();
  if (context.taken.get(key, now) === fingerprint) return { answer: 'sent', notes: [`${what} was sent before: not sent again`] };
  const onTheWay = `${key}\n${fingerprint}`;
  let call = context.pending.get(onTheWay);
  if (!call) {
    call = send()
      .then((verdict) => {
        if (verdict.answer === 'sent') context.taken.set(key, fingerprint, context.lane.now());
        return verdict;
      })
      .finally(() => context.pending.delete(onTheWay));
    context.pending.set(onTheWay, call);
  }
  return call;
};

/** Add/update a contact's body for everything the store gave: both channels, its external id, its name. */
const contactBody = (contact: ContactGiven): ContactBody => ({
  ...(contact.name === undefined ? {} : { firstName: contact.name }),
  channels: [
    ...(contact.email === undefined ? [] : [{ type: 'email' as const, value: contact.email }]),
    ...(contact.phone === undefined ? [] : [{ type: 'sms' as const, value: contact.phone }]),
  ],
  ...(contact.externalCustomerId === undefined ? {} : { externalCustomerId: contact.externalCustomerId }),
});

const toEsputnik = async (context: BackOfficeContext, change: OrderChange, outages: Outages): Promise<Verdict> => {
  const { lane } = context;
  const given = change.contact?.subject ?? null;
  const owner = lane.orderOwners.get(change.id, lane.now());
  // Without a contact in the body, the one whose page placed the order, as long as this relay remembers it.
  const subject: Subject | null = given ?? (owner === undefined ? null : parseSubject(owner));
  const plan = esputnikPlan(change, subject);
  if ('skipped' in plan) return skipped(plan.skipped);
  if ('refused' in plan) return { answer: `refused: ${plan.refused}` };
  const outage = outages.get('esputnik');
  if (outage) return outage;
  const fingerprint = await digest(JSON.stringify(plan.event));
  const verdict = await once(context, `eSputnik's ${plan.event.eventTypeKey}`, `esputnik\n${change.id}`, fingerprint, async () => {
    // orderUpdated may create the order, which eSputnik keeps only for a contact it has (seed 001).
    const first = plan.event.eventTypeKey === 'orderUpdated' && given && change.contact ? given : null;
    const delivery = await deliver(lane, plan.event, first, first && change.contact ? contactBody(change.contact) : undefined);
    const reported = verdictOf(delivery, lane.retryAfterSeconds);
    return {
      ...reported,
      upstream: delivery.upstream,
      contactUpstream: delivery.contactUpstream,
      loud: delivery.loud,
      notes: reported.answer === 'sent' && delivery.reason ? [delivery.reason] : [],
    };
  });
  // An order no page placed (a phone order) is remembered as this contact's, for a later change that names none;
  // the contact whose page placed an order stays its owner, so that shopper's own refund is still taken.
  if (verdict.answer === 'sent' && given && owner === undefined) lane.orderOwners.set(change.id, subjectText(given), lane.now());
  return { ...verdict, notes: [...plan.notes, ...(verdict.notes ?? [])] };
};

const toCalltouch = async (context: BackOfficeContext, change: OrderChange, outages: Outages): Promise<Verdict> => {
  const { calltouch, lane } = context;
  if (!calltouch) return skipped('RELAY_CALLTOUCH_SITE_ID is not set');
  const plan = calltouchPlan(change, calltouch.siteId);
  if ('skipped' in plan) return skipped(plan.skipped);
  const outage = outages.get('calltouch');
  if (outage) return outage;
  const { body } = plan;
  // A purchase goes once per order; a refund once per state of the order it leaves (two refunds of one unit each
  // are two refunds, the same one sent again is one).
  const [key, fingerprint] =
    body.eventType === 'purchase'
      ? [`calltouch purchase\n${change.id}`, 'purchase']
      : [`calltouch refund\n${change.id}`, await digest(JSON.stringify([change.status, change.returned, change.products ?? null]))];
  return once(context, `Calltouch's ${body.eventType}`, key, fingerprint, async () => {
    const entered = calltouch.gate.enter();
    if (!entered.ok) return verdictOf(entered, lane.retryAfterSeconds);
    try {
      const taken = calltouch.gate.take(lane.now());
      if (!taken.ok) return verdictOf(taken, lane.retryAfterSeconds);
      const outcome = await calltouch.service.send(body);
      return { ...verdictOf(outcome, lane.retryAfterSeconds), upstream: outcome.upstream, loud: outcome.loud };
    } finally {
      calltouch.gate.leave();
    }
  });
};

/** Each destination's verdict on one order change; both destinations at once. */
export const deliverOrder = async (context: BackOfficeContext, change: OrderChange, outages: Outages) => {
  const wanted = (destination: BackofficeDestination, send: () => Promise<Verdict>) =>
    change.destinations.includes(destination) ? send() : Promise.resolve(skipped('not among the destinations asked for'));
  const [esputnik, calltouch] = await Promise.all([
    wanted('esputnik', () => toEsputnik(context, change, outages)),
    wanted('calltouch', () => toCalltouch(context, change, outages)),
  ]);
  for (const [destination, verdict] of [['esputnik', esputnik], ['calltouch', calltouch]] as const) {
    if (verdict.answer.startsWith('retry') && !outages.has(destination)) outages.set(destination, { answer: verdict.answer, retryAfterSeconds: verdict.retryAfterSeconds, rateLimited: verdict.rateLimited });
  }
  const notes = [...change.notes, ...(esputnik.notes ?? []), ...(calltouch.notes ?? [])];
  const answer: OrderAnswer = { id: change.id, status: change.status, esputnik: esputnik.answer, calltouch: calltouch.answer, ...(notes.length > 0 ? { notes } : {}) };
  return { answer, esputnik, calltouch };
};
