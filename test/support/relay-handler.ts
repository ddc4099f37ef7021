// createRelay, the fetch-style handler, with a scripted eSputnik and a clock that moves only when told: the harness
// of the relay's handler-level tests (relay.test.ts, relay-identity.test.ts, relay-checks.test.ts).
import { createRelay, type RelayLogLine, type RelayOptions, type RelayRequestLog } from '../../src/relay/index';
import { IDENTITY_SECRET } from './identity.mjs';

export const KEY = 'es-key-7f3a9c51e0d2b84f';
export const ORIGIN = 'https://shop.example';
export const OTHER_ORIGIN = 'https://www.shop.example';
/** base64("ecomtag:" + KEY), computed independently of the relay's own encoder. */
export const AUTHORIZATION = `Basic ${Buffer.from(`ecomtag:${KEY}`).toString('base64')}`;
export const EVENT_URL = 'https://esputnik.com/api/v2/event';
export const CONTACT_URL = 'https://esputnik.com/api/v1/contact';

export interface Sent {
  url: string;
  method: string;
  headers: Headers;
  text: string;
  signal: AbortSignal | null;
  redirect: RequestRedirect | undefined;
}

export type Answer = (sent: Sent) => Response | Promise<Response>;

/** One call as the relay made it. */
export const sentOf = (url: string, init: RequestInit): Sent => ({
  url,
  method: init.method ?? 'GET',
  headers: new Headers(init.headers),
  text: typeof init.body === 'string' ? init.body : '',
  signal: init.signal ?? null,
  redirect: init.redirect,
});

/** What eSputnik says to every call until told otherwise: 200 `{}`. */
export const ok: Answer = () => new Response('{}', { status: 200 });

/**
 * A relay whose eSputnik answers events with `events` and contacts with `contacts`, whose clock moves only by
 * advance(), and whose log lines are kept. It verifies identities signed with IDENTITY_SECRET.
 */
export const setup = (options: Partial<RelayOptions> = {}, events: Answer = ok, contacts: Answer = ok) => {
  const logs: RelayLogLine[] = [];
  const sent: Sent[] = [];
  let clock = 1000;
  const relay = createRelay({
    apiKey: KEY,
    allowedOrigins: [ORIGIN, OTHER_ORIGIN],
    identitySecret: IDENTITY_SECRET,
    fetch: async (url, init) => {
      const call = sentOf(url, init);
      sent.push(call);
      return (url === CONTACT_URL ? contacts : events)(call);
    },
    now: () => clock,
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    relay,
    logs,
    sent,
    /** The events forwarded, parsed. */
    forwarded: () => sent.filter((call) => call.url !== CONTACT_URL).map((call) => JSON.parse(call.text) as { eventTypeKey: string; keyValue: string; params: Array<{ name: string; value: string }> }),
    contactCalls: () => sent.filter((call) => call.url === CONTACT_URL).map((call) => JSON.parse(call.text) as unknown),
    advance: (ms: number) => {
      clock += ms;
    },
  };
};

export const post = (body: unknown, headers: Record<string, string> = {}, path = '/ecomtag/relay') =>
  new Request(`https://shop.example${path}`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });

export const errorsOf = async (response: Response) => ((await response.json()) as { errors: string[] }).errors;

export const requestLogs = (logs: RelayLogLine[]) => logs.filter((line): line is RelayRequestLog => line.msg === 'request');

export const CORS = { 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' };
export const corsOf = (response: Response) => ({
  'access-control-allow-origin': response.headers.get('access-control-allow-origin'),
  'access-control-expose-headers': response.headers.get('access-control-expose-headers'),
  vary: response.headers.get('vary'),
});

/** A body's params as `{name: value}`. */
export const paramsOf = (body: { params: Array<{ name: string; value: unknown }> }) => Object.fromEntries(body.params.map((param) => [param.name, param.value]));
