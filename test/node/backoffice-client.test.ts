// createBackoffice (ecomtag/backoffice, src/backoffice/client.ts): what it posts, how it retries (only what the relay
// answered retryable, each order only to the destinations that did not take it, after Retry-After or a jittered
// backoff, a bounded number of times), what it throws, and that the token is in none of it. Against the relay's own
// handler, and against scripted answers where the relay's would not show a case. The process: backoffice-e2e.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackofficeError, createBackoffice } from '../../src/backoffice/index';
import type { BackofficeOptions, OrderAnswer } from '../../src/backoffice/types';
import { setupBackOffice, TOKEN } from '../support/backoffice-handler';

const CONTACT = { email: 'anna@example.com' };

interface Call {
  url: string;
  headers: Headers;
  /** One order as itself, several as a list. */
  body: unknown;
}

/** A fetch that answers each call with the next of `answers` (or throws it), recording the calls. */
const scripted = (...answers: Array<Response | Error | ((call: Call) => Response)>) => {
  const calls: Call[] = [];
  const fetch: BackofficeOptions['fetch'] = async (url, init) => {
    const call = { url, headers: new Headers(init.headers), body: JSON.parse(String(init.body)) as unknown };
    calls.push(call);
    const next = answers.shift();
    if (next === undefined) throw new Error('no answer scripted');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(call) : next;
  };
  return { fetch, calls };
};

const answer = (status: number, orders: OrderAnswer[], headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ orders }), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const of = (id: string, esputnik: string, calltouch: string): OrderAnswer => ({ id, status: 'refunded', esputnik, calltouch } as OrderAnswer);

afterEach(() => {
  vi.useRealTimers();
});

