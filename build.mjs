// Builds dist/: the browser bundle, the loader stub, the ES module with its typings. `node build.mjs`.
import { build, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';

const common = { bundle: true, target: 'es2017', legalComments: 'none', logLevel: 'warning' };

await rm('dist', { recursive: true, force: true });

// The tag every shopper downloads: one minified IIFE, no imports.
await build({ ...common, entryPoints: ['src/browser.ts'], outfile: 'dist/ecomtag.js', format: 'iife', minify: true });

// The stub alone, as the bare function expression the README wraps: `(STUB)(window,document,NAME,CONFIG,URL)`.
const stubSource = await readFile('src/install/stub.ts', 'utf8');
// Identifiers are kept: the source already names them w, d, n, c, u as the README shows.
const { code } = await transform(stubSource, { loader: 'ts', format: 'esm', minifyWhitespace: true, minifySyntax: true, target: 'es2017' });
const stub = /=(function\([\s\S]*\})\s*;\s*export\s*\{/.exec(code);
if (!stub) throw new Error(`could not cut the stub out of:\n${code}`);
await writeFile('dist/snippet.min.js', stub[1]);

// For bundlers: ESM plus one self-contained typings file, which every module resolver reads alike.
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.mjs', format: 'esm' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
const publicTypes = await readFile('dist/types/types.d.ts', 'utf8');
const api = (await readFile('dist/types/index.d.ts', 'utf8')).replace(/^(import|export) type .* from '\.\/types';\n/gm, '');
if (/ from '/.test(api)) throw new Error(`src/index.ts's declarations reach beyond src/types.ts:\n${api}`);
await writeFile('dist/index.d.ts', `${publicTypes}\n${api}`);
await rm('dist/types', { recursive: true });
