/**
 * One POST to a service the relay calls with a secret (eSputnik today, Calltouch's offline API later), bounded in
 * every way a slow or hostile answer could stretch it: the request is aborted at the timeout and its socket released,
 * a redirect is not followed, and at most a few kilobytes of an answer are read.
 */
import { readUpTo } from '../body';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface PostSettings {
  timeoutMs: number;
  fetch: Fetch;
}

/** What came back: an answer (its status, Retry-After and the start of its text), no answer in time, or none at all. */
export type Reply =
  | { kind: 'answered'; status: number; retryAfter: string | null; text: string }
  | { kind: 'timeout' }
  | { kind: 'unreachable'; reason: string };

/** Enough of an error answer to know what it says ("Duplicated request", a field name); the rest is let go: a 100 MB answer costs the relay 2 KB. */
export const ANSWER_TEXT_LIMIT = 2048;

/** What the timer resolves with, so a fetch that ignores its signal still loses the race. */
const TIMED_OUT = Symbol('timed out');

const networkReason = (error: unknown): string => {
  // fetch says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND, a TLS error) in its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return (code ?? message).slice(0, 200);
};

/**
 * Posts `body` as JSON to `url`. The signal goes in fetch's own init, not on a Request object: undici drops a
 * Request's signal when it is handed to fetch (nodejs/undici#4068), and then keeps a timed-out request, and its
 * socket, until the service answers.
 */
export const post = async (url: string, headers: Record<string, string>, body: string, settings: PostSettings): Promise<Reply> => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(TIMED_OUT);
    }, settings.timeoutMs);
  });
  const attempt = async (): Promise<Reply> => {
    const response = await settings.fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'ecomtag-relay' },
      body,
      signal: controller.signal,
      // A redirect would be a wrong URL; following it could carry the key somewhere else.
      redirect: 'manual',
    });
    const success = response.status >= 200 && response.status < 300;
    // A success says nothing the relay needs; it is released at once so the connection can be reused.
    let text = '';
    if (success) await response.body?.cancel().catch(() => undefined);
    else text = new TextDecoder().decode((await readUpTo(response.body, ANSWER_TEXT_LIMIT)).bytes.subarray(0, ANSWER_TEXT_LIMIT));
    return { kind: 'answered', status: response.status, retryAfter: response.headers.get('Retry-After'), text };
  };
  try {
    // race subscribes to both, so the attempt's later AbortError is handled, not an unhandled rejection.
    const result = await Promise.race([attempt(), timedOut]);
    return result === TIMED_OUT ? { kind: 'timeout' } : result;
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'timeout' };
    return { kind: 'unreachable', reason: networkReason(error) };
  } finally {
    clearTimeout(timer);
  }
};

/** Retry-After as seconds from delta-seconds or an HTTP date; `fallback` when absent or unreadable. */
export const retryAfterSeconds = (header: string | null, fallback: number): number => {
  if (header === null) return fallback;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallback : Math.max(0, Math.ceil((at - Date.now()) / 1000));
};
