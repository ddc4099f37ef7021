// createRelay, the fetch-style handler, with an injected upstream fetch and clock: what it refuses before eSputnik
// (exact statuses and texts), what it forwards (the event it checked, with the key), how eSputnik's answers come back
// to the tag, the per-client limit, what it logs. Identities and the two lanes: relay-identity.test.ts; what it
// checks and forwards, contacts before orders: relay-checks.test.ts; the spawned server: relay-server.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { createRelay, type RelayOptions } from '../../src/relay/index';
import { tagBodies, withParam, type TagBody } from '../support/relay-bodies.mjs';
import {
  AUTHORIZATION,
  CORS,
  corsOf,
  errorsOf,
  EVENT_URL,
  KEY,
  ORIGIN,
  OTHER_ORIGIN,
  post,
  requestLogs,
  setup,
  type Answer,
} from '../support/relay-handler';

/** The contact of these tests: personal data that must never reach a log line. */
const EMAIL = 'anna@example.com';
const SUB = `email:${EMAIL}`;
const BODIES = tagBodies(SUB);

/** What the relay forwards for a body the tag sent: the same event without its identity. */
const forwardedOf = ({ identity: _identity, ...event }: TagBody) => event;

const encoder = new TextEncoder();

// ---- what the relay forwards ----------------------------------------------------------------------------------

describe('createRelay: the tag’s events are forwarded, checked, with the key', () => {
  it.each(Object.entries(BODIES))('%s → 200, the event without its identity', async (_, body) => {
    const { relay, forwarded } = setup();
    const response = await relay(post(body));
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { ok: true } });
    expect(forwarded()).toEqual([forwardedOf(body)]);
  });

  it('posts JSON to ESPUTNIK_URL with Basic auth, no cookie, no Origin, and follows no redirect', async () => {
    const { relay, sent } = setup();
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: EVENT_URL, method: 'POST', redirect: 'manual' });
    expect(sent[0].headers.get('authorization')).toBe(AUTHORIZATION);
    expect(sent[0].headers.get('content-type')).toBe('application/json');
    expect(sent[0].headers.get('cookie')).toBeNull();
    expect(sent[0].headers.get('origin')).toBeNull();
    expect(sent[0].text).toBe(JSON.stringify(forwardedOf(BODIES.cartUpdated)));
  });

  it('posts to esputnikUrl when given, and contacts to /api/v1/contact on its host', async () => {
    const { relay, sent } = setup({ esputnikUrl: 'https://esputnik.example/api/v2/event' });
    await relay(post(BODIES.orderCreated));
    expect(sent.map((call) => call.url)).toEqual(['https://esputnik.example/api/v1/contact', 'https://esputnik.example/api/v2/event']);
  });

  it('takes application/json and text/plain, with or without a UTF-8 charset', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain;charset=UTF-8', 'Text/Plain; Charset="utf-8"']) {
      const { relay } = setup();
      expect((await relay(post(BODIES.cartUpdated, { 'Content-Type': type }))).status, type).toBe(200);
    }
  });

  it('drops a byte order mark before parsing', async () => {
    const { relay, forwarded } = setup();
    const response = await relay(post(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(JSON.stringify(BODIES.cartUpdated))])));
    expect(response.status).toBe(200);
    expect(forwarded()).toEqual([forwardedOf(BODIES.cartUpdated)]);
  });

  it('takes a body of exactly 20480 bytes', async () => {
    const { relay, sent } = setup();
    const text = JSON.stringify(BODIES.cartUpdated);
    const padded = text.slice(0, -1) + ' '.repeat(20480 - encoder.encode(text).length) + '}';
    expect(encoder.encode(padded).length).toBe(20480);
    expect((await relay(post(padded))).status).toBe(200);
    expect(sent[0].text).toBe(JSON.stringify(forwardedOf(BODIES.cartUpdated)));
  });

  it('answers an allowed origin with CORS headers, and the second allowed origin with its own', async () => {
    const { relay } = setup();
    expect(corsOf(await relay(post(BODIES.cartUpdated)))).toEqual(CORS);
    const other = await relay(post(BODIES.cartUpdated, { Origin: OTHER_ORIGIN }));
    expect(other.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
  });
});

// ---- what it refuses before eSputnik ---------------------------------------------------------------------------

