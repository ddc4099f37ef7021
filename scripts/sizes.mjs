// The browser bundles, what each leaves out, and what every shopper downloads of them: bytes of the built tags and
// the stub, raw, gzip and brotli. Shared by build.mjs, `npm run size`, `npm run size:modules` and the budget test.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The tag's builds from the same sources, each with its gzip ceiling, asserted by the size test, and SPEC §1's goal
 * where the ceiling is not there yet. `swap` puts modules in place of others (source → source, from the
 * repository's root, without `.ts`): the Calltouch-only build leaves eSputnik and the dataLayer bridge out by
 * swapping the list of destinations and the bridge.
 *
 * The Calltouch-only build is 5.5 KB: what it keeps is the core every store needs (SPEC §3's checks with their
 * reasons, the outbox's exactly-once across tabs, reloads and outages, consent, Calltouch's two formats), which
 * `npm run size:modules -- ecomtag.calltouch.js` itemises. Its ceiling stops growth while issue 17's 4,608 B stays
 * open.
 */
export const BUNDLES = {
  'ecomtag.js': { gzip: 7424, goal: 7424, swap: {} },
  'ecomtag.calltouch.js': { gzip: 5520, goal: 4608, swap: { 'src/destinations': 'src/destinations.calltouch', 'src/bridge/datalayer': 'src/bridge/none' } },
};

/** The stub is pasted into every page's HTML: its raw bytes count. */
export const STUB_RAW = 400;

/**
 * An esbuild plugin that resolves each swapped module's imports to its replacement.
 * @param {Record<string, string>} swap
 * @returns {import('esbuild').Plugin}
 */
export const swapping = (swap) => ({
  name: 'swap',
  setup: (build) =>
    build.onResolve({ filter: /^\./ }, ({ path, resolveDir }) => {
      const replacement = swap[relative(root, join(resolveDir, path)).split(sep).join('/')];
      return replacement ? { path: join(root, `${replacement}.ts`) } : undefined;
    }),
});

/** @param {string} file */
export const measure = (file) => {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
