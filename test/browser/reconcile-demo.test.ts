// The demo's "Reconcile with Calltouch" page in Chromium, as a newcomer meets it: an order whose purchase the tag
// still holds (Calltouch is down) is missing from the deal journal, with the purchase --repair would send; once
// Calltouch is back and the tag has delivered it, the same check finds it. The page reads the store's orders from
// this browser and runs the real dist/reconcile.mjs on the demo's server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';
import { launchBrowser } from '../support/chromium.mjs';
import { watch, type Watch } from '../support/scenario.mjs';

let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let w: Watch;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo({ sessionWaitMs: 2000 }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});
beforeEach(async () => {
  expect(await demo.update({ format: 'tracker', calltouch: { script: true, sessionDelaySeconds: 0 }, outages: { calltouch: 'up', esputnik: 'up' } })).toEqual([]);
  demo.clear();
  context = await browser.newContext();
  w = watch(context);
});
afterEach(async () => {
  await context.close();
  expect(w.pageErrors, 'page errors').toEqual([]);
  expect(w.errors(), 'console errors').toEqual([]);
});

/** Clicks a button of the page and waits for the run it starts to be shown. */
const runFrom = async (page: Page, mode: 'report' | 'dry-run' | 'send') => {
  await page.goto(`${demo.url}/admin/reconcile`);
  await page.click(`[data-mode="${mode}"]`);
  const exit = page.locator('[data-exit]');
  await exit.waitFor({ timeout: 30000 });
  return { code: await exit.getAttribute('data-exit'), stdout: (await page.textContent('[data-stdout]')) ?? '', command: (await page.textContent('[data-command]')) ?? '' };
};

describe('Reconcile with Calltouch', () => {
  it('shows an order whose purchase waits in the browser as missing, then as matched once the tag delivered it', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.url}/`);
    // The store's own record of an order, as its checkout writes it.
    await page.evaluate(() => {
      const order = { id: 'LV-RECON1', at: Date.now(), lines: [{ id: '1003', quantity: 2 }], contact: { name: 'Анна', email: 'anna@example.com', phone: '79001234567' } };
      localStorage.setItem('lavka:orders', JSON.stringify([order]));
    });
    expect(await demo.update({ outages: { calltouch: '503' } })).toEqual([]);
    await page.goto(`${demo.url}/thanks?order=LV-RECON1`);
    await expect.poll(() => demo.calltouch.all.some((record) => (record.body as { id?: string })?.id === 'LV-RECON1'), { timeout: 10000 }).toBe(true);
    // The page has heard the 503 and keeps the purchase (Calltouch backed off). Leaving before that, with the
    // request still in flight, would hand the letter to its keepalive request, which the 503 ends (SPEC §7).
    await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('ecomtag:ct:b:')));

    const missing = await runFrom(page, 'report');
    expect(missing.code).toBe('1');
    expect(missing.command).toMatch(/^\$ CALLTOUCH_API_TOKEN=… npx ecomtag-reconcile --site-id 12345 --from \d{4}-\d{2}-\d{2} --to \d{4}-\d{2}-\d{2} --orders orders\.json /);
    expect(missing.stdout).toMatch(/Missing: no deal in Calltouch\n {2}order +date +amount +lines\n {2}LV-RECON1 +\d{4}-\d{2}-\d{2} +301\.00 +1\n/);
    const plan = await runFrom(page, 'dry-run');
    expect(plan.stdout).toContain('Would send 1 offline purchase to ');
    expect(plan.stdout).toContain('"eventType":"purchase","id":"LV-RECON1"');

    // Calltouch is back: the next store page delivers what the tag kept, and the journal lists it.
    expect(await demo.update({ outages: { calltouch: 'up' } })).toEqual([]);
    await page.goto(`${demo.url}/`);
    await expect.poll(() => demo.calltouch.records.filter((record) => (record.body as { id?: string })?.id === 'LV-RECON1').length, { timeout: 20000 }).toBe(1);
    const matched = await runFrom(page, 'report');
    expect(matched.code).toBe('0');
    expect(matched.stdout).toContain('Every order of the period is in Calltouch.');
    // Nothing was sent by the page: the purchase arrived once, from the tag.
    expect(demo.calltouch.records.filter((record) => record.kind === 'offline')).toEqual([]);
  });
});
