// The collector's two eSputnik routes over real HTTP, driven from Node: the
// tracker as a page on another origin posts to it, and Generate event as the
// relay posts to it (Basic auth with the API key, at most 20 KB).
import { type IncomingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Collector, DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../support/collector.mjs';
import { eventOrderCreated, trackerProductPage, trackerStatusCart } from '../support/esputnik-fixtures.mjs';
import { offlinePurchase } from '../support/calltouch-fixtures.mjs';

const TRACKER = '/esputnik/tracker';
const EVENT = '/esputnik/api/v2/event';
const PAGE_ORIGIN = 'http://127.0.0.1:1';

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** One request with exactly the headers given (fetch would add and forbid some). */
function send(url: string, { method = 'POST', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const json = { 'Content-Type': 'application/json' };

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
beforeEach(() => collector.reset());

describe('tracker route', () => {
  it('answers a cross-origin preflight and a POST from a page on another origin', async () => {
    const preflight = await send(collector.url + TRACKER, {
      method: 'OPTIONS',
      headers: { Origin: PAGE_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');

    const answer = await send(collector.url + TRACKER, { headers: { ...json, Origin: PAGE_ORIGIN }, body: JSON.stringify(trackerStatusCart) });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
    expect(collector.preflights).toBe(1);
    expect(collector.records).toMatchObject([{ service: 'esputnik-tracker', path: TRACKER, kind: 'StatusCart', valid: true, errors: [], status: 200 }]);
    expect(collector.records[0].body).toEqual(trackerStatusCart);
  });

  it('takes a sendBeacon text/plain body without authorization', async () => {
    const answer = await send(collector.url + TRACKER, {
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: PAGE_ORIGIN }, body: JSON.stringify(trackerProductPage),
    });
    expect(answer.status).toBe(200);
    expect(collector.records.map((r) => r.kind)).toEqual(['ProductPage']);
  });

  it('answers 400 with the schema errors to a body that breaks it', async () => {
    const body = structuredClone(trackerProductPage) as { ProductPage: { Product: Record<string, unknown> } };
    body.ProductPage.Product.price = 150.5;
    const answer = await send(collector.url + TRACKER, { headers: json, body: JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ errors: ['ProductPage.Product.price: expected numeric string >= 0, got 150.5'] });
    expect(collector.invalid).toMatchObject([{ service: 'esputnik-tracker', kind: 'ProductPage', valid: false, status: 400 }]);
  });
});

describe('Generate event route', () => {
  const body = JSON.stringify(eventOrderCreated);

  it('refuses a request without Basic auth, or with the wrong key, and records it as refused', async () => {
    const none = await send(collector.url + EVENT, { headers: json, body });
    const bearer = await send(collector.url + EVENT, { headers: { ...json, Authorization: `Bearer ${DEFAULT_ESPUTNIK_API_KEY}` }, body });
    const wrong = await send(collector.url + EVENT, { headers: { ...json, Authorization: basic('relay', 'not-the-key') }, body });
    expect([none.status, bearer.status, wrong.status]).toEqual([401, 401, 401]);
    expect(JSON.parse(wrong.body)).toEqual({ errors: ['authorization: wrong API key'] });
    expect(collector.records).toEqual([]);
    expect(collector.invalid).toEqual([]); // refused before any schema ran
    expect(collector.all).toMatchObject([
      { service: 'esputnik-event', kind: null, body: undefined, valid: false, status: 401,
        errors: ['authorization: missing (expected Basic with the API key as password)'] },
      { status: 401, errors: ['authorization: expected Basic, got "Bearer"'] },
      { status: 401, errors: ['authorization: wrong API key'] },
    ]);
    // Neither the key nor what was tried is echoed anywhere a log could show it.
    expect(JSON.stringify(collector.all.map((r) => r.errors))).not.toMatch(/not-the-key|test-esputnik-key/);
  });

  it('accepts the right key under any user name and records the body with its kind', async () => {
    const answer = await send(collector.url + EVENT, { headers: { ...json, Authorization: basic('any-user', DEFAULT_ESPUTNIK_API_KEY) }, body });
    const anonymous = await send(collector.url + EVENT, { headers: { ...json, Authorization: basic('', DEFAULT_ESPUTNIK_API_KEY) }, body });
    expect([answer.status, anonymous.status]).toEqual([200, 200]);
    expect(collector.records).toMatchObject([
      { service: 'esputnik-event', path: EVENT, kind: 'orderCreated', valid: true, errors: [], status: 200 },
      { kind: 'orderCreated', valid: true },
    ]);
    expect(collector.records[0].body).toEqual(eventOrderCreated);
  });

  it('takes at most 20 KB (20 480 bytes), like eSputnik', async () => {
    // A valid orderCreated of exactly `bytes` bytes: one item's name padded with ASCII.
    const sized = (bytes: number) => {
      const grown = structuredClone(eventOrderCreated) as { params: Array<{ name: string; value: string }> };
      const items = grown.params.find((p) => p.name === 'items')!;
      const list = JSON.parse(items.value) as Array<{ name: string }>;
      const pad = (n: number) => {
        list[1].name = 'x'.repeat(n);
        items.value = JSON.stringify(list);
        return JSON.stringify(grown);
      };
      const text = pad(bytes - Buffer.byteLength(pad(0)));
      expect(Buffer.byteLength(text)).toBe(bytes);
      return text;
    };
    const headers = { ...json, Authorization: basic('relay', DEFAULT_ESPUTNIK_API_KEY) };
    expect((await send(collector.url + EVENT, { headers, body: sized(20 * 1024) })).status).toBe(200);
    const over = await send(collector.url + EVENT, { headers, body: sized(20 * 1024 + 1) });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toEqual({ errors: ['body over 20480 bytes'] });
    expect(collector.all.map((r) => r.status)).toEqual([200, 413]);
  });

  it('demands the key the collector was started with', async () => {
    const other = await startCollector({ esputnikApiKey: 'another-key' });
    try {
      const withDefault = await send(other.url + EVENT, { headers: { ...json, Authorization: basic('u', DEFAULT_ESPUTNIK_API_KEY) }, body });
      const withOwn = await send(other.url + EVENT, { headers: { ...json, Authorization: basic('u', 'another-key') }, body });
      expect([withDefault.status, withOwn.status]).toEqual([401, 200]);
    } finally {
      await other.close();
    }
  });

  it('leaves the Calltouch route without authorization', async () => {
    const answer = await send(collector.url + '/calltouch/ecommerce.php', { headers: json, body: JSON.stringify(offlinePurchase) });
    expect(answer.status).toBe(200);
    expect(collector.records).toMatchObject([{ service: 'calltouch', kind: 'offline', valid: true }]);
  });
});
