/**
 * Every request to Calltouch: through the process's limiter, with a timeout, and retried with exponential backoff
 * and jitter when the failure is the moment's (429, 5xx, 408, a timeout, a reset or refused connection), a bounded
 * number of times. Other answers are returned to the caller, which knows what they mean. No text leaves here
 * unredacted: the deal journal's token travels in the query string, and a message may quote it.
 */
import type { Limiter } from './limiter';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait; each retry doubles it, jittered to between half and all of it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 16_000 };
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A Retry-After longer than this is not waited for: the run gives up instead, saying why. */
const MAX_RETRY_AFTER_MS = 60_000;
/** A page of 1000 deals is a megabyte or two; far past that the answer is not a page. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface Http {
  fetch: typeof fetch;
  limiter: Limiter;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Removes the token from any text. */
  redact: (text: string) => string;
  onRetry?: (retry: { what: string; attempt: number; attempts: number; delayMs: number; reason: string }) => void;
}

export interface Answer {
  status: number;
  text: string;
}

/** The request failed `attempts` times for reasons of the moment; `reason` is the last one, redacted. */
export class GaveUp extends Error {
  constructor(readonly what: string, readonly attempts: number, readonly reason: string) {
    super(`${what}: ${reason}, ${attempts} ${attempts === 1 ? 'try' : 'tries'}`);
  }
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

/** A delay of Retry-After (seconds or an HTTP date), or null when there is none we can use. */
const retryAfterMs = (header: string | null): number | null => {
  if (header === null) return null;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
};

const backoffMs = (retry: RetryPolicy, attempt: number): number => {
  const full = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
};

/**
 * fetch's own message is "fetch failed"; what happened is in its cause: a system code (ECONNRESET, ECONNREFUSED,
 * ENOTFOUND) or undici's, whose message says more ("other side closed (UND_ERR_SOCKET)").
 */
const networkReason = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code === null ? message : code.startsWith('UND_ERR') ? `${message} (${code})` : code;
};

/** The body as text, refusing to hold more than MAX_ANSWER_BYTES. */
const readText = async (response: Response): Promise<string> => {
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > MAX_ANSWER_BYTES) throw new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
};

type Attempt = { answer: Answer } | { retryable: string; afterMs: number | null };

/** What a request was stopped by: the run gave up elsewhere. */
class Stopped extends Error {}

const attemptOnce = async (http: Http, request: () => Request, stop: AbortSignal | undefined): Promise<Attempt> => {
  if (stop?.aborted) throw new Stopped();
  const timeout = AbortSignal.timeout(http.timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    const response = await http.fetch(request(), { signal });
    const text = await readText(response);
    if (RETRYABLE(response.status)) return { retryable: `HTTP ${response.status}`, afterMs: retryAfterMs(response.headers.get('retry-after')) };
    return { answer: { status: response.status, text } };
  } catch (error) {
    if (stop?.aborted) throw new Stopped();
    if (timeout.aborted) return { retryable: `no answer within ${http.timeoutMs / 1000} s`, afterMs: null };
    if (error instanceof Error && error.message.startsWith('the answer is larger')) throw error;
    return { retryable: networkReason(error), afterMs: null };
  }
};

/**
 * Sends what `request` builds (a fresh Request per try: a body is read once) until it gets an answer that is not
 * a failure of the moment. `what` names the request in messages: never the URL, which holds the token. `stop`
 * ends it early (throwing Stopped) when the run has failed elsewhere and its answer no longer matters.
 */
export const send = async (http: Http, what: string, request: () => Request, stop?: AbortSignal): Promise<Answer> => {
  for (let attempt = 1; ; attempt += 1) {
    let outcome: Attempt;
    try {
      outcome = await http.limiter.run(() => attemptOnce(http, request, stop));
    } catch (error) {
      if (error instanceof Stopped) throw error;
      throw new GaveUp(what, attempt, http.redact((error as Error).message));
    }
    if ('answer' in outcome) return outcome.answer;
    const reason = http.redact(outcome.retryable);
    if (attempt >= http.retry.attempts) throw new GaveUp(what, attempt, reason);
    if (outcome.afterMs !== null && outcome.afterMs > MAX_RETRY_AFTER_MS) {
      throw new GaveUp(what, attempt, `${reason}, and Calltouch asks to wait ${Math.round(outcome.afterMs / 1000)} s`);
    }
    const delayMs = outcome.afterMs ?? backoffMs(http.retry, attempt);
    http.onRetry?.({ what, attempt, attempts: http.retry.attempts, delayMs, reason });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      function done() {
        clearTimeout(timer);
        stop?.removeEventListener('abort', done);
        resolve();
      }
      stop?.addEventListener('abort', done);
    });
  }
};

/** Replaces every occurrence of `secret`, as written and as a query string encodes it, with `***`. */
export const redactor = (secret: string) => {
  const forms = [...new Set([secret, encodeURIComponent(secret)])].filter((form) => form.length > 0);
  return (text: string): string => forms.reduce((out, form) => out.split(form).join('***'), text);
};
