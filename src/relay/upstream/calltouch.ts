/**
 * Calltouch's e-commerce endpoint, as the back office posts its offline purchases and refunds to it (seed 000:
 * `POST https://mod.calltouch.ru/ecommerce.php`, `Accept: application/json`, `Cache-Control: no-cache`). No secret
 * goes there (the site id is the account); its answers are turned into what the back office reports: 2xx taken, 429
 * and 5xx and no answer a failure of the moment, a wrong URL retryable while the store fixes CALLTOUCH_URL, any
 * other 4xx a refusal, with Calltouch's own words.
 */
import type { CalltouchOfflineEvent } from '../../wire';
import { clampRetryAfter, type Outcome } from './esputnik';
import { post, retryAfterSeconds, type Fetch } from './http';

export const DEFAULT_CALLTOUCH_URL = 'https://mod.calltouch.ru/ecommerce.php';

export interface CalltouchSettings {
  url: string;
  timeoutMs: number;
  retryAfterSeconds: number;
  fetch: Fetch;
  redact: (text: string) => string;
}

/** Calltouch's text in an answer or a log line, at most this long. */
const TEXT_LIMIT = 300;

export interface Calltouch {
  send(body: CalltouchOfflineEvent): Promise<Outcome>;
}

export const createCalltouch = (settings: CalltouchSettings): Calltouch => ({
  async send(body) {
    const reply = await post(settings.url, { 'Cache-Control': 'no-cache' }, JSON.stringify(body), settings);
    if (reply.kind === 'timeout') return { status: 504, error: 'Calltouch did not answer in time', upstream: null, reason: `Calltouch did not answer within ${settings.timeoutMs} ms` };
    if (reply.kind === 'unreachable') return { status: 502, error: 'Calltouch could not be reached', upstream: null, reason: settings.redact(`Calltouch unreachable: ${reply.reason}`) };
    const { status, text } = reply;
    const said = settings.redact(text).replace(/\s+/g, ' ').trim().slice(0, TEXT_LIMIT);
    const words = said ? `: ${said}` : '';
    if (status >= 200 && status < 300) return { status: 200, upstream: status, reason: null };
    if (status === 429 || status === 503) {
      const seconds = clampRetryAfter(retryAfterSeconds(reply.retryAfter, settings.retryAfterSeconds));
      return { status, error: `Calltouch answered ${status}`, retryAfterSeconds: seconds, upstream: status, reason: `Calltouch answered ${status}${words}` };
    }
    if (status >= 500 || status === 408) return { status: 502, error: `Calltouch answered ${status}`, upstream: status, reason: `Calltouch failed (${status})${words}` };
    if ((status >= 300 && status < 400) || status === 404 || status === 405) {
      return { status: 502, error: 'the relay is misconfigured', upstream: status, reason: `Calltouch answered ${status} at CALLTOUCH_URL: check the URL`, loud: true };
    }
    return { status: 400, error: `Calltouch refused it (${status})${words}`, upstream: status, reason: `Calltouch refused it (${status})${words}` };
  },
});
