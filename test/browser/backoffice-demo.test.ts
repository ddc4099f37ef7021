// The demo's Back office page (/admin) in Chromium: a shopper buys in the store "Лавка", then the store's staff marks
// the order delivered, takes back one unit and then the rest. Each button goes through the demo's server to the
// relay's back office (the page never holds its token); the page shows each destination's answer, and the stand-ins
// record what eSputnik and Calltouch would.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';
import { launchBrowser } from '../support/chromium.mjs';
import { watch, type Watch } from '../support/scenario.mjs';

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let w: Watch;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo({ sessionWaitMs: 2000, sessionDelaySeconds: 0 }), launchBrowser()]);
  context = await browser.newContext();
  w = watch(context);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.close();
});

/** The order's card on the Back office page. */
const card = (page: Page, id: string) => page.locator(`[data-order="${id}"]`);

it('delivered, one unit back, then the rest: each answered on the page, recorded by the stand-ins', async () => {
  const store = await context.newPage();
  await store.goto(`${demo.url}/product/1003`);
  await store.click('[data-buy] [data-step="1"]');
  await store.click('[data-buy] button[type="submit"]');
  await store.waitForSelector('[data-added]:not([hidden])');
  await store.goto(`${demo.url}/checkout`);
  await store.fill('input[name="name"]', 'Анна');
  await store.fill('input[name="email"]', 'anna.demo@example.com');
  await store.fill('input[name="phone"]', '+7 900 123-45-67');
  await store.click('[data-place-order]');
  await store.waitForURL('**/thanks?order=*');
  const id = (await store.textContent('[data-order-id]')) ?? '';
  await demo.calltouch.waitFor((record) => (record.body as { eventType?: string })?.eventType === 'purchase', { timeout: 10000 });

  await store.goto(`${demo.url}/admin`);
  const order = card(store, id);
  await order.locator('[data-action="delivered"]').click();
  await expect.poll(() => order.locator('[data-step="delivered"] [data-answer]').textContent()).toMatch(/^eSputnik: sent · Calltouch: skipped: /);
  expect(await order.locator('[data-status]').getAttribute('data-status')).toBe('delivered');
  expect(demo.esputnik.esputnik.order(id)).toMatchObject({ status: 'DELIVERED', totalCost: '301' });

  await order.locator('[data-return-line="1003"]').click();
  await expect.poll(() => order.locator('[data-status]').getAttribute('data-status')).toBe('partly');
  expect(await order.locator('[data-step="refunded"] [data-answer]').textContent()).toBe('eSputnik: sent · Calltouch: sent');
  expect(demo.esputnik.esputnik.order(id)).toMatchObject({ status: 'DELIVERED', totalCost: '150.5' });

  await order.locator('[data-action="refunded"]').click();
  await expect.poll(() => order.locator('[data-status]').getAttribute('data-status')).toBe('refunded');
  expect(await order.locator('[data-action="delivered"]').isDisabled()).toBe(true);
  expect(demo.esputnik.esputnik.order(id)?.history.map((step) => step.status)).toEqual(['DELIVERED', 'DELIVERED', 'CANCELLED']);
  const refunds = demo.calltouch.records.filter((record) => (record.body as { eventType?: string }).eventType === 'refund');
  expect(refunds.map((record) => [record.valid, record.kind, record.body])).toEqual([
    [true, 'offline', { siteId: 12345, eventType: 'refund', id, products: [{ id: 1003, quantity: 1 }] }],
    [true, 'offline', { siteId: 12345, eventType: 'refund', id, products: [] }],
  ]);

  // Nothing the page fetched or shows carries a token (the demo makes one of 64 hex digits per run).
  expect(await store.content()).not.toMatch(/[0-9a-f]{64}/);
  expect(w.pageErrors).toEqual([]);
  expect(w.errors()).toEqual([]);
});
