// The outbox against a failing collector (SPEC §7): 429/5xx retried with
// backoff, in order with what follows; other 4xx dropped; a collector that is
// down across a navigation gets the event once, from the next page.
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, fakeCalltouch, flush, jsons, quiet, raws, siteBody, snippet, storedKeys, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

const purchase = (id: string) => siteBody(SESSIONS[MOD_A], 'purchase', { id, products: [{ id: 'p', price: 10, quantity: 1 }] });
const detail = siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'after' }] });

async function shop(path: string) {
  const tab = await s.context.newPage();
  await tab.goto(s.h.site.page(path, html({ head: fakeCalltouch() + snippet(s.h) })));
  await tagReady(tab);
  return tab;
}

describe('a collector answering errors', () => {
  it.each([
    { status: 503, fails: 2 },
    { status: 429, fails: 2 },
  ])('$status twice: retried with backoff, arrives once after recovery, before the event that followed it', async ({ status, fails }) => {
    s.h.collector.failNext(fails, status);
    const tab = await shop('/flaky');
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'FLAKY-7', products: [{ id: 'p', price: 10, quantity: 1 }] });
      ct('send_ecommerce', 'detail', { products: [{ id: 'after' }] });
    });
    await s.h.collector.waitFor(2, { timeout: 15000 });
    await flush(tab);

    const all = await quiet(s.h.collector);
    expect(all.map((r) => r.status)).toEqual([status, status, 200, 200]);
    expect(raws(all)).toEqual(jsons([purchase('FLAKY-7'), purchase('FLAKY-7'), purchase('FLAKY-7'), detail]));
    // Backoff 1 s · 2^tries · (0.5..1): at least 0.5 s before the first retry, 1 s before the second.
    expect(all[1].at - all[0].at).toBeGreaterThanOrEqual(450);
    expect(all[2].at - all[1].at).toBeGreaterThanOrEqual(950);
    expect(s.w.errors()).toEqual([]);
  });

  it('400: dropped, not retried; the next event still goes', async () => {
    s.h.collector.failNext(1, 400);
    const tab = await shop('/refusing');
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'REFUSED-1', products: [{ id: 'p', price: 10, quantity: 1 }] });
      ct('send_ecommerce', 'detail', { products: [{ id: 'after' }] });
    });
    await s.h.collector.waitFor(1);
    await flush(tab);

    const all = await quiet(s.h.collector);
    expect(all.map((r) => r.status)).toEqual([400, 200]);
    expect(raws(all)).toEqual(jsons([purchase('REFUSED-1'), detail]));
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });
});

describe('a collector down across a navigation', () => {
  it('keeps the purchase (no beacon into the outage) and delivers it once from the next page', async () => {
    await s.h.collector.stop();
    try {
      const tab = await shop('/down-1');
      await tab.evaluate(() => ct('send_ecommerce', 'purchase', { id: 'DOWN-8', products: [{ id: 'p', price: 10, quantity: 1 }] }));
      // The first attempt failed: the collector is in backoff, persisted.
      await tab.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('ecomtag:ct:b:')));
      await tab.goto(s.h.site.page('/down-2', html({ head: fakeCalltouch() + snippet(s.h) })));
      await tagReady(tab);
      expect(await storedKeys(tab, 'o:')).toHaveLength(1);
    } finally {
      await s.h.collector.start();
    }
    const tab = s.context.pages()[0];
    await s.h.collector.waitFor(1, { timeout: 20000 });
    await flush(tab);

    const all = await quiet(s.h.collector);
    expect(raws(all)).toEqual(jsons([purchase('DOWN-8')]));
    expect(all[0].contentType).toBe('application/json'); // by fetch from the live second page
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    expect(await storedKeys(tab, 'b:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });
});
