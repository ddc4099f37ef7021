// The dataLayer bridge in a real page, where happy-dom cannot stand in: inline scripts that assign a new
// dataLayer while the document is parsed, gtag's real `arguments` objects, and when `readystatechange` fires.
// The bridge module is bundled alone here; the tag's own scenarios test it wired in.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/chromium.mjs';

let browser: Browser;
let bridge: string;

beforeAll(async () => {
  const [bundle, launched] = await Promise.all([
    build({ entryPoints: [fileURLToPath(new URL('../../src/bridge/datalayer.ts', import.meta.url))], bundle: true, write: false, format: 'iife', globalName: 'bridge', target: 'es2017', minify: true }),
    launchBrowser(),
  ]);
  bridge = bundle.outputFiles[0].text;
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
});

/** Records each call as `method:ids:readyState`; GTM's miniature records what its wrapper saw. */
const RECORD = `
window.seen = [];
window.record = (method, params) => seen.push(method + ':' + params.products.map((p) => p.id) + ':' + document.readyState);
window.gtmWrap = () => {
  window.gtm = [];
  const previous = dataLayer.push;
  dataLayer.push = function () { const length = previous.apply(this, arguments); gtm.push(...arguments); return length; };
  gtm.push(...dataLayer);
};`;

const run = async (html: string) => {
  const tab = await browser.newPage();
  await tab.setContent(`<!doctype html><html><head><script>${bridge}${RECORD}</script>${html}</head><body>shop</body></html>`, { waitUntil: 'load' });
  const result = await tab.evaluate(() => {
    const page = window as unknown as Record<'seen' | 'gtm' | 'dataLayer', unknown[]>;
    return { seen: page.seen, gtm: (page.gtm || []).length, length: page.dataLayer.length };
  });
  await tab.close();
  return result;
};

describe('dataLayer bridge in Chromium', () => {
  it('reads a dataLayer an inline script assigns after it, with gtag pushes, by the end of parsing, each once', async () => {
    const { seen, gtm, length } = await run(`
      <script>bridge.bridgeDataLayer(window, 'dataLayer', record);</script>
      <script>var dataLayer = [{ event: 'view_item', ecommerce: { items: [{ item_id: 'inline' }] } }];</script>
      <script>
        function gtag() { dataLayer.push(arguments); }
        gtag('js', new Date());
        gtag('event', 'add_to_cart', { items: [{ item_id: 'gtag' }] });
        gtmWrap();
        dataLayer.push({ ecommerce: null }, { event: 'purchase', ecommerce: { transaction_id: 'T1', items: [{ item_id: 'after-gtm' }] } });
      </script>`);
    expect(seen).toEqual(['detail:inline:interactive', 'addToCart:gtag:interactive', 'purchase:after-gtm:interactive']);
    expect([gtm, length]).toEqual([5, 5]);
  });

  it('reads at once a dataLayer that exists when it starts, under a wrapper already there', async () => {
    const { seen, gtm } = await run(`
      <script>
        window.dataLayer = [{ ecommerce: { detail: { products: [{ id: 'early' }] } } }];
        gtmWrap();
        dataLayer.push({ ecommerce: { add: { products: [{ id: 'before-us' }] } } });
        bridge.bridgeDataLayer(window, 'dataLayer', record);
        dataLayer.push({ ecommerce: { remove: { products: [{ id: 'after-us' }] } } });
      </script>`);
    expect(seen).toEqual(['detail:early:loading', 'addToCart:before-us:loading', 'removeFromCart:after-us:loading']);
    expect(gtm).toBe(3);
  });
});
