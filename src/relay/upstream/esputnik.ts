/**
 * eSputnik, as the relay calls it with the store's key: Generate event v2 and Add/update a contact, each answer
 * turned into one the caller acts on correctly. The tag's outbox retries 429 and 5xx (later, on later pages) and drops
 * any other 4xx, so every failure that is not the event's own fault comes back as 429 or 5xx. eSputnik's own text
 * is logged (redacted, cut short) and never returned: an anonymous caller must not learn from it whether someone is a
 * customer. Shared by every lane: the browser's, and the back office's (issue 15).
 */
import type { EsputnikGeneratedEvent } from '../../wire';
import type { ContactBody } from './contacts';
import { post, retryAfterSeconds, type Fetch, type Reply } from './http';

export interface EsputnikSettings {
  /** Generate event v2, e.g. `https://esputnik.com/api/v2/event`. */
  eventUrl: string;
  /** Add/update a contact: `new URL('/api/v1/contact', eventUrl)`. */
  contactUrl: string;
  authorization: string;
  timeoutMs: number;
  /** Retry-After (seconds) for a 429 or 503 that names none. */
  retryAfterSeconds: number;
  fetch: Fetch;
  /** Takes every form of the key (and of any other secret) out of a text. */
  redact: (text: string) => string;
}

export interface Outcome {
  /** The status to answer with: 200 when eSputnik took it (or had it already). */
  status: number;
  /** What the caller reads in `{errors}`; absent on success. Never eSputnik's own words. */
  error?: string;
  retryAfterSeconds?: number;
  /** eSputnik's status, when it answered. */
  upstream: number | null;
  /** For the log: written here, with eSputnik's text (redacted) where it said something. */
  reason: string | null;
  /** The store must act (a refused key, a wrong URL): the log says so at error level. */
  loud?: boolean;
}

/** The longest the tag's outbox waits between tries (src/deliver/outbox.ts): a longer Retry-After buys nothing. */
export const RETRY_AFTER_LIMIT_SECONDS = 60;

/** eSputnik's text in a log line, at most this long. */
const LOGGED_TEXT_LIMIT = 300;

/** eSputnik's answer to an identical request it has already taken: its own integrations count it as delivered. */
const DUPLICATED = /duplicated request/i;

/** `Basic base64(user:password)` over UTF-8 (btoa alone takes Latin-1 only). The user name is free; eSputnik reads the password. */
export const basicAuthorization = (user: string, password: string): string => {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
};

export const clampRetryAfter = (seconds: number): number => Math.min(RETRY_AFTER_LIMIT_SECONDS, Math.max(1, seconds));

/** What is done with a call's answer: `what` names it for the log ("the event", "the contact"). */
const outcome = (reply: Reply, what: string, settings: EsputnikSettings): Outcome => {
  if (reply.kind === 'timeout') {
    return { status: 504, error: 'eSputnik did not answer in time; retry later', upstream: null, reason: `eSputnik did not answer within ${settings.timeoutMs} ms` };
  }
  if (reply.kind === 'unreachable') {
    return { status: 502, error: 'eSputnik could not be reached; retry later', upstream: null, reason: settings.redact(`eSputnik unreachable: ${reply.reason}`) };
  }
  const { status, text } = reply;
  const upstream = status;
  const said = () => {
    const excerpt = settings.redact(text).replace(/\s+/g, ' ').trim().slice(0, LOGGED_TEXT_LIMIT);
    return excerpt ? `: ${excerpt}` : '';
  };
  const retryAfter = () => clampRetryAfter(retryAfterSeconds(reply.retryAfter, settings.retryAfterSeconds));
  if (status >= 200 && status < 300) return { status: 200, upstream, reason: null };
  if (DUPLICATED.test(text)) return { status: 200, upstream, reason: `eSputnik had ${what} already (${status}, "Duplicated request"): delivered` };
  if (status === 401 || status === 403) {
    // Not the event's fault: answered retryable, so the tag keeps every event until the store fixes the key.
    return {
      status: 502,
      error: 'the relay is misconfigured; retry later',
      upstream,
      reason: `eSputnik refused the relay's API key (${status}): set ESPUTNIK_API_KEY to a valid key; events are answered 502 and kept by the tag until then`,
      loud: true,
    };
  }
  if (status === 429) return { status: 429, error: 'eSputnik is rate limiting; retry later', retryAfterSeconds: retryAfter(), upstream, reason: 'eSputnik rate limited (429)' };
  if (status === 413) return { status: 413, error: 'eSputnik refused the body as too large', upstream, reason: 'eSputnik refused the body as too large (413)' };
  if (status === 408) return { status: 504, error: 'eSputnik timed out; retry later', upstream, reason: 'eSputnik timed out (408)' };
  if (status === 503) return { status: 503, error: 'eSputnik is unavailable; retry later', retryAfterSeconds: retryAfter(), upstream, reason: `eSputnik unavailable (503)${said()}` };
  if (status >= 500) return { status: 502, error: 'eSputnik failed; retry later', upstream, reason: `eSputnik failed (${status})${said()}` };
  if ((status >= 300 && status < 400) || status === 404 || status === 405) {
    // The URL is wrong, not the event: retryable, so nothing is lost while the store fixes ESPUTNIK_URL.
    return { status: 502, error: 'the relay is misconfigured; retry later', upstream, reason: `eSputnik answered ${status} at ESPUTNIK_URL: check the URL`, loud: true };
  }
  // 400, 409, 422 and the like: eSputnik will not take this, now or later.
  return { status: 400, error: `eSputnik refused ${what}`, upstream, reason: `eSputnik refused ${what} (${status})${said()}` };
};

export interface Esputnik {
  sendEvent(event: EsputnikGeneratedEvent): Promise<Outcome>;
  saveContact(contact: ContactBody): Promise<Outcome>;
}

export const createEsputnik = (settings: EsputnikSettings): Esputnik => {
  const call = async (url: string, body: unknown, what: string) =>
    outcome(await post(url, { Authorization: settings.authorization }, JSON.stringify(body), settings), what, settings);
  return {
    sendEvent: (event) => call(settings.eventUrl, event, 'the event'),
    saveContact: (contact) => call(settings.contactUrl, contact, 'the contact'),
  };
};
