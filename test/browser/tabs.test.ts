// Two tabs of one browser profile (SPEC §7): they share the persisted outbox,
// so each must send its own events once and never the other's twice; a
// backlog built while the collector is down is drained once, by whichever
// tab gets there first.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, fakeCalltouch, flush, quiet, siteBody, snippet, storedKeys, tagReady, useScenario,
} from '../support/scenario.mjs';
import type { CollectorRecord } from '../support/recorder.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

async function twoTabs() {
  const url = s.h.site.page('/tabs', html({ head: fakeCalltouch() + snippet(s.h) }));
  const tabs = [await s.context.newPage(), await s.context.newPage()];
  await Promise.all(tabs.map((tab) => tab.goto(url)));
  await Promise.all(tabs.map((tab) => tagReady(tab)));
  return tabs;
}

/** Each tab's events: a purchase, then cart events, all ids prefixed by the tab's name. */
function shopIn(tab: Page, name: string, carts: number) {
  return tab.evaluate(([name, carts]) => {
    ct('send_ecommerce', 'purchase', { id: `${name}-order`, products: [{ id: `${name}-p`, quantity: 1 }] });
    for (let i = 1; i <= carts; i++) ct('send_ecommerce', 'addToCart', { products: [{ id: `${name}-cart-${i}`, quantity: 1 }] });
  }, [name, carts] as const);
}

function expected(name: string, carts: number) {
  return [
    siteBody(SESSIONS[MOD_A], 'purchase', { id: `${name}-order`, products: [{ id: `${name}-p`, quantity: 1 }] }),
    ...Array.from({ length: carts }, (_, i) => siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: `${name}-cart-${i + 1}`, quantity: 1 }] })),
  ].map((body) => JSON.stringify(body));
}

/** Exactly these bodies, each once, and each tab's in its call order (tabs may interleave). */
function expectEachOnceInTabOrder(all: CollectorRecord[], perTab: string[][]) {
  const raws = all.map((r) => r.raw);
  expect([...raws].sort()).toEqual(perTab.flat().sort());
  for (const bodies of perTab) expect(raws.filter((raw) => bodies.includes(raw!))).toEqual(bodies);
}

describe('two tabs', () => {
  it('each tab’s events arrive once, in that tab’s order', async () => {
    const [a, b] = await twoTabs();
    await Promise.all([shopIn(a, 'A', 2), shopIn(b, 'B', 2)]);
    await s.h.collector.waitFor(6);
    await Promise.all([flush(a), flush(b)]);

    const all = await quiet(s.h.collector);
    expectEachOnceInTabOrder(all, [expected('A', 2), expected('B', 2)]);
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(s.w.errors()).toEqual([]);
  });

  it('a backlog built while the collector is down is drained once after recovery', async () => {
    const [a, b] = await twoTabs();
    await s.h.collector.stop();
    try {
      await shopIn(a, 'A', 2);
      await shopIn(b, 'B', 2);
      // All six are in the shared outbox, and the collector is in backoff.
      await a.waitForFunction(() => Object.keys(localStorage).filter((k) => k.startsWith('ecomtag:ct:o:')).length === 6);
      await a.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('ecomtag:ct:b:')));
    } finally {
      await s.h.collector.start();
    }
    await s.h.collector.waitFor(6, { timeout: 30000 });
    await Promise.all([flush(a), flush(b)]);

    const all = await quiet(s.h.collector);
    expectEachOnceInTabOrder(all, [expected('A', 2), expected('B', 2)]);
    expect(all).toHaveLength(6);
    expect(await storedKeys(a, 'o:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });
});
