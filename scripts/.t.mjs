import { build } from 'esbuild';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
const INTERNAL = new RegExp(/const INTERNAL_MEMBERS = \/(.*)\/;/.exec(readFileSync('build.mjs', 'utf8'))[1]);
const gz = (s) => gzipSync(s, { level: 9 }).length;
const b = await build({ entryPoints: ['src/browser.ts'], bundle: true, write: false, format: 'iife', target: 'es2017', mangleProps: INTERNAL, legalComments: 'none', minifySyntax: true });
const src = b.outputFiles[0].text;
const base = { passes: 3, unsafe_arrows: true, pure_getters: true };
for (const [label, compress, extra] of [
  ['base', base, {}],
  ['+unsafe_comps/math/methods', { ...base, unsafe_comps: true, unsafe_math: true, unsafe_methods: true }, {}],
  ['+hoist_vars', { ...base, hoist_vars: true }, {}],
  ['+booleans_as_integers', { ...base, booleans_as_integers: true }, {}],
  ['no sequences', { ...base, sequences: false }, {}],
  ['join_vars false', { ...base, join_vars: false }, {}],
  ['inline 1', { ...base, inline: 1 }, {}],
  ['mangle.toplevel', base, { mangle: { toplevel: true } }],
  ['ecma2020', base, { ecma: 2020 }],
]) {
  const t = await minify(src, { ecma: 2017, compress, toplevel: true, ...extra });
  console.log(label.padEnd(30), t.code.length, gz(t.code));
}
