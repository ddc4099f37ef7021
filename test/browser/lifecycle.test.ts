// A call's work is done after the caller's task (SPEC §7, issue 17): what a page was given and had not yet stored
// must survive the page going in the same task (`pagehide`), and being hidden, then killed without `pagehide`
// (what mobile browsers do to hidden pages). Each page records, in its own listener ahead of the tag's, how many
// letters the tag had stored when the event came, so each test proves the calls were still only in memory then.
//
// The headless shell (the npm registry's Chromium) cannot hide a page: CDP's Page.setWebLifecycleState('frozen')
// answers but fires neither `visibilitychange` nor `freeze`, and minimising the window or opening another target
// leaves the page visible. The page is hidden as it sees it, then: `visibilityState` reads 'hidden' and
// `visibilitychange` fires, in the task of the calls, so that only the tag's own listener
// can have stored them. It is killed by CDP's Page.crash, which runs no `pagehide`.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { identity } from '../support/bodies';
import { bothConfig, fakeCalltouch, flush, inline, leave, quiet, snippet, storedKeys, tagReady, useScenario } from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
/** Account A sends to Calltouch and to eSputnik's tracker. */
const config = () => bothConfig(s.h);

/** Counts, under `seen`, the letters the tag had stored when `type` reached the page, ahead of the tag's own listener. */
const countAt = (type: string, target: 'window' | 'document') =>
  inline(`${target}.addEventListener('${type}', function () {
    localStorage.seen = (localStorage.seen || '') + '${type} ' + Object.keys(localStorage).filter(function (k) { return k.indexOf('ecomtag:ct:o:') == 0; }).length + ';';
  });`);

/** `Date.now()` a few minutes on: a page killed without `pagehide` fell silent that long ago, and its letters are adopted. */
const LATER_CLOCK = inline('(function () { var real = Date.now; Date.now = function () { return real() + 5 * 60000; }; })();');

/** The shopper's calls, as a script the page runs: two products into the cart, then the order. */
const calls = (id: string) => `
  ct('send_ecommerce', 'addToCart', { products: [{ id: '${id}-1', price: 10, quantity: 1 }] });
  ct('send_ecommerce', 'addToCart', { products: [{ id: '${id}-2', price: 5, quantity: 2 }] });
  ct('send_ecommerce', 'purchase', { id: '${id}', products: [{ id: '${id}-1', price: 10, quantity: 1 }, { id: '${id}-2', price: 5, quantity: 2 }] });`;

/** Each of the calls above once at each collector. */
const expected = (id: string) => [
  `calltouch addToCart ${id}-1`,
  `calltouch addToCart ${id}-2`,
  `calltouch purchase ${id}`,
  `tracker StatusCart ${id}-1`,
  `tracker StatusCart ${id}-1,${id}-2`,
  `tracker PurchasedItems ${id}`,
];

const arrived = async (id: string) => {
  await s.h.collector.waitFor((r) => identity(r).includes(id), { count: 6, timeout: 15000 });
  return (await quiet(s.h.collector, 1500)).filter((r) => identity(r).includes(id));
};

/** What each collector took from the calls, each collector's in the order it took them. */
const inOrder = (records: Awaited<ReturnType<typeof arrived>>) => [...records.filter((r) => r.service === 'calltouch'), ...records.filter((r) => r.service !== 'calltouch')].map(identity);

const seen = (tab: Page) => tab.evaluate(() => localStorage.seen);

describe('the work behind a call, not yet done when the page goes', () => {
  it('calls followed by location.href = … in the same task arrive exactly once', async () => {
    const head = fakeCalltouch() + snippet(s.h, { config: config() });
    const next = s.h.site.page('/lifecycle-next', html({ head }));
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/lifecycle', html({ head })));
    await tagReady(tab);
    await leave(tab.evaluate(`${calls('NAV')} location.href = ${JSON.stringify(next)};`));
    await tab.waitForURL(next);
    const records = await arrived('NAV');
    // Not necessarily in call order: a collector's first letter may still be in flight (its CORS preflight first)
    // when the page goes, and the letters after it leave by beacon, which needs none.
    expect(records.map(identity).sort()).toEqual(expected('NAV').sort());
    await flush(tab);
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });

  it('calls made just before the page is hidden, then killed without pagehide, reach the collectors from the next page, once', async () => {
    const type = 'visibilitychange';
    const head = countAt(type, 'document') + countAt('pagehide', 'window') + fakeCalltouch() + snippet(s.h, { config: config() });
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/hidden', html({ head })));
    await tagReady(tab);
    // The collectors are down while the page lives: nothing reaches them before it dies, so all that arrives later
    // came from what it stored.
    await s.h.collector.stop();
    try {
      // Counted again after the tag's own listener: what it stored, it stored as the page was hidden.
      await tab.evaluate(`${calls('HID')}
        document.addEventListener('${type}', function () {
          localStorage.seen += 'then ' + Object.keys(localStorage).filter(function (k) { return k.indexOf('ecomtag:ct:o:') == 0; }).length + ';';
        });
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('${type}'));`);
      // Stored when the page was hidden: Calltouch's letters for the two carts and the purchase, and eSputnik's.
      expect(await seen(tab)).toBe(`${type} 0;then 6;`);
      const cdp = await s.context.newCDPSession(tab);
      const crashed = tab.waitForEvent('crash');
      // Answered by no one: the page it was sent to is gone.
      void cdp.send('Page.crash').catch(() => undefined);
      await crashed;
    } finally {
      await s.h.collector.start();
    }

    const later = await s.context.newPage();
    await later.goto(s.h.site.page('/hidden-later', html({ head: LATER_CLOCK + fakeCalltouch() + snippet(s.h, { config: config() }) })));
    await tagReady(later);
    const records = await arrived('HID');
    expect(inOrder(records)).toEqual(expected('HID'));
    // The page that died never saw `pagehide`.
    expect(await seen(later)).toBe(`${type} 0;then 6;`);
    await flush(later);
    expect(await storedKeys(later, 'o:')).toEqual([]);
    expect(s.w.errors()).toEqual([]);
  });
});
