// Installing through Google Tag Manager: gtm/template.tpl's sandboxed code run
// in Chromium over Tag Manager's APIs implemented on the real window
// (test/support/gtm-apis.mjs: injectScript appends a real script element), with
// the template's permissions as a store edits them for its own bundle URL. The
// real dist/ecomtag.js installs this way; calls come from page code and from
// send-one-call tags, before and after the bundle has loaded.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../support/gtm-sandbox.mjs';
import {
  MOD_A, MOD_B, SESSIONS, fakeCalltouch, flush, holdBundle, inline, jsons, quiet, raws, siteBody, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html, scriptJson } from '../support/snippet.mjs';

const s = useScenario();
const template = readTemplate();

type Fields = Record<string, unknown>;
type Outcome = 'pending' | 'success' | 'failure';
interface Gtm {
  fire(fields: Fields): number;
  outcomes: Outcome[];
}
declare global {
  var gtm: Gtm | undefined;
}

/**
 * The template's permissions as a store edits them: its own bundle URL in
 * "Injects scripts", and the keys of its global when it is not `ct`.
 */
function permissions(bundleUrl: string, name: string) {
  const entries = JSON.parse(template.sections.WEB_PERMISSIONS.replace(/"ct(\.|")/g, `"${name}$1`));
  for (const entry of entries) {
    if (entry.instance.key.publicId === 'inject_script') entry.instance.param[0].value.listItem = [{ type: 1, string: bundleUrl }];
  }
  return entries;
}

/**
 * A container in preview mode: `gtm.fire(fields)` runs the template's code once
 * as a tag and records how it ended in `gtm.outcomes`.
 */
function container(name: string) {
  return `<script type="module">
import { createGtmApis, parsePermissions, requireFrom } from '/test/support/gtm-apis.mjs';
const apis = createGtmApis({
  win: window,
  policy: parsePermissions(${scriptJson(permissions(s.h.bundleUrl, name))}),
  console: (...values) => console.log(...values),
  loadScript: (url, onSuccess, onFailure) => {
    const script = document.createElement('script');
    script.async = true;
    script.src = url;
    script.onload = onSuccess;
    script.onerror = onFailure;
    document.head.appendChild(script);
  },
});
const run = new Function('data', 'require', ${scriptJson(template.code)});
const outcomes = [];
window.gtm = {
  outcomes,
  fire(fields) {
    const tag = outcomes.push('pending') - 1;
    run({ ...fields, gtmOnSuccess: () => (outcomes[tag] = 'success'), gtmOnFailure: () => (outcomes[tag] = 'failure') }, requireFrom(apis));
    return tag;
  },
};
</script>`;
}

/** The install tag's fields: the two accounts of the other scenarios, Calltouch's script under `calltouchGlobal`. */
function installFields(name: string, calltouchGlobal: string): Fields {
  return {
    mode: 'install', globalName: name, bundleUrl: s.h.bundleUrl,
    accounts: [
      { modId: MOD_A, calltouchSiteId: '12345', calltouch: 'on', esputnikSiteId: '' },
      { modId: MOD_B, calltouchSiteId: '67890', calltouch: 'on', esputnikSiteId: '' },
    ],
    calltouchEndpoint: s.h.endpoint, calltouchGlobal, sessionWaitMs: '2000',
    esputnikFormat: 'tracker', esputnikEndpoint: '', currency: '', dataLayerName: '', debug: false,
  };
}

/** A send-one-call tag's fields, products as GA4 items from a dataLayer variable. */
function sendFields(name: string, fields: Fields): Fields {
  return { mode: 'send', globalName: name, callModId: '', transactionId: '', productsFormat: 'ga4', ...fields };
}


/** A store page with a Tag Manager container whose template installs the global `name`. */
async function open(path: string, name: string, head: string): Promise<Page> {
  const tab = await s.context.newPage();
  await tab.goto(s.h.site.page(path, html({ head: head + container(name) })), { waitUntil: 'domcontentloaded' });
  await tab.waitForFunction(() => window.gtm !== undefined);
  return tab;
}

const lamp = { item_id: 'L-7', item_name: 'Лампа', price: 990, quantity: 1, item_brand: 'xiaomi', item_category: 'свет', item_category2: 'настольные' };
const lampProduct = { id: 'L-7', name: 'Лампа', price: 990, brand: 'xiaomi', category: 'свет/настольные' };

