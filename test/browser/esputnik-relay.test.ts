// eSputnik's Generate event v2 in Chromium, end to end (issue 3): the page's tag posts to the real relay
// process (`dist/relay.mjs`, started as `npx ecomtag-relay` would be), which adds Basic auth and forwards to
// the stand-in eSputnik upstream; that one refuses a wrong key and checks every body against seeds 001/002.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ESPUTNIK_API_KEY } from '../support/collector.mjs';
import type { CollectorRecord } from '../support/recorder.mjs';
import { startRelay, type RelayProcess } from '../support/relay-process.mjs';
import { fakeCalltouch, flush, quiet, snippet, tagConfig, tagReady, useScenario } from '../support/scenario.mjs';
import { startSite, type Site } from '../support/site.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
const KEY = DEFAULT_ESPUTNIK_API_KEY;
let relay: RelayProcess;
let strictRelay: RelayProcess;
let foreign: Site;

beforeAll(async () => {
  const upstreamUrl = s.h.collector.url + '/esputnik/api/v2/event';
  foreign = await startSite({ root: '.' });
  [relay, strictRelay] = await Promise.all([
    startRelay({ apiKey: KEY, allowedOrigins: s.h.site.url, upstreamUrl }),
    // A tight rate limit, for the refusal table's flood.
    startRelay({ apiKey: KEY, allowedOrigins: s.h.site.url, upstreamUrl, env: { RELAY_RATE_LIMIT_BURST: '3', RELAY_RATE_LIMIT_PER_SECOND: '0.1' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([relay?.close(), strictRelay?.close(), foreign?.close()]);
  // The key is on no line the relay ever wrote.
  for (const r of [relay, strictRelay]) expect(r.output.filter((line) => line.includes(KEY))).toEqual([]);
});

interface V2Body {
  eventTypeKey: string;
  keyValue: string;
  params: Array<{ name: string; value: string }>;
}

const config = (calltouch = true) => {
  const base = tagConfig(s.h.endpoint);
  base.accounts[0] = { ...base.accounts[0], esputnik: { siteId: 'relay' }, ...(calltouch ? {} : { calltouch: false }) } as (typeof base.accounts)[0];
  return { ...base, esputnik: { format: 'event', endpoint: relay.url + '/ecomtag/relay' }, currency: 'RUB' };
};
const storePage = (path: string, calltouch = true) => s.h.site.page(path, html({ head: fakeCalltouch() + snippet(s.h, { config: config(calltouch) }) }));
const upstream = (records: CollectorRecord[]) => records.filter((r) => r.service === 'esputnik-event').map((r) => r.body as V2Body);
const param = (body: V2Body, name: string) => body.params.find((p) => p.name === name)?.value;

describe('Generate event v2 through the relay', () => {
  it('holds events until set_contact gives a contact, across pages, then sends them in order', async () => {
    const first = storePage('/catalog');
    const second = storePage('/account');
    const tab = await s.context.newPage();
    await tab.goto(first);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'detail', { products: [{ id: 'WS01-L-Green', price: 45.5, isInStock: 1 }] });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'WS01-L-Green', price: 45.5, name: 'Mug' }] });
    });
    await flush(tab);
    expect(upstream(await quiet(s.h.collector, 800))).toEqual([]);
    await tab.goto(second);
    await tab.evaluate(() => {
      ct('set_contact', { email: 'anna@example.com', phone: '79001234567' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 10, quantity: 2, name: 'Cable' }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3, timeout: 8000 });
    const bodies = upstream(await quiet(s.h.collector, 800));
    expect(bodies.map((b) => [b.eventTypeKey, b.keyValue])).toEqual([
      ['productViewed', 'anna@example.com'],
      ['cartUpdated', 'anna@example.com'],
      ['cartUpdated', 'anna@example.com'],
    ]);
    expect(param(bodies[0], 'product')).toBe('{"productId":"WS01-L-Green","price":45.5,"isInStock":1}');
    expect(JSON.parse(param(bodies[2], 'products')!)).toEqual([
      { productId: 'WS01-L-Green', quantity: 1, price: 45.5, name: 'Mug' },
      { productId: '2', quantity: 2, price: 10, name: 'Cable' },
    ]);
    expect(param(bodies[2], 'recycleStateId')).toBe(param(bodies[1], 'recycleStateId'));
    // The stand-in demands the key as Basic auth: every one of them was let in.
    expect(s.h.collector.all.filter((r) => r.service === 'esputnik-event' && r.status !== 200)).toEqual([]);
  });

  it('purchase: orderCreated once under the cart’s recycleStateId, also after a reload; the cart closed; a full refund cancels it; the next cart has a new id', async () => {
    const url = storePage('/thanks');
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab);
    await tab.evaluate(() => {
      ct('set_contact', { externalCustomerId: 'C-42' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 1, price: 100, name: 'Kettle' }] });
      ct('send_ecommerce', 'purchase', {
        id: 'V2-1',
        products: [{ id: 1, price: 100, quantity: 2, name: 'Kettle', url: 'https://shop.test/1', imageUrl: 'https://shop.test/1.jpg' }],
      });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 3 });
    await tab.reload();
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'V2-1', products: [{ id: 1, price: 100, quantity: 2, name: 'Kettle' }] });
      ct('send_ecommerce', 'refund', { id: 'V2-1' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 3, price: 5, name: 'Cup' }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { count: 5 });
    await flush(tab);
    const bodies = upstream(await quiet(s.h.collector, 800));
    expect(bodies.map((b) => b.eventTypeKey)).toEqual(['cartUpdated', 'orderCreated', 'cartUpdated', 'orderCancelled', 'cartUpdated']);
    const bought = param(bodies[0], 'recycleStateId');
    expect(Object.fromEntries(bodies[1].params.filter((p) => p.name !== 'date').map((p) => [p.name, p.value]))).toEqual({
      externalCustomerId: 'C-42',
      externalOrderId: 'V2-1',
      totalCost: '200',
      status: 'INITIALIZED',
      currency: 'RUB',
      recycleStateId: bought,
      items: '[{"externalItemId":"1","name":"Kettle","quantity":2,"cost":100,"url":"https://shop.test/1","imageUrl":"https://shop.test/1.jpg"}]',
    });
    // Seed 002 l.252: the bought cart, closed empty under its own id; the next cart is a new one.
    expect([param(bodies[2], 'recycleStateId'), param(bodies[2], 'products')]).toEqual([bought, '[]']);
    expect(param(bodies[4], 'recycleStateId')).not.toBe(bought);
  });

  it('an upstream answering 503 is passed back as retryable: the tag retries and the event arrives once', async () => {
    // An account without Calltouch, so the simulated 503 can only meet the relay's forward.
    const url = storePage('/retry', false);
    const tab = await s.context.newPage();
    await tab.goto(url);
    await tagReady(tab);
    s.h.collector.failNext(1, 503);
    await tab.evaluate(() => {
      ct('set_contact', { phone: '79001234567' });
      ct('send_ecommerce', 'detail', { products: [{ id: 'R', price: 1 }] });
    });
    await s.h.collector.waitFor((r) => r.service === 'esputnik-event', { timeout: 8000 });
    const all = (await quiet(s.h.collector, 800)).filter((r) => r.service === 'esputnik-event');
    expect(all.map((r) => [r.status, (r.body as V2Body).eventTypeKey])).toEqual([
      [503, 'productViewed'],
      [200, 'productViewed'],
    ]);
    expect(all[1].raw).toBe(all[0].raw);
    expect(await relay.waitForLog((l) => l.status === 503)).toMatchObject({ upstream: 503 });
  });
});

