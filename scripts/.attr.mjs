import { build } from 'esbuild';
import { SourceMapConsumer } from 'source-map-js';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
const INTERNAL = new RegExp(/const INTERNAL_MEMBERS = \/(.*)\/;/.exec(readFileSync('build.mjs', 'utf8'))[1]);
const r = await build({ entryPoints: [process.argv[2] || 'src/browser.ts'], bundle: true, write: false, format: 'iife', minify: true, target: 'es2017', mangleProps: INTERNAL, legalComments: 'none', sourcemap: 'external', outfile: 'x.js' });
const map = r.outputFiles.find(f => f.path.endsWith('.map')).text, code = r.outputFiles.find(f => f.path.endsWith('.js')).text;
const c = new SourceMapConsumer(JSON.parse(map));
const lines = code.split('\n'); const owner = [];
// assign each char to the source of the nearest preceding mapping
const mappings = []; c.eachMapping(m => mappings.push(m));
mappings.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
let offsets = [0]; for (const l of lines) offsets.push(offsets[offsets.length - 1] + l.length + 1);
const src = new Array(code.length).fill(null);
for (let i = 0; i < mappings.length; i++) { const m = mappings[i], n = mappings[i + 1]; const s = offsets[m.generatedLine - 1] + m.generatedColumn; const e = n ? offsets[n.generatedLine - 1] + n.generatedColumn : code.length; for (let k = s; k < e; k++) src[k] = m.source; }
const gz = (s) => gzipSync(s, { level: 9 }).length; const total = gz(code);
const files = [...new Set(src.filter(Boolean))];
const rows = files.map(f => { let t = ''; let raw = 0; for (let k = 0; k < code.length; k++) { if (src[k] !== f) t += code[k]; else raw++; } return [f.replace(/^.*src\//, ''), raw, total - gz(t)]; }).sort((a, b) => b[2] - a[2]);
console.log('total', code.length, total); let sum = 0; for (const [f, raw, g] of rows) { sum += g; console.log(String(g).padStart(5), String(raw).padStart(6), f); } console.log('sum', sum);
