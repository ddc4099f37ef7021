// Waiting for Calltouch's session (SPEC §5): a session that shows up late,
// no Calltouch script at all (offline purchase/refund after sessionWaitMs,
// cart events that wait for a later page), and a purchase still waiting when
// the page unloads (offline, by beacon, at once).
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, calltouchCookies, fakeCalltouch, flush, inline, jsons, offlineBody, purchaseAndGo, quiet, raws,
  siteBody, snippet, storedKeys, tagConfig, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

describe('a session that appears 1.5 s late', () => {
  it.each([
    { title: 'a loaded Calltouch script answering undefined', stub: false },
    { title: 'Calltouch’s stub (loaded === false), then its dispatcher', stub: true },
  ])('$title: the waiting events go in site format, in order, not offline', async ({ stub }) => {
    const calls = inline(`
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'late-1', quantity: 1 }] });
      ct('send_ecommerce', 'purchase', { id: 'LATE-9', products: [{ id: 'late-1', quantity: 1 }] });`);
    const tab = await s.context.newPage();
    const started = Date.now();
    await tab.goto(s.h.site.page('/late', html({ head: fakeCalltouch({ lateMs: 1500, stub }) + snippet(s.h) + calls })));
    await s.h.collector.waitFor(2);
    await flush(tab);

    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'late-1', quantity: 1 }] }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'LATE-9', products: [{ id: 'late-1', quantity: 1 }] }),
    ]));
    // Nothing could have gone before the session existed.
    expect(s.h.collector.all[0].at - started).toBeGreaterThanOrEqual(1500);
    // Asking Calltouch's stub would only have queued calls in it (and lost them on unload).
    if (stub) expect(await tab.evaluate(() => window.__ctStubCallbacks?.length)).toBe(0);
    expect(s.w.errors()).toEqual([]);
  });
});

describe('no Calltouch script at all', () => {
  it('sends purchase and refunds offline once sessionWaitMs has passed', async () => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/no-calltouch', html({ head: snippet(s.h) })));
    await tagReady(tab);
    const called = Date.now();
    await tab.evaluate(() => {
      ct('send_ecommerce', 'purchase', { id: 'OFF-1', products: [{ id: 1003, name: 'USB-удлинитель', price: '150.50' }, { id: 7, quantity: 2 }] });
      ct('efgh5678', 'send_ecommerce', 'refund', { id: 'OFF-0' }); // full refund of the second account
      ct('send_ecommerce', 'refund', { id: 'OFF-2', products: [{ id: 7, quantity: 1 }] });
    });
    await s.h.collector.waitFor(3, { timeout: 10000 });
    await flush(tab);

    expect(raws(s.h.collector.all)).toEqual(jsons([
      // A purchase line without quantity counts as one unit; ids of digits are numbers (seed 000 l.256).
      offlineBody(12345, 'purchase', 'OFF-1', [{ id: 1003, name: 'USB-удлинитель', price: 150.5, quantity: 1 }, { id: 7, quantity: 2 }]),
      offlineBody(67890, 'refund', 'OFF-0', []),
      offlineBody(12345, 'refund', 'OFF-2', [{ id: 7, quantity: 1 }]),
    ]));
    // The page lived on: fetch (JSON), not a beacon; and only after the wait (2 s).
    expect(s.h.collector.all.map((r) => r.contentType)).toEqual(Array(3).fill('application/json'));
    expect(s.h.collector.all[0].at - called).toBeGreaterThanOrEqual(1900);
    expect(s.w.errors()).toEqual([]);
  });

  it('keeps a cart event waiting, and sends it from a later page once Calltouch’s cookies appear', async () => {
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/cart-waits', html({ head: snippet(s.h) })));
    await tagReady(tab);
    await tab.evaluate(() => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'wait-1', quantity: 1 }] });
      ct('send_ecommerce', 'purchase', { id: 'OFF-3', products: [{ id: 'wait-1' }] });
    });
    // The purchase goes offline; the cart event has no offline format and stays.
    await s.h.collector.waitFor(1, { timeout: 10000 });
    await flush(tab);
    const offline = offlineBody(12345, 'purchase', 'OFF-3', [{ id: 'wait-1', quantity: 1 }]);
    expect(raws(await quiet(s.h.collector))).toEqual(jsons([offline]));
    expect(await storedKeys(tab, 'o:')).toHaveLength(1);

    // A later page of the same visit, where Calltouch has set its cookies meanwhile.
    const session = { modId: MOD_A, siteId: 12345, sessionId: 444555666, ctClientId: 'ct-cookie-client' };
    await tab.goto(s.h.site.page('/cart-later', html({ head: calltouchCookies([session]) + snippet(s.h) })));
    await s.h.collector.waitFor(2, { timeout: 10000 });
    await flush(tab);

    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      offline,
      siteBody(session, 'addToCart', { products: [{ id: 'wait-1', quantity: 1 }] }),
    ]));
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });
});

describe('a purchase still waiting for a session when the page unloads', () => {
  // sessionWaitMs is long, so only the unload can have sent it offline.
  const config = (endpoint: string) => tagConfig(endpoint, { sessionWaitMs: 30000 });

  it.each([
    { title: 'navigating after the call', sameTick: false },
    { title: 'navigating in the same tick as the call', sameTick: true },
  ])('$title: offline by beacon at once, exactly once (3 fresh browsers)', async ({ sameTick }) => {
    const waitPage = s.h.site.page('/waiting', html({ head: snippet(s.h, { config: config(s.h.endpoint) }) }));
    const next = s.h.site.page('/after-waiting', html({ head: snippet(s.h, { config: config(s.h.endpoint) }) }));
    const tabs = [];
    for (let i = 1; i <= 3; i++) {
      const context = i === 1 ? s.context : await s.newContext();
      const tab = await context.newPage();
      tabs.push(tab);
      await tab.goto(waitPage);
      await tagReady(tab);
      const id = `UNLOAD-${i}`;
      if (sameTick) {
        await purchaseAndGo(tab, { id, products: [{ id: 'u', price: 10 }] }, next);
      } else {
        await tab.evaluate((id) => ct('send_ecommerce', 'purchase', { id, products: [{ id: 'u', price: 10 }] }), id);
        await tab.goto(next);
      }
      // Well inside the 30 s wait: it went when the page did.
      await s.h.collector.waitFor((r) => (r.body as { id?: string }).id === id, { timeout: 5000 });
      await tagReady(tab);
      expect(await storedKeys(tab, 'o:')).toEqual([]);
    }
    await Promise.all(tabs.map((tab) => flush(tab)));

    const all = await quiet(s.h.collector);
    expect(raws(all)).toEqual(jsons([1, 2, 3].map((i) => offlineBody(12345, 'purchase', `UNLOAD-${i}`, [{ id: 'u', price: 10, quantity: 1 }]))));
    expect(all.map((r) => r.contentType)).toEqual(Array(3).fill('text/plain;charset=UTF-8'));
    expect(s.w.errors()).toEqual([]);
  });
});