describe('what the relay refuses, as a browser meets it', () => {
  const validBody = JSON.stringify({ eventTypeKey: 'orderCancelled', keyValue: 'a@b.ru', params: [{ name: 'email', value: 'a@b.ru' }, { name: 'externalOrderId', value: '1' }] });

  it.each([
    ['GET', 405, { method: 'GET' }],
    ['a body over 20 KB', 413, { method: 'POST', body: JSON.stringify({ eventTypeKey: 'pageViewed', keyValue: 'a', params: [{ name: 'x', value: 'x'.repeat(21000) }] }) }],
    ['an XML body', 415, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<event/>' }],
    ['an unknown eventTypeKey', 400, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"eventTypeKey":"somethingElse","keyValue":"a@b.ru","params":[]}' }],
    ['an order without its required params', 400, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"eventTypeKey":"orderCreated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"}]}' }],
    ['not JSON', 400, { method: 'POST', body: '{' }],
  ])('%s → %i, readable by the page (CORS) and without the key', async (_, status, init) => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/refusals', html({})));
    const answer = await tab.evaluate(async ([url, init]) => {
      const response = await fetch(url, init as RequestInit);
      return { status: response.status, text: await response.text(), headers: [...response.headers].join(' ') };
    }, [relay.url + '/ecomtag/relay', init] as const);
    expect(answer.status).toBe(status);
    expect(answer.text + answer.headers).not.toContain(KEY);
    expect(s.h.collector.all.filter((r) => r.service === 'esputnik-event')).toEqual([]);
  });

  it('a page of another origin: 403, and the browser does not let it read the answer', async () => {
    const tab = await s.context.newPage();
    await tab.goto(foreign.page('/elsewhere', html({})));
    const failed = await tab.evaluate(async ([url, body]) => fetch(url, { method: 'POST', body }).then(() => false, () => true), [relay.url + '/ecomtag/relay', validBody] as const);
    expect(failed).toBe(true);
    const line = await relay.waitForLog((l) => l.status === 403);
    expect(line).toMatchObject({ status: 403 });
    expect(s.h.collector.all.filter((r) => r.service === 'esputnik-event')).toEqual([]);
  });

  it('a flood from one client: 429 with Retry-After once its bucket is empty', async () => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/flood', html({})));
    const answers = await tab.evaluate(async ([url, body]) => {
      const out: Array<[number, string | null]> = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(url, { method: 'POST', body });
        out.push([response.status, response.headers.get('Retry-After')]);
      }
      return out;
    }, [strictRelay.url + '/ecomtag/relay', validBody] as const);
    expect(answers.slice(0, 3).map(([status]) => status)).toEqual([200, 200, 200]);
    expect(answers.slice(3).map(([status]) => status)).toEqual([429, 429, 429]);
    expect(Number(answers[3][1])).toBeGreaterThan(0);
  });
});
