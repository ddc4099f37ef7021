// Proves the browser harness itself, independent of the tag: a real Chromium
// on one origin posting to the collector on another, with the two transports
// the tag uses, and the verdicts the collector gives.
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offlineFullRefund, offlinePurchase, sitePurchase } from '../support/calltouch-fixtures.mjs';
import { launchBrowser } from '../support/chromium.mjs';
import { type Collector, startCollector } from '../support/collector.mjs';
import { type Site, startSite } from '../support/site.mjs';
import { page as document, scriptJson as inline } from '../support/snippet.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Two mistakes seed 000's offline format refuses: an id of digits as a string (l.256 "id": 3), a quantity as one.
const invalidBody = { ...offlinePurchase, products: [{ id: '3', quantity: '2' }] };

let collector: Collector;
let site: Site;
let browser: Browser;
let context: BrowserContext;
let tab: Page;

beforeAll(async () => {
  [collector, site, browser] = await Promise.all([startCollector(), startSite({ root }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

beforeEach(() => {
  collector.reset();
});

describe('browser harness', () => {
  // A fresh context per test: Chromium caches preflights per context, and the
  // preflight count is part of what these tests assert.
  beforeEach(async () => {
    context = await browser.newContext();
    tab = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
  });

  it('records a cross-origin fetch, a text/plain beacon and an invalid body with the right verdicts', async () => {
    const endpoint = `${collector.url}/calltouch/ecommerce.php`;
    const script = `
      const endpoint = ${inline(endpoint)};
      window.results = (async () => {
        const response = await fetch(endpoint, {
          method: 'POST', keepalive: true,
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify(${inline(sitePurchase)}),
        });
        return {
          fetchStatus: response.status,
          fetchBody: await response.json(),
          beaconValid: navigator.sendBeacon(endpoint, JSON.stringify(${inline(offlineFullRefund)})),
          beaconInvalid: navigator.sendBeacon(endpoint, JSON.stringify(${inline(invalidBody)})),
        };
      })();`;
    await tab.goto(site.page('/smoke', document({ body: `<script>${script}</script>` })));

    const results = await tab.evaluate(() => (window as unknown as { results: Promise<unknown> }).results);
    expect(results).toEqual({ fetchStatus: 200, fetchBody: { status: 'ok' }, beaconValid: true, beaconInvalid: true });
    await collector.waitFor(3, { source: 'all' });

    const byRaw = (raw: string) => collector.all.find((r) => r.raw === raw);
    expect(collector.all).toHaveLength(3);
    expect(byRaw(JSON.stringify(sitePurchase))).toMatchObject({
      service: 'calltouch', kind: 'site', contentType: 'application/json', valid: true, status: 200, body: sitePurchase,
    });
    expect(byRaw(JSON.stringify(offlineFullRefund))).toMatchObject({
      kind: 'offline', contentType: 'text/plain;charset=UTF-8', valid: true, status: 200,
    });
    expect(byRaw(JSON.stringify(invalidBody))).toMatchObject({
      kind: 'offline', valid: false, status: 400,
      errors: ['products[0].id: expected a number for an id of digits, else a non-empty string, got "3"', 'products[0].quantity: expected integer >= 0, got "2"'],
    });
    expect(collector.records).toHaveLength(2);
    expect(collector.invalid).toHaveLength(1);
    // Only the JSON fetch needs a preflight; a string beacon is CORS-safelisted.
    expect(collector.preflights).toBe(1);
  });

  // Finding, stable on Chromium 156: a Blob with a non-safelisted type makes
  // sendBeacon preflight with credentials mode 'include'. A collector that,
  // like Calltouch's, allows no credentials fails that preflight, so the POST
  // never leaves the browser, yet sendBeacon returned true. The tag must
  // beacon strings (text/plain), never JSON Blobs.
  it('loses a sendBeacon of an application/json Blob cross-origin while reporting success', async () => {
    await tab.goto(site.page('/blank', document()));
    const blocked = tab.waitForEvent('console', (message) => message.text().includes('blocked by CORS policy'));

    const returned = await tab.evaluate(([url, json]) =>
      navigator.sendBeacon(url, new Blob([json], { type: 'application/json' })),
    [`${collector.url}/calltouch/ecommerce.php`, JSON.stringify(offlineFullRefund)] as const);

    expect(returned).toBe(true);
    expect((await blocked).text()).toContain("credentials mode is 'include'");
    expect(collector.preflights).toBe(1);
    expect(collector.all).toEqual([]);
  });
});

// The collector's own behaviour, driven from Node: what the browser tests
// rely on when they simulate outages.
describe('collector', () => {
  const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    fetch(`${collector.url}/calltouch/ecommerce.php`, { method: 'POST', headers, body });
  const valid = JSON.stringify(offlinePurchase);

  it('refuses what a real endpoint would refuse', async () => {
    expect((await post(valid, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(JSON.stringify({ ...offlinePurchase, id: 'x'.repeat(70 * 1024) }))).status).toBe(413);
    expect((await post('{not json')).status).toBe(400);
    expect((await fetch(`${collector.url}/calltouch/ecommerce.php`)).status).toBe(405);
    expect(collector.all.map((r) => r.status)).toEqual([415, 413, 400, 405]);
    expect(collector.records).toEqual([]);
    expect(collector.invalid).toEqual([]); // none of these got as far as the schema
  });

  it('fails, hangs and goes down on command', async () => {
    collector.failNext(1, 429);
    expect((await post(valid)).status).toBe(429);
    expect((await post(valid)).status).toBe(200);

    collector.hang(1);
    const hung = fetch(`${collector.url}/calltouch/ecommerce.php`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: valid, signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toThrow();

    await collector.stop();
    await expect(post(valid)).rejects.toThrow('fetch failed');
    await collector.start();
    expect((await post(valid)).status).toBe(200);

    expect(collector.all.map((r) => r.status)).toEqual([429, 200, null, 200]);
    expect(collector.records).toHaveLength(2);
  });

  it('is controllable and inspectable over HTTP', async () => {
    const control = (command: object) => fetch(`${collector.url}/_control`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(command),
    });
    expect((await control({ failNext: 1, status: 500 })).status).toBe(200);
    expect((await post(valid)).status).toBe(500);
    expect(await (await fetch(`${collector.url}/_records`)).json())
      .toMatchObject([{ service: 'calltouch', status: 500, valid: true, body: offlinePurchase }]);

    expect((await control({ hang: -1 })).status).toBe(400);
    expect((await control({ reset: true })).status).toBe(200);
    expect(collector.all).toEqual([]);
  });

  it('waitFor fails with a list of what did arrive', async () => {
    await post('{}');
    await expect(collector.waitFor(1, { timeout: 50 }))
      .rejects.toThrow(/saw 1 request[^]*calltouch offline \? -> 400 invalid: siteId: missing/);
  });
});
