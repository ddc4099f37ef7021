// Exactly once (SPEC §3, §7): a purchase made in the same tick as a
// navigation, against a fast and a slow collector, and a navigation while
// the request is in flight; a thank-you page reloaded three times.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLTOUCH_PATH, MOD_A, SESSIONS, fakeCalltouch, flush, inline, jsons, purchaseAndGo, quiet, raws, siteBody,
  snippet, startSlowProxy, tagConfig, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

// Answers every POST a second late, so a navigation lands while it is in flight.
let slow: Awaited<ReturnType<typeof startSlowProxy>>;
beforeAll(async () => {
  slow = await startSlowProxy(s.h.collector.url, 1000);
});
afterAll(async () => {
  await slow?.close();
});

const purchase = (id: string) => siteBody(SESSIONS[MOD_A], 'purchase', { id, products: [{ id: 'nav', price: 99, quantity: 1 }] });


describe('a purchase and a navigation', () => {
  const REPEATS = 5;
  it.each([
    { title: 'in the same tick, fast collector', slowCollector: false, inFlight: false },
    { title: 'in the same tick, collector answering after 1 s', slowCollector: true, inFlight: false },
    { title: 'navigating while the request is in flight (answer after 1 s)', slowCollector: true, inFlight: true },
  ])(`$title: exactly once (${REPEATS} fresh browsers)`, async ({ slowCollector, inFlight }) => {
    const endpoint = (slowCollector ? slow.url : s.h.collector.url) + CALLTOUCH_PATH;
    const tag = fakeCalltouch() + snippet(s.h, { config: tagConfig(endpoint) });
    const thanks = s.h.site.page('/checkout', html({ head: tag }));
    const next = s.h.site.page('/next', html({ head: tag })); // the next page has the tag too: it must not resend
    const tabs: Page[] = [];
    for (let i = 1; i <= REPEATS; i++) {
      const id = `NAV-${i}`;
      const tab = await (i === 1 ? s.context : await s.newContext()).newPage();
      tabs.push(tab);
      await tab.goto(thanks);
      await tagReady(tab);
      if (inFlight) {
        await tab.evaluate((id) => ct('send_ecommerce', 'purchase', { id, products: [{ id: 'nav', price: 99, quantity: 1 }] }), id);
        await s.h.collector.waitFor((r) => (r.body as { id?: string }).id === id); // arrived; its answer is a second away
        await tab.goto(next);
      } else {
        await purchaseAndGo(tab, { id, products: [{ id: 'nav', price: 99, quantity: 1 }] }, next);
      }
      await s.h.collector.waitFor((r) => (r.body as { id?: string }).id === id, { timeout: 5000 });
    }
    await Promise.all(tabs.map((tab) => flush(tab)));

    // Every /next page stays open through the quiet period: a resend from any of them would show.
    const all = await quiet(s.h.collector, 2000);
    const ids = Array.from({ length: REPEATS }, (_, i) => `NAV-${i + 1}`);
    expect(raws(all)).toEqual(jsons(ids.map(purchase)));
    expect(s.w.errors()).toEqual([]);
  });
});

describe('the thank-you page reloaded three times', () => {
  it('sends its purchase and refund once; the reloads send nothing new', async () => {
    const calls = inline(`
      ct('send_ecommerce', 'purchase', { id: 'T-6', products: [{ id: 'thx', price: 500, quantity: 1 }] });
      ct('send_ecommerce', 'refund', { id: 'T-6' });`);
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/thank-you', html({ head: fakeCalltouch() + snippet(s.h) + calls })));
    await s.h.collector.waitFor(2);
    await flush(tab);

    for (let n = 1; n <= 3; n++) {
      await tab.reload();
      await tagReady(tab);
      // Letters leave in call order: a resent purchase or refund would arrive before this marker.
      await tab.evaluate((n) => ct('send_ecommerce', 'detail', { products: [{ id: `reload-${n}` }] }), n);
      await s.h.collector.waitFor((r) => JSON.stringify(r.body).includes(`reload-${n}`));
      await flush(tab);
    }

    expect(raws(s.h.collector.all)).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'T-6', products: [{ id: 'thx', price: 500, quantity: 1 }] }),
      siteBody(SESSIONS[MOD_A], 'refund', { id: 'T-6', products: [] }),
      ...[1, 2, 3].map((n) => siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: `reload-${n}` }] })),
    ]));
    expect(s.w.errors()).toEqual([]);
  });
});
