// Builds dist/: the browser bundle, the loader stub, the ES module with its typings. `node build.mjs`.
import { build, transform } from 'esbuild';
import { minify } from 'terser';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLES, swapping } from './scripts/sizes.mjs';

// Every path is this repository's, whichever folder the build is started from: `dist/` is the only folder it
// empties, and the typings pass through folders mkdtemp makes for this run, removed by the path it returned.
const root = fileURLToPath(new URL('.', import.meta.url));
const dist = join(root, 'dist');
const fromRoot = (path) => join(root, path);
const tsc = (...args) => execFileSync(process.execPath, [fromRoot('node_modules/typescript/bin/tsc'), ...args], { stdio: 'inherit' });
/** Runs `emit(folder)` with a fresh temporary folder, then removes exactly that folder. */
const withTemporaryFolder = async (emit) => {
  const folder = await mkdtemp(join(tmpdir(), 'ecomtag-build-'));
  try {
    return await emit(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

const common = { absWorkingDir: root, bundle: true, target: 'es2017', legalComments: 'none', logLevel: 'warning' };

await rm(dist, { recursive: true, force: true });
await mkdir(dist);

/**
 * Members of the bundle's own objects, which nothing outside it reads, get one-letter names. Never listed: what
 * lives in storage or goes on the wire (renamed by a later build, it would no longer read back), what a store
 * writes in its configuration, and names the platform owns (add and has of a Set, push, keys, get, set, error,
 * flush, resolve…): esbuild renames a listed name on every object, the platform's too.
 */
const INTERNAL_MEMBERS = /^(accounts|batch|beacon|beat|bodyOf|calltouchGlobal|consent|dataLayer|delay|handle|hear|identify|leave|mine|note|post|read|receive|seenAt|unload)$/;
const builtIns = [Object, Array, Set, Map, WeakMap, Promise, String, Number, Date, JSON, Math, Function, Symbol, Error, URL];
const clash = builtIns.flatMap((type) => [...Object.getOwnPropertyNames(type), ...Object.getOwnPropertyNames(type.prototype || {})]).find((name) => INTERNAL_MEMBERS.test(name));
if (clash) throw new Error(`INTERNAL_MEMBERS lists ${clash}, which a built-in object owns`);

/**
 * The tags every shopper downloads (scripts/sizes.mjs lists them): each one minified IIFE, no imports. esbuild
 * bundles and renames the internal members (with its identifiers minified, it gives them the letters the code uses
 * most, which gzip codes shortest); terser then minifies, three passes, which gzips about 5% smaller than esbuild's
 * own minifier. `unsafe` options stay off: pages patch built-ins, and the tag must behave exactly as written.
 */
for (const [file, { swap }] of Object.entries(BUNDLES)) {
  const { outputFiles } = await build({ ...common, entryPoints: ['src/browser.ts'], format: 'iife', minifySyntax: true, minifyIdentifiers: true, mangleProps: INTERNAL_MEMBERS, write: false, plugins: [swapping(swap)] });
  const tag = await minify(outputFiles[0].text, { ecma: 2017, toplevel: true, compress: { passes: 3, unsafe_arrows: true }, format: { ascii_only: true } });
  await writeFile(join(dist, file), tag.code);
}

// The stub alone, as the bare function expression the README wraps: `(STUB)(window,document,NAME,CONFIG,URL)`.
const stubSource = await readFile(fromRoot('src/install/stub.ts'), 'utf8');
// Identifiers are kept: the source already names them w, d, n, c, u as the README shows.
const { code } = await transform(stubSource, { loader: 'ts', format: 'esm', minifyWhitespace: true, minifySyntax: true, target: 'es2017' });
const stub = /=(function\([\s\S]*\})\s*;\s*export\s*\{/.exec(code);
if (!stub) throw new Error(`could not cut the stub out of:\n${code}`);
await writeFile(join(dist, 'snippet.min.js'), stub[1]);

// For bundlers: ESM plus one self-contained typings file, which every module resolver reads alike.
await build({ ...common, entryPoints: ['src/index.ts'], outfile: join(dist, 'index.mjs'), format: 'esm' });
await withTemporaryFolder(async (types) => {
  tsc('-p', fromRoot('tsconfig.build.json'), '--outDir', types);
  const publicTypes = await readFile(join(types, 'types.d.ts'), 'utf8');
  const api = (await readFile(join(types, 'index.d.ts'), 'utf8')).replace(/^(import|export) type .* from '\.\/types';\n/gm, '');
  if (/ from '/.test(api)) throw new Error(`src/index.ts's declarations reach beyond src/types.ts:\n${api}`);
  await writeFile(join(dist, 'index.d.ts'), `${publicTypes}\n${api}`);
});

/** A Node 20 program of the package: one readable ES module, executable, run as `#!/usr/bin/env node`. */
const nodeProgram = async (entry, name) => {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(dist, name),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  await chmod(join(dist, name), 0o755);
};

/**
 * Its typings as one self-contained file: the declarations of `files` in src/`folder`, in that order, without
 * their imports of each other. Anything else they import means the public types reach too far.
 */
const nodeTypings = (folder, files, name) =>
  withTemporaryFolder(async (types) => {
    tsc('-p', fromRoot(`src/${folder}`), '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', types, '--rootDir', fromRoot('src'));
    const own = new RegExp(`^(import|export) (type )?\\{[^}]*\\} from '\\./(${files.join('|')})';\n`, 'gm');
    const parts = await Promise.all(files.map((file) => readFile(join(types, folder, `${file}.d.ts`), 'utf8')));
    const typings = parts.map((part) => part.replace(own, '')).join('\n');
    if (/ from '|import\(/.test(typings)) throw new Error(`src/${folder}'s public declarations reach beyond ${files.join(', ')}:\n${typings}`);
    await writeFile(join(dist, name), typings);
  });

// The eSputnik relay (SPEC §6): `npx ecomtag-relay` and `import { createRelay } from 'ecomtag/relay'`, whose node:
// imports are dynamic; its typings are src/relay/types.ts and the two declarations of src/relay/index.ts.
await nodeProgram('src/relay/index.ts', 'relay.mjs');
await nodeTypings('relay', ['types', 'index'], 'relay.d.ts');

// `ecomtag-reconcile` (SPEC §8): `npx ecomtag-reconcile` and `import { reconcile } from 'ecomtag/reconcile'`; its
// typings are src/reconcile/types.ts, errors.ts (ReconcileError) and the declarations of index.ts.
await nodeProgram('src/reconcile/index.ts', 'reconcile.mjs');
await nodeTypings('reconcile', ['types', 'errors', 'index'], 'reconcile.d.ts');

// The back office's client (SPEC §6): `npx ecomtag-order` and `import { createBackoffice } from 'ecomtag/backoffice'`;
// its typings are src/backoffice/types.ts, errors.ts (BackofficeError) and the declarations of index.ts.
await nodeProgram('src/backoffice/index.ts', 'backoffice.mjs');
await nodeTypings('backoffice', ['types', 'errors', 'index'], 'backoffice.d.ts');
