// SPA code (SPEC §2): `createTag` imported from the package, bundled by esbuild as a store's build would, running
// across History API navigations, a back button, and a reload of the thank-you route.
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOD_A, ROOT, SESSIONS, fakeCalltouch, inline, jsons, quiet, raws, siteBody, useScenario } from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
let bundle = '';
/** The folder this file made, set only once mkdtemp returned it: afterAll removes that path and nothing else. */
let made: string | undefined;

beforeAll(async () => {
  // The package as `npm install ecomtag` leaves it, resolved through its own export map.
  made = await mkdtemp(join(tmpdir(), 'ecomtag-spa-'));
  const modules = join(made, 'node_modules');
  await mkdir(modules);
  await symlink(ROOT, join(modules, 'ecomtag'), 'dir');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../fixtures/spa/app.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2017',
    nodePaths: [modules],
    logLevel: 'error',
  });
  bundle = result.outputFiles[0].text;
});

afterAll(async () => {
  if (made) await rm(made, { recursive: true, force: true });
});

const cable = { id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 1 };

describe('a single-page app', () => {
  it('sends each route’s call once, across pushState, back and a reload, and flush() answers', async () => {
    s.h.site.page('/spa-app.js', bundle);
    const shell = html({ head: fakeCalltouch() + inline(`window.COLLECTOR = ${JSON.stringify(s.h.collector.url)};`), body: '<script src="/spa-app.js"></script>' });
    for (const path of ['/spa/product', '/spa/cart', '/spa/checkout', '/spa/thanks']) s.h.site.page(path, shell);

    const tab = await s.context.newPage();
    await tab.goto(s.h.site.url + '/spa/product');
    await tab.waitForFunction(() => typeof window.shop === 'object');
    for (const path of ['/spa/cart', '/spa/checkout']) await tab.evaluate((to) => window.shop.go(to), path);
    // Back to the cart and forward again: each showing of a route is a call, as the app means it.
    await tab.goBack();
    await tab.waitForFunction(() => location.pathname === '/spa/cart');
    await tab.evaluate(() => window.shop.go('/spa/thanks'));
    await tab.evaluate(() => window.shop.flush());
    await s.h.collector.waitFor(5);

    // A reload of the thank-you route is a new document and a new tag: the purchase is not sent again.
    await tab.reload();
    await tab.waitForFunction(() => typeof window.shop === 'object');
    await tab.evaluate(() => window.shop.flush());

    expect(raws(await quiet(s.h.collector))).toEqual(jsons([
      siteBody(SESSIONS[MOD_A], 'detail', { products: [cable] }),
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [cable] }),
      siteBody(SESSIONS[MOD_A], 'checkout', { products: [cable] }),
      siteBody(SESSIONS[MOD_A], 'addToCart', { products: [cable] }),
      siteBody(SESSIONS[MOD_A], 'purchase', { id: 'SPA-1', products: [cable] }),
    ]));
    // No global is installed: the app holds its tag.
    expect(await tab.evaluate(() => 'ct' in window)).toBe(false);
  });
});
