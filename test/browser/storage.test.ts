// Storage that throws (SPEC §7): private modes, quotas and sandboxed frames.
// The tag must fall back to memory and still deliver everything, once,
// including at a navigation, without a single page error.
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, fakeCalltouch, flush, inline, jsons, purchaseAndGo, quiet, raws, siteBody, snippet, tagReady,
  useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

// Installed before the snippet, as a browser would present it from the start.
const EVERYTHING_THROWS = inline(`(function () {
  function deny() { throw new DOMException('The operation is insecure.', 'SecurityError'); }
  ['getItem', 'setItem', 'removeItem', 'key', 'clear'].forEach(function (m) { Storage.prototype[m] = deny; });
  Object.defineProperty(Storage.prototype, 'length', { get: deny, configurable: true });
  Object.defineProperty(window, 'localStorage', { get: deny, configurable: true });
})();`);
// A real full quota: filled until not one more character fits, so every write the tag tries is refused by the
// browser itself (QuotaExceededError), whichever way it writes.
const WRITES_THROW = inline(`(function () {
  var sizes = [1 << 20, 1 << 14, 1 << 8, 1], n = 0;
  sizes.forEach(function (size) {
    var chunk = new Array(size + 1).join('x');
    try { for (;;) localStorage.setItem('fill' + n++, chunk); } catch (full) {}
  });
})();`);

describe('storage that throws', () => {
  it.each([
    { title: 'every localStorage access throws', sabotage: EVERYTHING_THROWS, probe: 'read' },
    { title: 'every write throws (quota)', sabotage: WRITES_THROW, probe: 'write' },
  ])('$title: everything delivered from memory, once, no page errors', async ({ sabotage, probe }) => {
    const calls = inline(`
      ct('set_contact', { email: 'a@b.ru', phone: '79001234567' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'mem-1', quantity: 1 }] });
      ct('send_ecommerce', 'purchase', { id: 'MEM-16', products: [{ id: 'mem-1', quantity: 1 }] });
      ct('send_ecommerce', 'purchase', { id: 'MEM-16', products: [{ id: 'mem-1', quantity: 1 }] });
      ct('send_ecommerce', 'detail', { products: [{ id: 'mem-2' }] });`);
    const tag = sabotage + fakeCalltouch() + snippet(s.h);
    const next = s.h.site.page('/memory-next', html({ head: tag }));
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/memory', html({ head: tag + calls })));
    await tagReady(tab);
    // The sabotage is in force on this page.
    expect(await tab.evaluate((probe) => {
      try {
        if (probe === 'read') void localStorage.getItem('x');
        else localStorage.setItem('probe', 'x'.repeat(64));
        return 'works';
      } catch {
        return 'throws';
      }
    }, probe)).toBe('throws');

    await s.h.collector.waitFor(3);
    await flush(tab);
    // And at a navigation in the same tick, from memory.
    await purchaseAndGo(tab, { id: 'MEM-17', products: [{ id: 'mem-3', quantity: 1 }] }, next);
    await s.h.collector.waitFor(4);
    await flush(tab);

    const contact = { email: 'a@b.ru', phone: '79001234567' };
    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'mem-1', quantity: 1 }], contact }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'MEM-16', products: [{ id: 'mem-1', quantity: 1 }], contact }),
      siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'mem-2' }], contact }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'MEM-17', products: [{ id: 'mem-3', quantity: 1 }], contact }),
    ]));
    expect(s.w.errors()).toEqual([]);
  });
});