describe('installed by the Tag Manager template', () => {
  it('delivers calls made before and after the bundle loads, from page code and from tags, once each and in order', async () => {
    const bundle = holdBundle(s.h.site);
    try {
      const tab = await open('/gtm', 'ct', fakeCalltouch());
      await tab.evaluate((fields) => window.gtm!.fire(fields), installFields('ct', 'ctw'));
      await bundle.requested;
      // The store's own code and a send-one-call tag, while the bundle is on its way.
      await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 'L-7', name: 'Лампа', price: '990.00' }] }));
      await tab.evaluate((fields) => window.gtm!.fire(fields), sendFields('ct', { method: 'add_to_cart', products: [lamp] }));
      expect(s.h.collector.all).toEqual([]);
      expect(await tab.evaluate(() => [typeof ct.flush, window.gtm!.outcomes])).toEqual(['undefined', ['pending', 'success']]);

      bundle.release();
      await tagReady(tab);
      expect(await tab.evaluate(() => window.gtm!.outcomes)).toEqual(['success', 'success']);
      // After the takeover: page code calls the same global Tag Manager created, and a tag routes one call to one mod_id.
      await tab.evaluate(() => ct('send_ecommerce', 'checkout', { products: [{ id: 'L-7', price: 990, quantity: 2 }] }));
      await tab.evaluate((fields) => window.gtm!.fire(fields), sendFields('ct', {
        method: 'purchase', callModId: MOD_B, transactionId: 'T-2001', products: [{ ...lamp, quantity: 2 }],
      }));
      await s.h.collector.waitFor(4, { timeout: 10000 });
      await flush(tab);

      expect(raws(await quiet(s.h.collector, 1000))).toEqual(jsons([
        siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'L-7', name: 'Лампа', price: 990 }] }),
        siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ ...lampProduct, quantity: 1 }] }),
        siteBody(SESSIONS[MOD_A], 'checkout', { products: [{ id: 'L-7', price: 990, quantity: 2 }] }),
        siteBody(SESSIONS[MOD_B], 'purchase', { id: 'T-2001', products: [{ ...lampProduct, quantity: 2 }] }),
      ]));
      expect(await tab.evaluate(() => window.gtm!.outcomes)).toEqual(['success', 'success', 'success']);
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundle.off();
    }
  });

  it('under another name, next to Calltouch’s own ct: the bundle finds its global from the URL', async () => {
    const bundle = holdBundle(s.h.site);
    try {
      const tab = await open('/gtm-renamed', 'ecom', fakeCalltouch({ global: 'ct' }) + inline('window.__calltouch = window.ct;'));
      await tab.evaluate((fields) => window.gtm!.fire(fields), installFields('ecom', 'ct'));
      await bundle.requested;
      await tab.evaluate((fields) => window.gtm!.fire(fields), sendFields('ecom', { method: 'purchase', transactionId: 'R-1', products: [lamp] }));
      bundle.release();
      await tagReady(tab, 'ecom');
      await tab.evaluate(() => ecom('send_ecommerce', 'refund', { id: 'R-1' }));
      await s.h.collector.waitFor(2, { timeout: 10000 });
      await flush(tab, 'ecom');

      expect(raws(await quiet(s.h.collector, 1000))).toEqual(jsons([
        siteBody(SESSIONS[MOD_A], 'purchase', { id: 'R-1', products: [{ ...lampProduct, quantity: 1 }] }),
        siteBody(SESSIONS[MOD_A], 'refund', { id: 'R-1', products: [] }),
      ]));
      const state = await tab.evaluate(() => ({
        calltouchKept: window.ct === (window as unknown as { __calltouch: unknown }).__calltouch,
        script: document.querySelector('script[src*="ecomtag.js"]')?.getAttribute('src'),
        outcomes: window.gtm!.outcomes,
      }));
      expect(state).toEqual({ calltouchKept: true, script: `${s.h.bundleUrl}#ecom`, outcomes: ['success', 'success'] });
      expect(s.w.errors()).toEqual([]);
    } finally {
      bundle.off();
    }
  });
});
