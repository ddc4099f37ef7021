// dist/ecomtag.calltouch.js, the build without eSputnik and the dataLayer bridge (SPEC §1, issue 17), installed as
// README tells a Calltouch-only store: it delivers Calltouch's bodies exactly as the full build does, and a
// configuration that asks it for eSputnik or a dataLayer hears so once each, in one console line.
import { describe, expect, it } from 'vitest';
import {
  MOD_A, SESSIONS, bothConfig, fakeCalltouch, flush, inline, jsons, purchaseAndGo, quiet, raws, settleConsole,
  siteBody, storedKeys, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html, snippetTag } from '../support/snippet.mjs';

const s = useScenario();

/** Account A asks for Calltouch and eSputnik's tracker, and the configuration for a dataLayer. */
const config = () => ({ ...bothConfig(s.h), dataLayer: 'dataLayer' });

describe('dist/ecomtag.calltouch.js', () => {
  it('sends Calltouch every call, once, also across a navigation in the same task, and says what it leaves out', async () => {
    const tag = fakeCalltouch() + snippetTag({ config: config(), bundleUrl: s.h.site.url + '/dist/ecomtag.calltouch.js' }) + inline("(window.dataLayer = window.dataLayer || []).push({ event: 'view_item', ecommerce: { items: [{ item_id: 'dl-1' }] } });");
    const next = s.h.site.page('/calltouch-only-next', html({ head: tag }));
    const tab = await s.context.newPage();
    await tab.goto(s.h.site.page('/calltouch-only', html({ head: tag })));
    await tagReady(tab);
    await tab.evaluate(() => {
      ct('set_contact', { email: 'a@b.ru' });
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'ct-1', price: '150.50', quantity: 1 }] });
    });
    await purchaseAndGo(tab, { id: 'CT-1', products: [{ id: 'ct-1', price: 150.5, quantity: 1 }] }, next);
    await tagReady(tab);
    await s.h.collector.waitFor(2);
    await flush(tab);
    const contact = { email: 'a@b.ru' };
    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [{ id: 'ct-1', price: 150.5, quantity: 1 }], contact }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'CT-1', products: [{ id: 'ct-1', price: 150.5, quantity: 1 }], contact }),
    ]));
    expect(await storedKeys(tab, 'o:')).toEqual([]);
    await settleConsole(tab, s.w);
    // Once per page that loads the tag: the shop's, then the next one.
    const lines = [
      'ecomtag: ecomtag.calltouch.js sends nothing to eSputnik (accounts[0].esputnik): ecomtag.js does',
      'ecomtag: ecomtag.calltouch.js reads no dataLayer (window.dataLayer): ecomtag.js does',
    ];
    expect(s.w.errors()).toEqual([...lines, ...lines]);
  });
});
