/**
 * One checked event to eSputnik, whichever lane it came from: through the gate (the overall allowance, the requests
 * already waiting), after its contact where eSputnik must have it first, and what came of it, for the lane to answer
 * in its own way.
 */
import type { EsputnikGeneratedEvent } from '../../wire';
import type { Subject } from '../events/contact';
import type { ContactBody, ContactBook } from './contacts';
import { holdsOrder } from './contacts';
import { clampRetryAfter, type Esputnik } from './esputnik';
import type { Gate } from './gate';

/** What the lanes share: eSputnik, the contacts added to it, the gate, the clock. */
export interface DeliveryContext {
  esputnik: Esputnik;
  contactBook: ContactBook;
  gate: Gate;
  /** Retry-After (seconds) for a retryable failure that names none. */
  retryAfterSeconds: number;
  /** Milliseconds, monotonic: rate limits and memories. */
  now: () => number;
}

export interface Delivery {
  /** 200 when eSputnik took the event (or had it already). */
  status: number;
  /** What the caller reads in `{errors}`; absent on success. */
  error?: string;
  retryAfterSeconds?: number;
  /** eSputnik's status for the event, and for the contact added before it, when they were called. */
  upstream: number | null;
  contactUpstream: number | null;
  /** For the log. */
  reason: string | null;
  loud: boolean;
}

/**
 * `contactFirst`: the contact eSputnik must have before it keeps this event (an order's); `contactBody` what is sent
 * for it (by default the channel it names).
 */
export const deliver = async (context: DeliveryContext, event: EsputnikGeneratedEvent, contactFirst: Subject | null, contactBody?: ContactBody): Promise<Delivery> => {
  const delivery: Delivery = { status: 200, upstream: null, contactUpstream: null, reason: null, loud: false };
  const refused = (status: number, error: string, reason: string, retryAfterSeconds?: number): Delivery => ({ ...delivery, status, error, reason, retryAfterSeconds });
  const entered = context.gate.enter();
  if (!entered.ok) return refused(entered.status, entered.error, entered.reason, entered.retryAfterSeconds);
  const notes: string[] = [];
  try {
    if (contactFirst && !context.contactBook.known(contactFirst, context.now(), contactBody)) {
      const taken = context.gate.take(context.now());
      if (!taken.ok) return refused(taken.status, taken.error, taken.reason, taken.retryAfterSeconds);
      const contact = await context.contactBook.ensure(contactFirst, context.now(), contactBody);
      if (contact) {
        delivery.contactUpstream = contact.upstream;
        if (holdsOrder(contact)) {
          delivery.loud = contact.loud === true;
          const seconds = clampRetryAfter(contact.retryAfterSeconds ?? context.retryAfterSeconds);
          return refused(503, 'eSputnik could not add the contact; retry later', `the contact could not be added: ${contact.reason}`, seconds);
        }
        if (contact.status !== 200) notes.push(`the contact was not added (${contact.reason}); the order goes to the contact eSputnik may have`);
      }
    }
    const taken = context.gate.take(context.now());
    if (!taken.ok) return refused(taken.status, taken.error, taken.reason, taken.retryAfterSeconds);
    const result = await context.esputnik.sendEvent(event);
    return {
      ...delivery,
      status: result.status,
      error: result.error,
      retryAfterSeconds: result.retryAfterSeconds,
      upstream: result.upstream,
      reason: [result.reason, ...notes].filter(Boolean).join('; ') || null,
      loud: delivery.loud || result.loud === true,
    };
  } finally {
    context.gate.leave();
  }
};
