// createRelay with its back office on, a scripted eSputnik (events, contacts) and Calltouch, a clock that moves only
// when told, and every log line kept: the harness of the back office's handler tests (backoffice.test.ts).
import { createRelay, type RelayLogLine, type RelayOptions, type RelayRequestLog } from '../../src/relay/index';
import { IDENTITY_SECRET } from './identity.mjs';
import { CONTACT_URL, EVENT_URL, KEY, ok, ORIGIN, sentOf, type Answer, type Sent } from './relay-handler';

/** A token as a store makes one (`openssl rand -hex 32`). */
export const TOKEN = '9f1c2b7e4a6d8c0e2f4a6b8d0c2e4f6a8b0d2c4e6f8a0b2d4c6e8f0a2b4c6d8e';
export const CALLTOUCH_URL = 'https://calltouch.example/ecommerce.php';
export const SITE_ID = 25775;


export interface Upstreams {
  events?: Answer;
  contacts?: Answer;
  calltouch?: Answer;
}

/** A relay whose back office takes TOKEN and sends Calltouch's bodies to CALLTOUCH_URL for SITE_ID. */
export const setupBackOffice = (upstreams: Upstreams = {}, options: Partial<RelayOptions> = {}) => {
  const logs: RelayLogLine[] = [];
  const sent: Sent[] = [];
  let clock = 1000;
  const answers: Record<string, Answer> = {
    [EVENT_URL]: upstreams.events ?? ok,
    [CONTACT_URL]: upstreams.contacts ?? ok,
    [CALLTOUCH_URL]: upstreams.calltouch ?? ok,
  };
  const relay = createRelay({
    apiKey: KEY,
    allowedOrigins: [ORIGIN],
    identitySecret: IDENTITY_SECRET,
    backOffice: { token: TOKEN, calltouchSiteId: SITE_ID, calltouchUrl: CALLTOUCH_URL },
    fetch: async (url, init) => {
      const call = sentOf(url, init);
      sent.push(call);
      const answer = answers[url];
      if (!answer) throw new Error(`nothing answers ${url}`);
      return answer(call);
    },
    now: () => clock,
    log: (line) => logs.push(line),
    ...options,
  });
  const bodiesTo = (url: string) => sent.filter((call) => call.url === url).map((call) => JSON.parse(call.text) as Record<string, unknown>);
  return {
    relay,
    logs,
    sent,
    /** The Generate events sent, parsed. */
    events: () => bodiesTo(EVENT_URL) as unknown as Array<{ eventTypeKey: string; keyValue: string; params: Array<{ name: string; value: string }> }>,
    contacts: () => bodiesTo(CONTACT_URL),
    calltouch: () => bodiesTo(CALLTOUCH_URL),
    requestLogs: () => logs.filter((line): line is RelayRequestLog => line.msg === 'request'),
    advance: (ms: number) => {
      clock += ms;
    },
  };
};

/** A POST to the back office, with TOKEN unless `headers` says otherwise. */
export const order = (body: unknown, headers: Record<string, string> = {}, path = '/backoffice/orders') =>
  new Request(`https://relay.example${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A response's status, Retry-After and parsed body. */
export const read = async (response: Response) => ({
  status: response.status,
  retryAfter: response.headers.get('retry-after'),
  body: (await response.json()) as { orders?: Array<Record<string, unknown>>; errors?: string[] },
});
