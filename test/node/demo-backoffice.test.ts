// The demo's Back office page's server side (demo/backoffice.mjs): POST /admin/orders takes what the page says
// happened to an order, builds the order as a store's server would (the catalog's lines, the store's time) and posts it
// to the relay's back office with the token only the server holds; the stand-ins record what eSputnik and Calltouch
// would. The page itself in Chromium: test/browser/backoffice-demo.test.ts. `node build.mjs` must have run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(() => demo.clear());

const CONTACT = { name: 'Анна', email: 'anna@example.com', phone: '79001234567' };
/**
 * Another shopper per test: the relay remembers for a day the contacts it added to eSputnik, and the stand-in forgets
 * them with every clear().
 */
const shopper = (n: number) => ({ ...CONTACT, email: `anna.${n}@example.com` });
/** 2026-11-05 11:03:00 UTC: 14:03 in the store's time, Moscow. */
const AT = Date.UTC(2026, 10, 5, 11, 3, 0);

const post = async (body: unknown, contentType = 'application/json') => {
  const response = await fetch(`${demo.url}/admin/orders`, { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });
  const text = await response.text();
  // No token of 64 hex digits (the demo makes one per run) ever reaches the page.
  expect(text).not.toMatch(/[0-9a-f]{64}/);
  return { status: response.status, body: JSON.parse(text) as { sent?: Record<string, unknown>; result?: { ok: boolean; orders: Array<Record<string, string>> }; errors?: string[] } };
};

describe('the demo’s back office', () => {
  it('delivers an order: the relay creates it in eSputnik as DELIVERED for its contact, with the catalog’s lines', async () => {
    const answer = await post({ id: 'LV-T1', at: AT, status: 'delivered', lines: [{ id: '1003', quantity: 2 }], contact: CONTACT });
    expect(answer.status).toBe(200);
    expect(answer.body.sent).toEqual({
      id: 'LV-T1',
      status: 'delivered',
      date: '2026-11-05 14:03:00',
      contact: CONTACT,
      products: [{ id: '1003', name: 'USB-удлинитель', price: '150.50', quantity: 2, url: `${demo.url}/product/1003`, imageUrl: `${demo.url}/art/1003.svg` }],
    });
    expect(answer.body.result).toEqual({ ok: true, orders: [{ id: 'LV-T1', status: 'delivered', esputnik: 'sent', calltouch: expect.stringMatching(/^skipped: /) }] });
    expect(demo.esputnik.esputnik.order('LV-T1')).toMatchObject({ status: 'DELIVERED', totalCost: '301' });
  });

  it('takes back one unit: eSputnik keeps the rest, Calltouch gets the refund in its offline format; the whole order cancels it', async () => {
    await post({ id: 'LV-T2', at: AT, status: 'delivered', lines: [{ id: '1003', quantity: 2 }], contact: shopper(2) });
    const partial = await post({ id: 'LV-T2', at: AT, status: 'refunded', lines: [{ id: '1003', quantity: 1 }], returned: [{ id: '1003', quantity: 1 }], contact: shopper(2) });
    expect(partial.body.result?.orders[0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent' });
    expect(demo.esputnik.esputnik.order('LV-T2')).toMatchObject({ status: 'DELIVERED', totalCost: '150.5' });
    const full = await post({ id: 'LV-T2', at: AT, status: 'refunded', lines: [{ id: '1003', quantity: 1 }], contact: shopper(2) });
    expect(full.body.result?.orders[0]).toMatchObject({ esputnik: 'sent', calltouch: 'sent' });
    expect(demo.esputnik.esputnik.order('LV-T2')?.status).toBe('CANCELLED');
    expect(demo.calltouch.records.map((record) => [record.valid, record.body])).toEqual([
      [true, { siteId: 12345, eventType: 'refund', id: 'LV-T2', products: [{ id: 1003, quantity: 1 }] }],
      [true, { siteId: 12345, eventType: 'refund', id: 'LV-T2', products: [] }],
    ]);
  });

  it('shows a destination that is down as retry, and sends it there when asked again', async () => {
    expect(await demo.update({ outages: { calltouch: '503' } })).toEqual([]);
    const change = { id: 'LV-T3', at: AT, status: 'cancelled', lines: [{ id: '2104', quantity: 1 }], contact: shopper(3) };
    const down = await post(change);
    expect(down.body.result).toEqual({ ok: false, orders: [expect.objectContaining({ calltouch: 'retry: Calltouch answered 503' })] });
    expect(await demo.update({ outages: { calltouch: 'up' } })).toEqual([]);
    const again = await post(change);
    expect(again.body.result).toEqual({ ok: true, orders: [expect.objectContaining({ calltouch: 'sent' })] });
  });

  it.each<[string, unknown, number, string]>([
    ['an unknown status', { id: 'LV-1', at: AT, status: 'shipped', lines: [], contact: {} }, 400, 'status must be one of in_progress, delivered, cancelled, refunded, updated'],
    ['a product not in the catalog', { id: 'LV-1', at: AT, status: 'delivered', lines: [{ id: '9999', quantity: 1 }], contact: {} }, 400, 'lines (and returned) must be [{id, quantity}] of the catalog'],
    ['an id that is no order of the demo', { id: '<b>', at: AT, status: 'delivered', lines: [], contact: {} }, 400, 'id must be an order id of this demo'],
  ])('refuses %s', async (_, body, status, error) => {
    expect(await post(body)).toEqual({ status, body: { errors: [error] } });
  });

  it('takes JSON only, by POST', async () => {
    expect((await post({}, 'text/plain')).status).toBe(415);
    expect((await fetch(`${demo.url}/admin/orders`)).status).toBe(405);
  });

  it('serves the page with its script, and no token in it', async () => {
    const page = await (await fetch(`${demo.url}/admin`)).text();
    expect(page).toContain('<script type="module" src="/demo/public/backoffice.js"></script>');
    expect(page).not.toMatch(/[0-9a-f]{64}/);
  });
});
