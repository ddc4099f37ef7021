// The files each contender's shoppers download. ecomtag's are dist/ecomtag.js and dist/ecomtag.calltouch.js as
// built; the peers are bundled here, as a store would ship them from npm: esbuild, one minified IIFE, production
// defines, ES2017 like the tag, exposing only what the benchmark calls, so tree shaking leaves what such a store's
// page would carry.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = new URL('../../', import.meta.url);
const ROOT_DIR = ROOT.pathname;
const require = createRequire(ROOT);

/** @typedef {{raw: number, gzip: number, brotli: number}} Sizes */

/**
 * @param {Uint8Array} bytes
 * @returns {Sizes}
 */
export const sizesOf = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** @param {string} name */
export const versionOf = (name) => /** @type {{version: string}} */ (require(`${name}/package.json`)).version;

const ESBUILD = {
  bundle: true,
  minify: true,
  target: 'es2017',
  legalComments: /** @type {const} */ ('none'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: /** @type {const} */ ('error'),
  write: false,
  absWorkingDir: ROOT_DIR,
};

/**
 * The minified IIFE of an entry module.
 * @param {string} contents an ES module that imports from node_modules
 */
const bundle = async (contents) => {
  const { outputFiles = [] } = await build({ ...ESBUILD, format: 'iife', stdin: { contents, resolveDir: ROOT_DIR, loader: 'js' } });
  return outputFiles[0].contents;
};

/** What the Snowplow contender runs: the tracker and its e-commerce plugin (`trackAddToCart`). */
const SNOWPLOW_ENTRY = `
import { newTracker } from '@snowplow/browser-tracker';
import { SnowplowEcommercePlugin, trackAddToCart } from '@snowplow/browser-plugin-snowplow-ecommerce';
window.snowplow = { newTracker, SnowplowEcommercePlugin, trackAddToCart };`;
/** For comparison only: the tracker alone, with its built-in structured event. */
const SNOWPLOW_CORE_ENTRY = `
import { newTracker, trackStructEvent } from '@snowplow/browser-tracker';
window.snowplow = { newTracker, trackStructEvent };`;
const SEGMENT_ENTRY = `
import { AnalyticsBrowser } from '@segment/analytics-next';
window.segment = { AnalyticsBrowser };`;

/** ecomtag's builds, as `npm run build` leaves them in dist/. */
export const ECOMTAG_FILES = ['ecomtag.js', 'ecomtag.calltouch.js'];

/**
 * Copies ecomtag's builds into `dir` and writes snowplow.js and segment.js there; measures them all, plus two
 * figures for context. A build missing from dist/ is left out and named in `missing`.
 * @param {string} dir
 */
export async function prepareBundles(dir) {
  /** @type {Record<string, Sizes>} */
  const sizes = {};
  /** @type {string[]} */
  const missing = [];
  for (const file of ECOMTAG_FILES) {
    const built = new URL(`dist/${file}`, ROOT);
    if (!existsSync(built)) {
      missing.push(file);
      continue;
    }
    await copyFile(built, join(dir, file));
    sizes[file] = sizesOf(await readFile(built));
  }
  const snowplow = await bundle(SNOWPLOW_ENTRY);
  const segment = await bundle(SEGMENT_ENTRY);
  await writeFile(join(dir, 'snowplow.js'), snowplow);
  await writeFile(join(dir, 'segment.js'), segment);
  sizes['snowplow.js'] = sizesOf(snowplow);
  sizes['segment.js'] = sizesOf(segment);
  return {
    sizes,
    missing,
    context: { snowplowCore: sizesOf(await bundle(SNOWPLOW_CORE_ENTRY)), segmentLoaded: await segmentLoadedSizes() },
  };
}

/**
 * The IIFE inlines every chunk that Segment's own build loads on demand (legacy destinations, routing middleware,
 * schema filter, …), none of which this setup uses. For a fair figure beside it: the same entry code-split, and
 * only the files a page loads for this setup (the entry and its static imports), each compressed on its own as
 * each is a request of its own.
 */
async function segmentLoadedSizes() {
  const { outputFiles = [], metafile } = await build({
    ...ESBUILD,
    format: 'esm',
    splitting: true,
    outdir: '/segment',
    metafile: true,
    stdin: { contents: SEGMENT_ENTRY, resolveDir: ROOT_DIR, loader: 'js' },
  });
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint === '<stdin>');
  /** @type {Set<string>} */
  const loaded = new Set();
  /** @param {string} path */
  const visit = (path) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(/** @type {string} */ (entry));
  const loadedFiles = new Set([...loaded].map((path) => resolve(ROOT_DIR, path)));
  const total = { files: 0, raw: 0, gzip: 0, brotli: 0 };
  for (const file of outputFiles) {
    if (!loadedFiles.has(file.path)) continue;
    const sizes = sizesOf(file.contents);
    total.files += 1;
    total.raw += sizes.raw;
    total.gzip += sizes.gzip;
    total.brotli += sizes.brotli;
  }
  return total;
}
