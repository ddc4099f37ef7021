import { build } from 'esbuild';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
const INTERNAL = new RegExp(/const INTERNAL_MEMBERS = \/(.*)\/;/.exec(readFileSync('build.mjs', 'utf8'))[1]);
const gz = (s) => gzipSync(s, { level: 9 }).length;
const entry = process.argv[2] || 'src/browser.ts';
const a = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', minify: true, target: 'es2017', mangleProps: INTERNAL, legalComments: 'none', metafile: true });
const s1 = a.outputFiles[0].text;
const b = await build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', minify: false, target: 'es2017', mangleProps: INTERNAL, legalComments: 'none' });
const t = await minify(b.outputFiles[0].text, { ecma: 2017, compress: { passes: 2, unsafe_arrows: true, pure_getters: true, unsafe: true }, mangle: true, toplevel: true });
console.log('esbuild', s1.length, gz(s1), ' terser', t.code.length, gz(t.code));
if (process.argv[3]) { const out = Object.values(a.metafile.outputs)[0]; for (const [k, v] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log(String(v.bytesInOutput).padStart(6), k); }