describe('createRelay: refusals', () => {
  const valid = BODIES.cartUpdated;
  const bigText = JSON.stringify({ ...valid, pad: 'x'.repeat(20480) });
  /** A body that arrives in pieces with no Content-Length, recording how much of it was pulled. */
  const streamed = (total: number) => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        const chunk = new Uint8Array(Math.min(4096, total - pulled)).fill(0x20);
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return { stream, pulled: () => pulled };
  };

  type Case = [label: string, request: () => Request, status: number, errors: string[], extra?: Record<string, string>];
  const refused: Case[] = [
    ['a foreign Origin', () => post(valid, { Origin: 'https://evil.example' }), 403, ['this origin may not post here']],
    ['an allowed host over http', () => post(valid, { Origin: 'http://shop.example' }), 403, ['this origin may not post here']],
    ['a look-alike host', () => post(valid, { Origin: 'https://shop.example.evil.example' }), 403, ['this origin may not post here']],
    ['Origin: null (a sandboxed frame, a file)', () => post(valid, { Origin: 'null' }), 403, ['this origin may not post here']],
    ['Origin: null from another site', () => post(valid, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }), 403, ['this origin may not post here']],
    ['no Origin', () => new Request('https://shop.example/', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(valid) }), 403, ['the Origin header is missing']],
    ['GET', () => new Request('https://shop.example/', { headers: { Origin: ORIGIN } }), 405, ['only POST is accepted'], { allow: 'POST, OPTIONS' }],
    ['PUT', () => new Request('https://shop.example/', { method: 'PUT', headers: { Origin: ORIGIN }, body: '{}' }), 405, ['only POST is accepted'], { allow: 'POST, OPTIONS' }],
    ['DELETE', () => new Request('https://shop.example/', { method: 'DELETE', headers: { Origin: ORIGIN } }), 405, ['only POST is accepted'], { allow: 'POST, OPTIONS' }],
    ['a form post', () => post(valid, { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, ['Content-Type must be application/json or text/plain (UTF-8)']],
    ['multipart', () => post(valid, { 'Content-Type': 'multipart/form-data; boundary=x' }), 415, ['Content-Type must be application/json or text/plain (UTF-8)']],
    ['text in another charset', () => post(valid, { 'Content-Type': 'text/plain; charset=windows-1251' }), 415, ['Content-Type must be application/json or text/plain (UTF-8)']],
    ['no Content-Type', () => new Request('https://shop.example/', { method: 'POST', headers: { Origin: ORIGIN }, body: encoder.encode(JSON.stringify(valid)) }), 415, ['Content-Type must be application/json or text/plain (UTF-8)']],
    ['20481 bytes', () => post(bigText.slice(0, 20481)), 413, ['the body must be at most 20480 bytes']],
    ['a Content-Length over the limit', () => post(bigText, { 'Content-Length': String(encoder.encode(bigText).length) }), 413, ['the body must be at most 20480 bytes']],
    ['not JSON', () => post('eventTypeKey=cartUpdated'), 400, ['the body is not JSON']],
    ['not UTF-8', () => post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, ['the body is not UTF-8']],
    ['an empty body', () => post(''), 400, ['the body is not JSON']],
  ];

  it.each(refused.map(([label, ...rest]): Case => [`${label} → ${rest[1]}`, ...rest]))('%s', async (_, request, status, errors, extra = {}) => {
    const { relay, sent, logs } = setup();
    const response = await relay(request());
    expect(response.status).toBe(status);
    expect(await errorsOf(response)).toEqual(errors);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const [name, value] of Object.entries(extra)) expect(response.headers.get(name)).toBe(value);
    // A page of an allowed origin can read every refusal; another origin gets nothing to read.
    const origin = request().headers.get('origin');
    if (status === 403) expect(response.headers.get('access-control-allow-origin')).toBeNull();
    else if (origin === ORIGIN) expect(corsOf(response)).toEqual(CORS);
    expect(response.headers.get('vary')).toBe('Origin');
    expect(sent).toHaveLength(0);
    expect(requestLogs(logs)).toHaveLength(1);
    expect(requestLogs(logs)[0]).toMatchObject({ status, level: 'warn' });
  });

  it('stops reading a streamed body at the limit (no Content-Length), and cancels the rest', async () => {
    const { relay, sent } = setup();
    const body = streamed(1024 * 1024);
    const request = new Request('https://shop.example/', {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: body.stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const response = await relay(request);
    expect(response.status).toBe(413);
    expect(await errorsOf(response)).toEqual(['the body must be at most 20480 bytes']);
    expect(body.pulled()).toBeLessThan(20480 + 3 * 4096);
    expect(sent).toHaveLength(0);
  });

  // Finding: a page under `Referrer-Policy: no-referrer` sends its pagehide beacon with `Origin: null`.
  it('takes a same-origin beacon that says Origin: null (Sec-Fetch-Site: same-origin), with nothing for a page to read', async () => {
    const { relay, forwarded } = setup();
    const response = await relay(post(valid, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(forwarded()).toEqual([forwardedOf(valid)]);
  });
});

describe('createRelay: bodies eSputnik would not take → 400 with every reason', () => {
  const order = BODIES.orderCreated;
  const viewed = BODIES.productViewed;
  const cart = BODIES.cartUpdated;
  const types = 'productViewed, cartUpdated, orderCreated, orderCancelled';
  const cases: Array<[string, unknown, string[]]> = [
    ['a JSON array', [viewed], ['the body must be a JSON object {eventTypeKey, keyValue, params}']],
    ['a JSON string', '"productViewed"', ['the body must be a JSON object {eventTypeKey, keyValue, params}']],
    ['an unknown eventTypeKey', { ...viewed, eventTypeKey: 'purchase' }, [`eventTypeKey must be one of ${types}`]],
    ['no eventTypeKey', { ...viewed, eventTypeKey: undefined }, ['eventTypeKey is required']],
    ['params not a list', { ...viewed, params: { product: '{}' } }, ['params must be an array of {name, value}']],
    ['a param without a name', { ...viewed, params: [{ value: 'x' }, ...viewed.params] }, ['params[0] must be {name, value} with a name of 1 to 100 characters']],
    ['a param without a value', { ...viewed, params: [{ name: 'note' }, ...viewed.params] }, ['params[0].value is required']],
    ['an empty keyValue', { ...viewed, keyValue: '' }, ['keyValue must be a non-empty string']],
    ['no keyValue and no contact param', { eventTypeKey: 'orderCancelled', params: [{ name: 'externalOrderId', value: '1' }], identity: BODIES.cartUpdated.identity }, ['keyValue is missing and no param names the contact (externalCustomerId, email, phone)']],
    ['an empty email', withParam(viewed, 'email', ''), ['param email is no email eSputnik can match']],
    // productViewed (seed 002): product {productId: String, price: Double}
    ['productViewed without product', withParam(viewed, 'product', undefined), ['param product is required']],
    ['productViewed, product not JSON', withParam(viewed, 'product', '{productId:1003}'), ['param product must be a JSON object']],
    ['productViewed, product a JSON array', withParam(viewed, 'product', '[{"productId":"1003","price":1}]'), ['param product must be a JSON object']],
    ['productViewed, product a bare number', withParam(viewed, 'product', 1003), ['param product must be a JSON object']],
    ['productViewed, no productId', withParam(viewed, 'product', '{"price":150.5}'), ['param product.productId is required']],
    ['productViewed, productId a number', withParam(viewed, 'product', '{"productId":1003,"price":150.5}'), ['param product.productId must be a non-empty string']],
    ['productViewed, price a string', withParam(viewed, 'product', '{"productId":"1003","price":"150.5"}'), ['param product.price must be a number']],
    ['productViewed, isInStock 2', withParam(viewed, 'product', '{"productId":"1003","price":1,"isInStock":2}'), ['param product.isInStock must be 0 or 1']],
    ['productViewed, currencyCode not ISO 4217', withParam(viewed, 'currencyCode', 'рубли'), ['param currencyCode must be an ISO 4217 code such as RUB']],
    // cartUpdated (seed 002): recycleStateId required; products [{productId, quantity, price}]
    ['cartUpdated without recycleStateId', withParam(cart, 'recycleStateId', undefined), ['param recycleStateId is required']],
    ['cartUpdated, products an object', withParam(cart, 'products', '{"productId":"1003"}'), ['param products must be a JSON array']],
    [
      'cartUpdated, lines without quantity or price',
      withParam(cart, 'products', '[{"productId":"1","quantity":1,"price":2},{"productId":"2"}]'),
      ['param products[1].quantity is required', 'param products[1].price is required'],
    ],
    ['cartUpdated, a line that is not an object', withParam(cart, 'products', '["1003"]'), ['param products[0] must be an object']],
    // orderCreated (seed 001)
    [
      'orderCreated with nothing but a contact',
      { eventTypeKey: 'orderCreated', keyValue: EMAIL, params: [{ name: 'email', value: EMAIL }], identity: BODIES.orderCreated.identity },
      ['param externalOrderId is required', 'param totalCost is required', 'param status is required', 'param date is required'],
    ],
    ['orderCreated, status PAID', withParam(order, 'status', 'PAID'), ['param status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART']],
    ['orderCreated, status in lower case', withParam(order, 'status', 'initialized'), ['param status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART']],
    ['orderCreated, date with a space', withParam(order, 'date', '2026-11-22 10:11:00'), ['param date must be a date YYYY-MM-ddTHH:mm:ss']],
    ['orderCreated, date with a zone', withParam(order, 'date', '2026-11-22T10:11:00Z'), ['param date must be a date YYYY-MM-ddTHH:mm:ss']],
    ['orderCreated, date a millisecond timestamp', withParam(order, 'date', 1795000000000), ['param date must be a date YYYY-MM-ddTHH:mm:ss']],
    ['orderCreated, 30 February', withParam(order, 'date', '2026-02-30T10:11:00'), ['param date must be a date YYYY-MM-ddTHH:mm:ss']],
    ["orderCreated, 24 o'clock", withParam(order, 'date', '2026-11-22T24:00:00'), ['param date must be a date YYYY-MM-ddTHH:mm:ss']],
    ['orderCreated, totalCost not a number', withParam(order, 'totalCost', '301 RUB'), ['param totalCost must be a number in decimal notation, at least 0']],
    ['orderCreated, totalCost with a comma', withParam(order, 'totalCost', '301,50'), ['param totalCost must be a number in decimal notation, at least 0']],
    ['orderCreated, an empty externalOrderId', withParam(order, 'externalOrderId', ' '), ['param externalOrderId must be a non-empty string']],
    [
      'orderCreated with keyValue but no contact param',
      { ...order, params: order.params.filter((param) => param.name !== 'email') },
      ['orderCreated needs a contact param: externalCustomerId, email, phone'],
    ],
    ['orderCreated, status given twice', { ...order, params: [...order.params, { name: 'status', value: 'CANCELLED' }] }, ['param status is given more than once']],
    ['orderCancelled without externalOrderId', withParam(BODIES.orderCancelled, 'externalOrderId', undefined), ['param externalOrderId is required']],
  ];

  it.each(cases)('%s', async (_, body, errors) => {
    const { relay, sent, logs } = setup();
    const response = await relay(post(typeof body === 'string' ? body : JSON.stringify(body)));
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toEqual(errors);
    expect(corsOf(response)).toEqual(CORS);
    expect(sent).toHaveLength(0);
    // The log says why in the same words, which never carry a value that was sent.
    expect(requestLogs(logs)[0].reason).toBe(errors.join('; '));
  });

  it('forwards only the events it was told to, and refuses the rest like an unknown type, logging which', async () => {
    const { relay, forwarded, logs } = setup({ events: ['productViewed', 'cartUpdated', 'orderCreated'] });
    expect((await relay(post(BODIES.orderCreated))).status).toBe(200);
    const refused = await relay(post(BODIES.orderCancelled));
    expect(refused.status).toBe(400);
    expect(await errorsOf(refused)).toEqual(['eventTypeKey must be one of productViewed, cartUpdated, orderCreated']);
    // Every reason is still listed, as for an unknown type.
    const alsoBroken = await relay(post({ ...BODIES.orderCancelled, keyValue: '' }));
    expect(await errorsOf(alsoBroken)).toEqual(['eventTypeKey must be one of productViewed, cartUpdated, orderCreated', 'keyValue must be a non-empty string']);
    expect(forwarded().map((event) => event.eventTypeKey)).toEqual(['orderCreated']);
    expect(requestLogs(logs).map((line) => [line.status, line.eventTypeKey])).toEqual([[200, 'orderCreated'], [400, 'orderCancelled'], [400, 'orderCancelled']]);
  });

  it('lists the first 20 reasons and how many more there are: a 20 KB body must not buy a megabyte of answer', async () => {
    // Two reasons per empty line: 2000 in all, about 80 KB of answer if every one were listed.
    const { relay, logs } = setup();
    const response = await relay(post(withParam(BODIES.cartUpdated, 'products', JSON.stringify(Array.from({ length: 500 }, () => ({ productId: '1' }))))));
    expect(response.status).toBe(400);
    const text = await response.text();
    const { errors } = JSON.parse(text) as { errors: string[] };
    expect(errors.slice(0, 2)).toEqual(['param products[0].quantity is required', 'param products[0].price is required']);
    expect(errors.slice(18)).toEqual(['param products[9].quantity is required', 'param products[9].price is required', 'and 980 more']);
    expect(text.length).toBeLessThan(1500);
    expect(requestLogs(logs)[0].reason).toBe(errors.join('; '));
  });
});

// ---- preflight, health -----------------------------------------------------------------------------------------

describe('createRelay: preflight and health', () => {
  it('answers a preflight from an allowed origin with 204 and what the tag may send', async () => {
    const { relay, sent } = setup();
    const response = await relay(
      new Request('https://shop.example/ecomtag/relay', {
        method: 'OPTIONS',
        headers: { Origin: OTHER_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      }),
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toEqual({
      'access-control-allow-origin': OTHER_ORIGIN,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type, Accept',
      'access-control-max-age': '7200',
      'access-control-expose-headers': 'Retry-After',
      allow: 'POST, OPTIONS',
      vary: 'Origin',
    });
    expect(await response.text()).toBe('');
    expect(sent).toHaveLength(0);
  });

  it('refuses a preflight from another origin, or without one', async () => {
    const { relay } = setup();
    const preflights: Array<Record<string, string>> = [{ Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' }, { 'Access-Control-Request-Method': 'POST' }];
    for (const headers of preflights) {
      const response = await relay(new Request('https://shop.example/', { method: 'OPTIONS', headers }));
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('answers GET /healthz with 200 ok, no Origin needed', async () => {
    const { relay, sent } = setup();
    const response = await relay(new Request('https://relay.example/healthz'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(sent).toHaveLength(0);
  });
});

// ---- eSputnik's answers ----------------------------------------------------------------------------------------

describe("createRelay: eSputnik's answer, as the tag's outbox needs it", () => {
  const answerWith =
    (status: number, body = '', headers: Record<string, string> = {}): Answer =>
    () =>
      new Response(status === 204 || status === 304 ? null : body, { status, headers });

  // [label, eSputnik's answer, relay status, errors (null: {ok:true}), Retry-After, log level]
  const table: Array<[string, Answer, number, string[] | null, string | null, string]> = [
    ['200', answerWith(200, '{"id":1}'), 200, null, null, 'info'],
    ['202', answerWith(202), 200, null, null, 'info'],
    ['204', answerWith(204), 200, null, null, 'info'],
    // Finding: eSputnik's own words reached anonymous callers (an oracle for "is this a customer").
    ['400 with a message', answerWith(400, 'Contact anna@example.com not found'), 400, ['eSputnik refused the event'], null, 'warn'],
    ['400 without one', answerWith(400), 400, ['eSputnik refused the event'], null, 'warn'],
    ['422', answerWith(422, 'x'), 400, ['eSputnik refused the event'], null, 'warn'],
    ['413', answerWith(413), 413, ['eSputnik refused the body as too large'], null, 'warn'],
    ['401: the key is wrong', answerWith(401, 'Unauthorized'), 502, ['the relay is misconfigured; retry later'], null, 'error'],
    ['403: the key may not do this', answerWith(403), 502, ['the relay is misconfigured; retry later'], null, 'error'],
    ['404: ESPUTNIK_URL is wrong', answerWith(404), 502, ['the relay is misconfigured; retry later'], null, 'error'],
    ['301: ESPUTNIK_URL is wrong', answerWith(301, '', { Location: 'https://elsewhere.example/' }), 502, ['the relay is misconfigured; retry later'], null, 'error'],
    ['408', answerWith(408), 504, ['eSputnik timed out; retry later'], null, 'error'],
    ['429 with Retry-After', answerWith(429, '', { 'Retry-After': '7' }), 429, ['eSputnik is rate limiting; retry later'], '7', 'warn'],
    ['429 without Retry-After', answerWith(429), 429, ['eSputnik is rate limiting; retry later'], '5', 'warn'],
    ['429 with an unreadable Retry-After', answerWith(429, '', { 'Retry-After': 'soon' }), 429, ['eSputnik is rate limiting; retry later'], '5', 'warn'],
    // Finding: Retry-After: 999999999 was passed through; the tag never waits longer than a minute.
    ['429 with a Retry-After of years', answerWith(429, '', { 'Retry-After': '999999999' }), 429, ['eSputnik is rate limiting; retry later'], '60', 'warn'],
    ['500', answerWith(500), 502, ['eSputnik failed; retry later'], null, 'error'],
    ['502', answerWith(502), 502, ['eSputnik failed; retry later'], null, 'error'],
    ['503 with Retry-After', answerWith(503, '', { 'Retry-After': '30' }), 503, ['eSputnik is unavailable; retry later'], '30', 'error'],
    ['503 with a Retry-After of days', answerWith(503, '', { 'Retry-After': '172800' }), 503, ['eSputnik is unavailable; retry later'], '60', 'error'],
    ['503 without', answerWith(503), 503, ['eSputnik is unavailable; retry later'], '5', 'error'],
    ['504', answerWith(504), 502, ['eSputnik failed; retry later'], null, 'error'],
    ['400 "Duplicated request": it had the event', answerWith(400, '{"error":"Duplicated request"}'), 200, null, null, 'info'],
    ['409 "Duplicated request"', answerWith(409, 'Duplicated request'), 200, null, null, 'info'],
    [
      'a network error',
      () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:443'), { code: 'ECONNREFUSED' }) })),
      502,
      ['eSputnik could not be reached; retry later'],
      null,
      'error',
    ],
  ];

  it.each(table.map(([label, ...rest]): (typeof table)[number] => [`${label} → ${rest[1]}`, ...rest]))('%s', async (label, answer, status, errors, retryAfter, level) => {
    const { relay, logs, sent } = setup({}, answer);
    const response = await relay(post(BODIES.cartUpdated));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(errors === null ? { ok: true } : { errors });
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(corsOf(response)).toEqual(CORS);
    expect(sent).toHaveLength(1);
    const [line] = requestLogs(logs);
    // eSputnik's status is logged whenever it answered.
    expect(line).toMatchObject({ status, level, eventTypeKey: 'cartUpdated', upstream: label.startsWith('a network error') ? null : Number(label.slice(0, 3)) });
  });

  it("logs eSputnik's words (cut short), and says a duplicate was delivered", async () => {
    const refused = setup({}, answerWith(400, `Contact ${EMAIL} not found.\n${'x'.repeat(5000)}`));
    await refused.relay(post(BODIES.cartUpdated));
    const reason = requestLogs(refused.logs)[0].reason!;
    expect(reason.startsWith(`eSputnik refused the event (400): Contact ${EMAIL} not found. xxx`)).toBe(true);
    expect(reason.length).toBeLessThan(400);
    const duplicate = setup({}, answerWith(400, 'Duplicated request'));
    await duplicate.relay(post(BODIES.cartUpdated));
    expect(requestLogs(duplicate.logs)[0]).toMatchObject({ level: 'info', status: 200, upstream: 400, reason: 'eSputnik had the event already (400, "Duplicated request"): delivered' });
  });

  it('says in the log, at error level, that the key was refused', async () => {
    const { relay, logs } = setup({}, answerWith(401));
    await relay(post(BODIES.cartUpdated));
    expect(requestLogs(logs)[0]).toMatchObject({ level: 'error', upstream: 401, status: 502 });
    expect(requestLogs(logs)[0].reason).toMatch(/^eSputnik refused the relay's API key \(401\): set ESPUTNIK_API_KEY/);
  });

  it('names the network failure in the log', async () => {
    const { relay, logs } = setup({}, table.at(-1)![1]);
    await relay(post(BODIES.cartUpdated));
    expect(requestLogs(logs)[0].reason).toBe('eSputnik unreachable: ECONNREFUSED');
  });

  it('turns a Retry-After date into seconds', async () => {
    const at = new Date(Date.now() + 40_000).toUTCString();
    const { relay } = setup({}, answerWith(429, '', { 'Retry-After': at }));
    const seconds = Number((await relay(post(BODIES.cartUpdated))).headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(38);
    expect(seconds).toBeLessThanOrEqual(40);
  });

  it('uses upstreamRetryAfterSeconds when eSputnik names no delay', async () => {
    const { relay } = setup({ upstreamRetryAfterSeconds: 2 }, answerWith(429));
    expect((await relay(post(BODIES.cartUpdated))).headers.get('retry-after')).toBe('2');
  });

  // Finding: a 100 MB error answer was read whole. Its reader is pulled for the first 2 KB, then cancelled.
  it('reads at most a few kilobytes of an answer, then lets the rest go', async () => {
    let pulled = 0;
    let cancelled = false;
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x78));
        if (pulled >= 100 * 1024 * 1024) controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    const { relay } = setup({}, () => new Response(huge, { status: 400 }));
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(400);
    expect(pulled).toBeLessThanOrEqual(3 * 64 * 1024);
    expect(cancelled).toBe(true);
  });

  // Scenarios about time: the timeout is real, and short.
  it('answers 504 when eSputnik does not answer within upstreamTimeoutMs, and aborts the request through fetch’s own signal', async () => {
    const { relay, sent, logs } = setup({ upstreamTimeoutMs: 50 }, (call) => new Promise((_, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason))));
    const response = await relay(post(BODIES.cartUpdated));
    expect(response.status).toBe(504);
    expect(await errorsOf(response)).toEqual(['eSputnik did not answer in time; retry later']);
    // In fetch's init, where undici reads it; on a Request object it would be dropped (nodejs/undici#4068).
    expect(sent[0].signal?.aborted).toBe(true);
    expect(requestLogs(logs)[0]).toMatchObject({ status: 504, upstream: null, reason: 'eSputnik did not answer within 50 ms' });
  });

  it('answers 504 on time even when the fetch ignores its signal', async () => {
    const { relay } = setup({ upstreamTimeoutMs: 50 }, () => new Promise<Response>(() => undefined));
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(504);
  });

  it('answers 503 with Retry-After at once while maxInFlight requests wait for eSputnik, and takes more as they end', async () => {
    // Answered by event type: the two first requests may reach eSputnik in either order (each checks its body
    // and identity on its own), and the one left unanswered would end in the upstream timeout.
    const answer: Record<string, () => void> = {};
    const { relay, sent, logs } = setup({ maxInFlight: 2, upstreamRetryAfterSeconds: 3 }, (call) =>
      new Promise<Response>((resolve) => (answer[(JSON.parse(call.text) as { eventTypeKey: string }).eventTypeKey] = () => resolve(new Response('{}', { status: 200 })))),
    );
    const first = relay(post(BODIES.cartUpdated));
    const second = relay(post(BODIES.productViewed));
    await vi.waitFor(() => expect(Object.keys(answer).sort()).toEqual(['cartUpdated', 'productViewed']));

    const busy = await relay(post(BODIES.orderCancelled));
    expect({ status: busy.status, retryAfter: busy.headers.get('retry-after'), errors: await errorsOf(busy) }).toEqual({
      status: 503,
      retryAfter: '3',
      errors: ['the relay is busy; retry later'],
    });
    expect(corsOf(busy)).toEqual(CORS);
    expect(sent).toHaveLength(2);
    expect(requestLogs(logs)[0]).toMatchObject({ status: 503, level: 'error', eventTypeKey: 'orderCancelled', upstream: null, reason: '2 requests already waiting for eSputnik' });

    answer.cartUpdated();
    expect((await first).status).toBe(200);
    const third = relay(post(BODIES.orderCancelled));
    await vi.waitFor(() => expect(answer.orderCancelled).toBeDefined());
    answer.productViewed();
    answer.orderCancelled();
    expect([(await second).status, (await third).status]).toEqual([200, 200]);
  });

  it('no longer counts a request once eSputnik failed it or the timeout ended it', async () => {
    const failing = setup({ maxInFlight: 1 }, () => Promise.reject(new TypeError('fetch failed')));
    expect([(await failing.relay(post(BODIES.cartUpdated))).status, (await failing.relay(post(BODIES.cartUpdated))).status]).toEqual([502, 502]);
    const hanging = setup({ maxInFlight: 1, upstreamTimeoutMs: 50 }, () => new Promise<Response>(() => undefined));
    expect([(await hanging.relay(post(BODIES.cartUpdated))).status, (await hanging.relay(post(BODIES.cartUpdated))).status]).toEqual([504, 504]);
  });
});

// ---- the rate limit per client ---------------------------------------------------------------------------------

describe('createRelay: rate limit per client', () => {
  const limited = (extra: Partial<RelayOptions> = {}) => setup({ rateLimit: { burst: 3, perSecond: 1 }, ...extra });

  it('takes a burst, then answers 429 with Retry-After until a token is back', async () => {
    const { relay, advance, sent } = limited();
    const from = { client: '203.0.113.7' };
    for (let i = 0; i < 3; i++) expect((await relay(post(BODIES.cartUpdated), from)).status).toBe(200);
    const refused = await relay(post(BODIES.cartUpdated), from);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await errorsOf(refused)).toEqual(['too many requests; retry in 1 s']);
    expect(corsOf(refused)).toEqual(CORS);
    expect(sent).toHaveLength(3);
    advance(999);
    expect((await relay(post(BODIES.cartUpdated), from)).status).toBe(429);
    advance(1);
    expect((await relay(post(BODIES.cartUpdated), from)).status).toBe(200);
  });

  it('counts each client apart; an IPv6 client by its /64', async () => {
    const { relay } = limited();
    const spend = async (client: string, n: number) => {
      const statuses = [];
      for (let i = 0; i < n; i++) statuses.push((await relay(post(BODIES.cartUpdated), { client })).status);
      return statuses;
    };
    expect(await spend('203.0.113.7', 4)).toEqual([200, 200, 200, 429]);
    expect(await spend('203.0.113.8', 1)).toEqual([200]);
    expect(await spend('::ffff:203.0.113.7', 1)).toEqual([429]);
    expect(await spend('2001:db8:1:2::1', 3)).toEqual([200, 200, 200]);
    expect(await spend('2001:db8:1:2:ffff::9', 1)).toEqual([429]);
    expect(await spend('2001:db8:1:3::1', 1)).toEqual([200]);
  });

  // Finding: rotating IPv6 /64s defeated the LRU table; each new one pushed out an older bucket and got a fresh one.
  it('stays effective when its table is full: newcomers share one bucket, and no spent bucket is forgotten', async () => {
    const { relay, advance } = setup({ rateLimit: { burst: 2, perSecond: 0.01, maxClients: 10 }, contactRateLimit: false });
    const statuses: number[] = [];
    for (let n = 0; n < 200; n++) {
      statuses.push((await relay(post(BODIES.cartUpdated), { client: `2001:db8:${n.toString(16)}::1` })).status);
      advance(1);
    }
    // Ten /64s fill the table with their own buckets (2 each, but they spend 1); the other 190 share the overflow's 2.
    expect(statuses.filter((status) => status === 200)).toHaveLength(12);
    // The first client's spent bucket is still there: it is not handed a fresh one.
    const first = [0, 0].map(() => 0);
    for (let i = 0; i < first.length; i++) first[i] = (await relay(post(BODIES.cartUpdated), { client: '2001:db8:0::5' })).status;
    expect(first).toEqual([200, 429]);
  });

  it('reads the client from X-Forwarded-For only when told how many proxies to trust', async () => {
    const trusting = setup({ rateLimit: { burst: 1, perSecond: 1 }, trustProxy: 1 });
    const via = (forwarded: string) => trusting.relay(post(BODIES.cartUpdated, { 'X-Forwarded-For': forwarded }), { client: '10.0.0.1' });
    expect((await via('198.51.100.1')).status).toBe(200);
    // The proxy appended the real address last; what the client wrote before it changes nothing.
    expect((await via('1.1.1.1, 198.51.100.1')).status).toBe(429);
    expect((await via('198.51.100.2')).status).toBe(200);
    expect(requestLogs(trusting.logs).map((line) => line.client)).toEqual(['198.51.100.1', '198.51.100.1', '198.51.100.2']);

    const ignoring = setup({ rateLimit: { burst: 1, perSecond: 1 } });
    const direct = (forwarded: string) => ignoring.relay(post(BODIES.cartUpdated, { 'X-Forwarded-For': forwarded }), { client: '10.0.0.1' });
    expect((await direct('198.51.100.1')).status).toBe(200);
    expect((await direct('198.51.100.2')).status).toBe(429);
  });

  it('says once (not per request) that it ignores an X-Forwarded-For', async () => {
    const { relay, logs, advance } = setup();
    for (let i = 0; i < 5; i++) await relay(post(BODIES.cartUpdated, { 'X-Forwarded-For': `198.51.100.${i}` }), { client: '10.0.0.1' });
    const warnings = () => logs.filter((line) => line.msg === 'X-Forwarded-For ignored');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 'warn', reason: expect.stringContaining('RELAY_TRUST_PROXY') });
    // Again after ten minutes, if it still comes.
    advance(10 * 60 * 1000);
    await relay(post(BODIES.cartUpdated, { 'X-Forwarded-For': '198.51.100.9' }), { client: '10.0.0.1' });
    expect(warnings()).toHaveLength(2);
    const trusting = setup({ trustProxy: 1 });
    await trusting.relay(post(BODIES.cartUpdated, { 'X-Forwarded-For': '198.51.100.1' }), { client: '10.0.0.1' });
    expect(trusting.logs.filter((line) => line.msg === 'X-Forwarded-For ignored')).toEqual([]);
  });

  it('puts clients the host could not name in one bucket', async () => {
    const { relay, logs } = setup({ rateLimit: { burst: 1, perSecond: 1 } });
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(200);
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(429);
    expect(requestLogs(logs)[1].client).toBe('unknown');
  });

  it('can be turned off', async () => {
    const { relay } = setup({ rateLimit: false, contactRateLimit: false });
    for (let i = 0; i < 100; i++) expect((await relay(post(BODIES.cartUpdated), { client: '203.0.113.7' })).status).toBe(200);
  });

  it('limits only posts from allowed origins, before reading the body', async () => {
    const { relay } = setup({ rateLimit: { burst: 1, perSecond: 1 } });
    const from = { client: '203.0.113.7' };
    expect((await relay(post(BODIES.cartUpdated, { Origin: 'https://evil.example' }), from)).status).toBe(403);
    expect((await relay(post(BODIES.cartUpdated), from)).status).toBe(200);
    expect((await relay(post('not json'), from)).status).toBe(429);
  });
});

// ---- logs and the key ------------------------------------------------------------------------------------------

describe('createRelay: logs, and where the key may appear', () => {
  it('logs one line per request with its fields', async () => {
    const { relay, logs, advance } = setup({}, async () => {
      advance(37);
      return new Response('{}', { status: 200 });
    });
    await relay(post(BODIES.cartUpdated, {}, '/ecomtag/relay?debug=1'), { client: '203.0.113.7' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/ecomtag/relay',
      status: 200,
      ms: 37,
      eventTypeKey: 'cartUpdated',
      client: '203.0.113.7',
      upstream: 200,
      contactUpstream: null,
      reason: null,
    });
  });

  it('logs no eventTypeKey it does not know (a client may write anything there)', async () => {
    const { relay, logs } = setup();
    await relay(post({ ...BODIES.orderCancelled, eventTypeKey: 'anna@example.com' }));
    expect(requestLogs(logs)[0].eventTypeKey).toBeNull();
  });

  it('never puts the key, the Authorization header, the body, the identity or a contact value in a response or a log line', async () => {
    const secrets = [KEY, AUTHORIZATION, AUTHORIZATION.slice(6), EMAIL, 'USB-удлинитель', BODIES.cartUpdated.identity!, BODIES.cartUpdated.identity!.split('.')[1]];
    const answers: Answer[] = [
      () => new Response('{}', { status: 200 }),
      () => new Response(`bad request from key ${KEY} (${AUTHORIZATION})`, { status: 400 }),
      () => new Response(KEY, { status: 401 }),
      () => new Response(KEY, { status: 429 }),
      () => new Response(KEY, { status: 500 }),
      () => Promise.reject(new Error(`boom ${KEY}`)),
    ];
    const seen: string[] = [];
    for (const answer of answers) {
      const { relay, logs } = setup({}, answer, answer);
      for (const body of [...Object.values(BODIES), withParam(BODIES.orderCreated, 'status', 'PAID'), { ...BODIES.cartUpdated, params: 'x' }]) {
        const response = await relay(post(body));
        seen.push(`${response.status} ${JSON.stringify(Object.fromEntries(response.headers))} ${await response.text()}`);
      }
      seen.push(...logs.map((line) => JSON.stringify(line)));
    }
    expect(seen.length).toBeGreaterThan(60);
    for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
    // What eSputnik said on a 400 reaches the log, with the key cut out, and not the tag.
    expect(seen.some((text) => text.includes('bad request from key [redacted] (Basic [redacted]'))).toBe(true);
    expect(seen.filter((text) => /^400 .*bad request/.test(text))).toEqual([]);
  });

  it('answers a bug with 500 (retryable), readable by the page, and logs it at error level', async () => {
    let calls = 0;
    const { relay, logs } = setup({
      // The first reading times the request; the second, the rate limit's, breaks.
      now: () => {
        calls += 1;
        if (calls === 2) throw new Error('clock broke');
        return 0;
      },
    });
    const response = await relay(post(BODIES.cartUpdated), { client: '203.0.113.7' });
    expect(response.status).toBe(500);
    expect(await errorsOf(response)).toEqual(['internal error; retry later']);
    expect(corsOf(response)).toEqual(CORS);
    expect(requestLogs(logs)[0]).toMatchObject({ status: 500, level: 'error', reason: 'internal error: clock broke' });
  });

  it('keeps answering when the log throws', async () => {
    const { relay } = setup({
      log: () => {
        throw new Error('disk full');
      },
    });
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(200);
  });
});

// ---- options ---------------------------------------------------------------------------------------------------

describe('createRelay: options it cannot use fail at once', () => {
  const base: RelayOptions = { apiKey: KEY, allowedOrigins: [ORIGIN] };
  it.each<[string, RelayOptions, string]>([
    ['no key', { ...base, apiKey: ' ' }, 'apiKey is required: the eSputnik API key'],
    ['no origins', { ...base, allowedOrigins: [] }, "no allowed origins: list the store's origins, e.g. https://shop.example"],
    ['an origin with a path', { ...base, allowedOrigins: ['https://shop.example/relay'] }, 'allowed origin "https://shop.example/relay" is not an origin like https://shop.example (scheme and host, no path)'],
    ['a wildcard', { ...base, allowedOrigins: ['*'] }, 'allowed origin "*" is not an origin like https://shop.example (scheme and host, no path)'],
    ['an ESPUTNIK_URL that is not http(s)', { ...base, esputnikUrl: 'ftp://esputnik.com/' }, 'esputnikUrl must be an http(s) URL'],
    ['a negative timeout', { ...base, upstreamTimeoutMs: -1 }, 'upstreamTimeoutMs must be a positive number'],
    ['a fractional trustProxy', { ...base, trustProxy: 1.5 }, 'trustProxy must be a whole number of proxies (0 to ignore X-Forwarded-For)'],
    ['a zero burst', { ...base, rateLimit: { burst: 0 } }, 'rateLimit.burst must be a positive number'],
    ['a zero contact burst', { ...base, contactRateLimit: { burst: 0 } }, 'contactRateLimit.burst must be a positive number'],
    ['a zero maxInFlight', { ...base, maxInFlight: 0 }, 'maxInFlight must be a positive number'],
    ['a zero maxRps', { ...base, maxRps: 0 }, 'maxRps must be a positive number'],
    ['a short identity secret', { ...base, identitySecret: 'secret' }, 'identitySecret must be at least 32 characters (e.g. the output of openssl rand -hex 32)'],
    ['an item host that is a URL', { ...base, itemHosts: ['https://cdn.example/'] }, 'item host "https://cdn.example/" is not a host name like cdn.shop.example'],
    ['no events', { ...base, events: [] }, 'events must list event types among pageViewed, productViewed, productCategoryViewed, cartUpdated, productImpressions, productAddedToWishlist, searchRequest, orderCreated, orderUpdated, orderDelivered, orderCancelled'],
    ['an event it does not know', { ...base, events: ['orderCreated', 'purchase'] }, 'events must list event types among pageViewed,'],
    // Finding: order changes were open by default. They never come from a page.
    ['orderDelivered from pages', { ...base, events: ['orderCreated', 'orderDelivered'] }, 'events may not list orderDelivered: a page never changes an order after it was placed (the back office does)'],
    ['orderUpdated from pages', { ...base, events: ['orderUpdated'] }, 'events may not list orderUpdated: a page never changes an order after it was placed (the back office does)'],
  ])('%s', (_, options, message) => {
    expect(() => createRelay({ log: () => undefined, ...options })).toThrow(message);
  });

  it('takes origins as browsers write them, whatever case or trailing slash the setting has', async () => {
    const { relay } = setup({ allowedOrigins: ['HTTPS://Shop.Example/', ' https://www.shop.example:443 '] });
    expect((await relay(post(BODIES.cartUpdated))).status).toBe(200);
    expect((await relay(post(BODIES.cartUpdated, { Origin: OTHER_ORIGIN }))).status).toBe(200);
  });

  // Finding: RELAY_EVENTS defaulted to every type, so orderUpdated and orderDelivered were open.
  it('takes by default what the tag sends and nothing that changes an order', async () => {
    const { relay, sent } = setup();
    for (const eventTypeKey of ['orderUpdated', 'orderDelivered', 'pageViewed', 'searchRequest']) {
      const response = await relay(post({ ...BODIES.orderCancelled, eventTypeKey }));
      expect(await errorsOf(response), eventTypeKey).toEqual(['eventTypeKey must be one of productViewed, cartUpdated, orderCreated, orderCancelled']);
    }
    expect(sent).toEqual([]);
  });
});
