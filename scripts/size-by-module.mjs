// `npm run size:modules [-- FILE]`: what each source file costs a build of the tag (dist/ecomtag.js unless FILE
// names another of scripts/sizes.mjs's BUNDLES, as ecomtag.calltouch.js), in gzip bytes. The bundle is built as the tag is
// (esbuild, minified, internal members renamed) with a source map; each file's cost is what the gzipped bundle
// loses when that file's bytes are taken out, so strings it shares with others count where they are cheapest.
// The figures do not add up to the total: gzip finds repeats across files.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';
import { BUNDLES, swapping } from './sizes.mjs';

const file = process.argv[2] ?? 'ecomtag.js';
const bundle = BUNDLES[/** @type {keyof typeof BUNDLES} */ (file)];
if (!bundle) throw new Error(`no build ${file}: one of ${Object.keys(BUNDLES).join(', ')}`);

const internal = /const INTERNAL_MEMBERS = \/(.*)\/;/.exec(readFileSync(new URL('../build.mjs', import.meta.url), 'utf8'));
if (!internal) throw new Error('build.mjs no longer declares INTERNAL_MEMBERS as a regular expression literal');
const result = await build({
  absWorkingDir: new URL('..', import.meta.url).pathname,
  entryPoints: ['src/browser.ts'],
  plugins: [swapping(bundle.swap)],
  bundle: true,
  write: false,
  format: 'iife',
  minify: true,
  target: 'es2017',
  mangleProps: new RegExp(internal[1]),
  legalComments: 'none',
  sourcemap: 'external',
  outfile: 'ecomtag.js',
});
const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
const map = result.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '{}';

/** The source file of every byte of `code`, from the mapping at or before it. */
const owners = new Array(code.length).fill('');
const lineStarts = [0];
for (const line of code.split('\n')) lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1);
/** @type {Array<{at: number, source: string}>} */
const mappings = [];
new SourceMapConsumer(JSON.parse(map)).eachMapping((m) => mappings.push({ at: lineStarts[m.generatedLine - 1] + m.generatedColumn, source: m.source ?? '' }));
mappings.sort((a, b) => a.at - b.at);
mappings.forEach((m, i) => owners.fill(m.source, m.at, i + 1 < mappings.length ? mappings[i + 1].at : code.length));

const gzip = (/** @type {string} */ text) => gzipSync(text, { level: 9 }).length;
const total = gzip(code);
const rows = [...new Set(owners.filter(Boolean))].map((source) => {
  const rest = code.split('').filter((_, i) => owners[i] !== source).join('');
  return { file: source.replace(/^.*?src\//, 'src/'), raw: code.length - rest.length, gzip: total - gzip(rest) };
});
console.log(`${file}, esbuild-minified: ${code.length} B, ${total} B gzip (the build's terser pass takes off ~5%)`);
console.log('  gzip     raw  file');
for (const row of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`${String(row.gzip).padStart(6)}  ${String(row.raw).padStart(6)}  ${row.file}`);
