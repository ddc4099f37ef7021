/**
 * The one request the relay makes: the body, unchanged, to eSputnik with the key, and eSputnik's answer turned
 * into one the tag's outbox acts on correctly. The outbox retries 429 and 5xx (later, on later pages) and drops
 * any other 4xx, so every failure that is not the event's own fault must come back as 429 or 5xx.
 */

export interface UpstreamSettings {
  url: string;
  authorization: string;
  timeoutMs: number;
  retryAfterSeconds: number;
  fetch: (request: Request) => Promise<Response>;
}

export interface Outcome {
  status: number;
  /** What the tag reads in `{errors}`; absent on success. */
  error?: string;
  retryAfterSeconds?: number;
  /** eSputnik's status, when it answered. */
  upstream: number | null;
  /** For the log: written here, never copied from eSputnik's answer. */
  reason: string | null;
  /** The key is refused: the store must act, so the log says so at error level. */
  loud?: boolean;
}

/** eSputnik's own message on a 400, cut short: it tells the store's developer what eSputnik disliked. */
const UPSTREAM_MESSAGE_LIMIT = 500;

/** `Basic base64(user:password)` over UTF-8 (btoa alone takes Latin-1 only). The user name is free; eSputnik reads the password. */
export const basicAuthorization = (user: string, password: string): string => {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
};

/** Retry-After as seconds from delta-seconds or an HTTP date; `fallback` when absent or unreadable. */
export const retryAfterSeconds = (header: string | null, fallback: number): number => {
  if (header === null) return fallback;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallback : Math.max(0, Math.ceil((at - Date.now()) / 1000));
};

/** What the timer resolves with, so a fetch that ignores its signal still loses the race. */
const TIMED_OUT = Symbol('timed out');

/** Reads at most `limit` characters of an answer's text, then lets the rest go. */
const readSome = async (response: Response, limit: number): Promise<string> => {
  const text = await response.text();
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
};

const networkReason = (error: unknown): string => {
  // fetch says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND, a TLS error) in its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return (code ?? message).slice(0, 200);
};

export const forward = async (body: Uint8Array<ArrayBuffer>, settings: UpstreamSettings, redact: (text: string) => string): Promise<Outcome> => {
  const controller = new AbortController();
  // A fetch that ignores its signal must still not hold the tag's request past the timeout.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(TIMED_OUT);
    }, settings.timeoutMs);
  });
  const late: Outcome = {
    status: 504,
    error: 'eSputnik did not answer in time; retry later',
    upstream: null,
    reason: `eSputnik did not answer within ${settings.timeoutMs} ms`,
  };
  const attempt = async (): Promise<Outcome> => {
    const response = await settings.fetch(
      new Request(settings.url, {
        method: 'POST',
        headers: {
          Authorization: settings.authorization,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'User-Agent': 'ecomtag-relay',
        },
        body,
        signal: controller.signal,
        // A redirect would be a wrong ESPUTNIK_URL; following it could carry the key somewhere else.
        redirect: 'manual',
      }),
    );
    return outcome(response, settings, redact);
  };
  try {
    // race subscribes to both, so the attempt's later AbortError is handled, not an unhandled rejection.
    const result = await Promise.race([attempt(), timedOut]);
    return result === TIMED_OUT ? late : result;
  } catch (error) {
    if (controller.signal.aborted) return late;
    return { status: 502, error: 'eSputnik could not be reached; retry later', upstream: null, reason: redact(`eSputnik unreachable: ${networkReason(error)}`) };
  } finally {
    clearTimeout(timer);
  }
};

const outcome = async (response: Response, settings: UpstreamSettings, redact: (text: string) => string): Promise<Outcome> => {
  const status = response.status;
  const upstream = status;
  if (status !== 400) {
    // Only a 400's text is of use; the rest is released so the connection can be reused.
    await response.body?.cancel().catch(() => undefined);
  }
  if (status >= 200 && status < 300) return { status: 200, upstream, reason: null };
  if (status === 400) {
    const message = redact(await readSome(response, UPSTREAM_MESSAGE_LIMIT).catch(() => '')).trim();
    return { status: 400, error: message ? `eSputnik refused the event: ${message}` : 'eSputnik refused the event', upstream, reason: 'eSputnik refused the event (400)' };
  }
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
  if (status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('Retry-After'), settings.retryAfterSeconds);
    return { status: 429, error: 'eSputnik is rate limiting; retry later', retryAfterSeconds: seconds, upstream, reason: 'eSputnik rate limited (429)' };
  }
  if (status === 413) return { status: 413, error: 'eSputnik refused the body as too large', upstream, reason: 'eSputnik refused the body as too large (413)' };
  if (status === 408) return { status: 504, error: 'eSputnik timed out; retry later', upstream, reason: 'eSputnik timed out (408)' };
  if (status === 503) {
    const seconds = retryAfterSeconds(response.headers.get('Retry-After'), settings.retryAfterSeconds);
    return { status: 503, error: 'eSputnik is unavailable; retry later', retryAfterSeconds: seconds, upstream, reason: 'eSputnik unavailable (503)' };
  }
  if (status >= 500) return { status: 502, error: 'eSputnik failed; retry later', upstream, reason: `eSputnik failed (${status})` };
  if ((status >= 300 && status < 400) || status === 404 || status === 405) {
    // The URL is wrong, not the event: retryable, so nothing is lost while the store fixes ESPUTNIK_URL.
    return {
      status: 502,
      error: 'the relay is misconfigured; retry later',
      upstream,
      reason: `eSputnik answered ${status} at ESPUTNIK_URL: check the URL`,
      loud: true,
    };
  }
  // 409, 422 and the like: eSputnik will not take this event, now or later.
  return { status: 400, error: `eSputnik refused the event (${status})`, upstream, reason: `eSputnik refused the event (${status})` };
};