/** Runs `work` with its waits (setTimeout) passing at once; the relay's own work (WebCrypto) runs as it does. */
const withoutWaiting = async <T>(work: () => Promise<T>): Promise<T> => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  let settled = false;
  const running = work().finally(() => (settled = true));
  while (!settled) {
    await vi.advanceTimersByTimeAsync(60_000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return running;
};

describe('createBackoffice against the relay’s handler', () => {
  const through = (setup: ReturnType<typeof setupBackOffice>, options: Partial<BackofficeOptions> = {}) =>
    createBackoffice({ url: 'https://relay.example', token: TOKEN, fetch: (url, init) => setup.relay(new Request(url, init)), ...options });

  it('orderStatus posts one order and resolves with each destination’s answer', async () => {
    const setup = setupBackOffice();
    const result = await through(setup).orderStatus({ id: 10031004, status: 'delivered', contact: CONTACT });
    expect(result).toEqual({ ok: true, orders: [{ id: '10031004', status: 'delivered', esputnik: 'sent', calltouch: expect.stringMatching(/^skipped: /) }] });
    expect(setup.events()).toHaveLength(1);
  });

  it('refund(id) is a full refund, refund(id, lines, order) a partial one with what the order keeps', async () => {
    const setup = setupBackOffice();
    const client = through(setup);
    await client.refund('R-1', undefined, { contact: CONTACT });
    await client.refund('R-2', [{ id: 1003, quantity: 1 }], { contact: CONTACT, products: [{ id: 1004, name: 'Кабель', price: 99, quantity: 1, url: 'https://shop.example/1004', imageUrl: 'https://shop.example/1004.jpg' }] });
    expect(setup.events().map((event) => event.eventTypeKey)).toEqual(['orderCancelled', 'orderUpdated']);
    expect(setup.calltouch()).toEqual([
      { siteId: 25775, eventType: 'refund', id: 'R-1', products: [] },
      { siteId: 25775, eventType: 'refund', id: 'R-2', products: [{ id: 1003, quantity: 1 }] },
    ]);
  });

  it('retries only the destination that failed, until it takes the order', async () => {
    let calltouchDown = 2;
    const setup = setupBackOffice({ calltouch: () => (calltouchDown-- > 0 ? new Response('', { status: 503 }) : new Response('{}')) });
    const waits: number[] = [];
    const result = await withoutWaiting(() => through(setup, { onRetry: ({ delayMs }) => waits.push(delayMs) }).refund('R-3', undefined, { contact: CONTACT }));
    expect(result).toEqual({ ok: true, orders: [{ id: 'R-3', status: 'refunded', esputnik: 'sent', calltouch: 'sent' }] });
    expect(setup.events()).toHaveLength(1);
    expect(setup.calltouch()).toHaveLength(3);
    // The relay's Retry-After (its default 5 s) is what it waited.
    expect(waits).toEqual([5000, 5000]);
  });

  it('throws BackofficeError input with the relay’s reasons for a malformed order; nothing is retried', async () => {
    const setup = setupBackOffice();
    const error = await through(setup).orderStatus({ id: 1, status: 'updated' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackofficeError);
    expect(error).toMatchObject({ kind: 'input', status: 400, problems: ["products is required with status updated: the order's lines as they now stand"] });
    expect(setup.sent).toEqual([]);
  });

  it('throws BackofficeError refused for a wrong token, without the token in it', async () => {
    const setup = setupBackOffice();
    const error = await createBackoffice({ url: 'https://relay.example', token: `${TOKEN}x`, fetch: (url, init) => setup.relay(new Request(url, init)) })
      .orderStatus({ id: 1, status: 'cancelled' })
      .catch((e: unknown) => e as BackofficeError);
    expect(error).toMatchObject({ kind: 'refused', status: 401, problems: ['the relay refused the token: set RELAY_BACKOFFICE_TOKEN to the relay’s', 'the token is not RELAY_BACKOFFICE_TOKEN'] });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('sends 250 orders in requests of at most 100, answers them in order, and waits out the relay’s pace', async () => {
    const setup = setupBackOffice();
    const orders = Array.from({ length: 250 }, (_, i) => ({ id: `B-${i}`, status: 'cancelled' as const, destinations: ['calltouch' as const] }));
    // The relay's clock moves as the client waits: its Calltouch gate (100 a second) lets the second hundred through later.
    const result = await withoutWaiting(() => through(setup, { onRetry: ({ delayMs }) => setup.advance(delayMs) }).orderStatus(orders));
    expect(result.ok).toBe(true);
    expect(result.orders.map((order) => order.id)).toEqual(orders.map((order) => order.id));
    const sizes = setup.requestLogs().map((line) => Number(line.reason?.split(' ')[0]));
    expect(sizes[0]).toBe(100);
    expect(Math.max(...sizes)).toBe(100);
    expect(new Set(setup.calltouch().map((body) => body.id)).size).toBe(250);
    expect(setup.calltouch()).toHaveLength(250);
  });
});

describe('createBackoffice: its requests and retries', () => {
  const client = (fetch: BackofficeOptions['fetch'], options: Partial<BackofficeOptions> = {}) => createBackoffice({ url: 'http://127.0.0.1:8787', token: TOKEN, fetch, ...options });

  it.each([
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/backoffice/orders'],
    ['http://127.0.0.1:8787/', 'http://127.0.0.1:8787/backoffice/orders'],
    ['https://shop.example/ecomtag', 'https://shop.example/ecomtag/backoffice/orders'],
    ['https://shop.example/ecomtag/backoffice/orders', 'https://shop.example/ecomtag/backoffice/orders'],
  ])('posts to %s → %s with the Bearer token, as JSON', async (url, endpoint) => {
    const { fetch, calls } = scripted(answer(200, [of('1', 'sent', 'sent')]));
    await client(fetch, { url }).refund(1);
    expect(calls[0].url).toBe(endpoint);
    expect(calls[0].headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0].headers.get('content-type')).toBe('application/json');
    expect(calls[0].body).toEqual({ id: 1, status: 'refunded' });
  });

  it('sends again only the orders with a retry, each to the destinations that answered it, and keeps the rest', async () => {
    const { fetch, calls } = scripted(
      answer(503, [of('A', 'sent', 'retry: Calltouch answered 503'), of('B', 'sent', 'sent'), of('C', 'retry: eSputnik failed', 'refused: Calltouch refused it (400)')], { 'Retry-After': '2' }),
      answer(200, [of('A', 'skipped: not among the destinations asked for', 'sent'), of('C', 'sent', 'skipped: not among the destinations asked for')]),
    );
    const waits: number[] = [];
    const result = await withoutWaiting(() =>
      client(fetch, { onRetry: ({ delayMs }) => waits.push(delayMs) }).orderStatus(['A', 'B', 'C'].map((id) => ({ id, status: 'refunded' as const }))),
    );
    expect(calls.map((call) => call.body)).toEqual([
      [{ id: 'A', status: 'refunded' }, { id: 'B', status: 'refunded' }, { id: 'C', status: 'refunded' }],
      [{ id: 'A', status: 'refunded', destinations: ['calltouch'] }, { id: 'C', status: 'refunded', destinations: ['esputnik'] }],
    ]);
    expect(waits).toEqual([2000]);
    expect(result).toEqual({
      ok: false,
      orders: [of('A', 'sent', 'sent'), of('B', 'sent', 'sent'), of('C', 'sent', 'refused: Calltouch refused it (400)')],
    });
  });

  it('backs off exponentially with jitter where no Retry-After says, and gives up after `retries`', async () => {
    const failures = Array.from({ length: 4 }, () => new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }));
    const { fetch, calls } = scripted(...failures);
    const waits: number[] = [];
    const reasons: string[] = [];
    const result = await withoutWaiting(() =>
      client(fetch, { retries: 3, onRetry: ({ delayMs, reason }) => (waits.push(delayMs), reasons.push(reason)) }).orderStatus({ id: 'N', status: 'delivered' }),
    );
    expect(calls).toHaveLength(4);
    expect(waits).toHaveLength(3);
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(wait).toBeLessThanOrEqual(1000 * 2 ** i);
    });
    expect(reasons[0]).toBe('the relay could not be reached: ECONNREFUSED');
    expect(result).toEqual({
      ok: false,
      orders: [{ id: 'N', status: 'delivered', esputnik: 'retry: the relay could not be reached: ECONNREFUSED', calltouch: 'retry: the relay could not be reached: ECONNREFUSED' }],
    });
  });

  it('retries a 502 from a proxy, a 429 of the relay’s own limit and a timeout; not a 404', async () => {
    const { fetch, calls } = scripted(
      new Response('<html>Bad Gateway</html>', { status: 502 }),
      new Response(JSON.stringify({ errors: ['too many requests; retry in 1 s'] }), { status: 429, headers: { 'Retry-After': '1' } }),
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      answer(200, [of('X', 'sent', 'sent')]),
    );
    const reasons: string[] = [];
    const result = await withoutWaiting(() => client(fetch, { onRetry: ({ reason }) => reasons.push(reason) }).refund('X'));
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(4);
    expect(reasons).toEqual(['the relay answered 502: <html>Bad Gateway</html>', 'the relay answered 429: too many requests; retry in 1 s', 'the relay did not answer within 30000 ms']);
    const missing = await client(scripted(new Response(JSON.stringify({ errors: ['no back office here'] }), { status: 404 })).fetch).refund('X').catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('does not wait for a Retry-After of more than two minutes: answers as it stands', async () => {
    const { fetch, calls } = scripted(answer(429, [of('Y', 'retry: eSputnik is rate limiting', 'sent')], { 'Retry-After': '600' }));
    const result = await client(fetch).refund('Y');
    expect(calls).toHaveLength(1);
    expect(result.orders[0].esputnik).toBe('retry: eSputnik is rate limiting');
  });

  it('keeps the token out of every text, whatever a server in between echoes', async () => {
    const echo = (call: Call) => new Response(`got ${call.headers.get('authorization')}`, { status: 502 });
    const reasons: string[] = [];
    const result = await withoutWaiting(() => client(scripted(echo, echo).fetch, { retries: 1, onRetry: ({ reason }) => reasons.push(reason) }).refund('Z'));
    const bad = (await client(scripted(new Response(JSON.stringify({ errors: [`bad ${TOKEN}`] }), { status: 400 })).fetch).refund('Z').catch((e: unknown) => e)) as Error;
    for (const text of [...reasons, JSON.stringify(result), bad.message]) expect(text).not.toContain(TOKEN);
    expect(reasons[0]).toBe('the relay answered 502: got Bearer [redacted]');
  });

  it('refuses an order too large for one request before sending anything', async () => {
    const { fetch, calls } = scripted();
    const huge = { id: 'H', status: 'updated' as const, products: Array.from({ length: 400 }, (_, i) => ({ id: i, name: 'x'.repeat(60), price: 1, quantity: 1 })) };
    await expect(client(fetch).orderStatus([{ id: 'G', status: 'cancelled' }, huge])).rejects.toMatchObject({ kind: 'input', problems: [expect.stringMatching(/^order H is \d+ bytes as JSON: the relay takes 20480 at most$/)] });
    expect(calls).toEqual([]);
  });

  it.each<[Partial<BackofficeOptions>, string]>([
    [{ url: 'relay' }, 'url must be the relay’s URL, such as http://127.0.0.1:8787'],
    [{ url: 'ftp://relay.example' }, 'url must be an http(s) URL'],
    [{ token: ' ' }, 'token is required: RELAY_BACKOFFICE_TOKEN'],
    [{ retries: -1 }, 'retries must be a whole number from 0 to 20'],
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number of milliseconds'],
  ])('refuses options %j at once', (options, problem) => {
    expect(() => client(scripted().fetch, options)).toThrow(problem);
  });
});
