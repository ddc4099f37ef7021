// The tag must not cost a store its back/forward cache: no `unload` listener, no lock held for the page's
// life, nothing that makes Chromium refuse to keep the page. And a page restored from the cache goes on
// working, sending nothing twice. Playwright turns the cache off by default; this file turns it back on.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../support/chromium.mjs';
import { type Collector, startCollector } from '../support/collector.mjs';
import { BUNDLE_PATH, CALLTOUCH_PATH, ROOT, fakeCalltouch, inline, quiet, tagConfig, tagReady } from '../support/scenario.mjs';
import { type Site, startSite } from '../support/site.mjs';
import { page as html, snippetTag } from '../support/snippet.mjs';

let collector: Collector;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  [collector, site, browser] = await Promise.all([startCollector(), startSite({ root: ROOT }), launchBrowser({ bfcache: true })]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

const recordShows = inline("addEventListener('pageshow', (e) => (window.shows = (window.shows || []).concat(e.persisted)));");

/**
 * Whether this Chromium keeps any page at all: the headless shell (the npm registry's @sparticuz/chromium) has no
 * back/forward cache, and says only "masked" for a page without a script of ours.
 */
async function keepsPlainPages() {
  const plain = site.page('/bfcache-probe', html({ head: recordShows }), { headers: { 'Cache-Control': 'no-cache' } });
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(plain);
  await tab.goto(site.url + '/elsewhere-probe');
  await tab.goBack({ waitUntil: 'commit' });
  await tab.waitForFunction(() => document.readyState === 'complete' && (window as unknown as { shows?: boolean[] }).shows);
  const kept = (await tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows)).includes(true);
  await context.close();
  return kept;
}

it('a page with the tag, after sending, is kept in the back/forward cache and goes on working when restored', async ({ skip }) => {
  site.page('/elsewhere-probe', html({ body: 'elsewhere' }));
  if (!(await keepsPlainPages())) skip(`${browser.version()} keeps no page in a back/forward cache (the headless shell does not have one): run with Debian's or CHROME_PATH's Chromium`);
  const config = tagConfig(collector.url + CALLTOUCH_PATH);
  const head = recordShows + fakeCalltouch() + snippetTag({ config, bundleUrl: site.url + BUNDLE_PATH });
  // `no-store`, which the test site sends by default, would itself keep a page out of the cache.
  const store = site.page('/bfcache', html({ head }), { headers: { 'Cache-Control': 'no-cache' } });
  const elsewhere = site.page('/elsewhere', html({ body: 'elsewhere' }));
  const context = await browser.newContext();
  const tab = await context.newPage();
  const pageErrors: string[] = [];
  tab.on('pageerror', (error) => pageErrors.push(error.message));

  await tab.goto(store);
  await tagReady(tab);
  await tab.evaluate(() => ct('send_ecommerce', 'purchase', { id: 'BF-1', products: [{ id: 1, quantity: 1 }] }));
  await collector.waitFor(1);
  await tab.goto(elsewhere);
  // A page restored from the cache fires no load event.
  await tab.goBack({ waitUntil: 'commit' });
  await tab.waitForFunction(() => document.readyState === 'complete' && (window as unknown as { shows?: boolean[] }).shows);
  // [false] alone would be a fresh load: the page was not kept.
  expect(await tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows)).toEqual([false, true]);

  await tab.evaluate(() => ct('send_ecommerce', 'addToCart', { products: [{ id: 2, quantity: 1 }] }));
  await collector.waitFor(2);
  const all = await quiet(collector);
  expect(all.map((r) => (r.body as { eventType: string }).eventType)).toEqual(['purchase', 'addToCart']);
  expect(collector.invalid).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});
