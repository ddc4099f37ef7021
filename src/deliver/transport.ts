/**
 * How a body leaves the page: `fetch` keepalive while the page lives, `sendBeacon` when it goes (SPEC §7).
 * `refused`: a 403, which no retry can change (the relay refuses an event whose signed identity is missing,
 * expired or another contact's).
 */
export type Outcome = 'sent' | 'retry' | 'drop' | 'refused';

export interface Transport {
  /** The collector's verdict: 2xx sent; network error, timeout, 429 and 5xx retry; 403 refused; any other status drop. */
  post(url: string, body: string): Promise<Outcome>;
  /** Hands the body to the browser to deliver after unload; false when it refused. */
  beacon(url: string, body: string): boolean;
}

/**
 * Browsers refuse keepalive requests and beacons beyond 64 KiB in flight. The outbox sends one letter at a
 * time and validation refuses larger events, so a request always fits.
 */
export const KEEPALIVE_BYTES = 65536;
const TIMEOUT_MS = 10000;

export const createTransport = (win: Window): Transport => {
  const beacon = (url: string, body: string): boolean => {
    try {
      // A string goes out as text/plain: no CORS preflight, which a beacon could not pass without credentials.
      return win.navigator.sendBeacon(url, body);
    } catch {
      return false;
    }
  };

  const post = async (url: string, body: string): Promise<Outcome> => {
    // Without fetch, or with a polyfill that throws or answers with no status, the beacon carries the body.
    const beaconed = (): Outcome => (beacon(url, body) ? 'sent' : 'retry');
    const controller = new AbortController();
    let request: Promise<Response>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      request = win.fetch(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        // The default credentials mode sends no cookies to a collector on another origin, as Calltouch's script does.
        keepalive: true,
        signal: controller.signal,
      });
    } catch {
      return beaconed();
    }
    try {
      // Raced against the timeout as well: a polyfill may neither answer nor heed the abort.
      const { status } = await Promise.race([request, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(controller.abort()), TIMEOUT_MS)))]);
      return status > 199 && status < 300 ? 'sent' : status == 429 || status > 499 ? 'retry' : status == 403 ? 'refused' : status > 399 ? 'drop' : beaconed();
    } catch {
      // Network errors and the timeout. Chromium also rejects a page's requests as it goes, while keepalive
      // carries them on: when its window is closing, or between two `pagehide` listeners. The verdict waits a
      // task (or forever, for a closing window), so that the outbox's `unload` hands the letter over rather
      // than keeping it to send again.
      await new Promise((resume) => win.closed || setTimeout(resume));
      return 'retry';
    } finally {
      clearTimeout(timer);
    }
  };

  return { post, beacon };
};
