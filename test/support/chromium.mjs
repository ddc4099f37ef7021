// Finds and launches the Chromium the browser tests, the demo test and the benchmark drive. playwright-core
// ships no browser and its own download cannot work on our machines, so we use, in this order:
//   1. CHROME_PATH, when set (it must name a file: a typo is an error, not a silent fallback);
//   2. /usr/bin/chromium, Debian's package;
//   3. the Chromium inside the npm package @sparticuz/chromium, a pinned devDependency, so `npm ci` alone gives
//      every machine a browser. ECOMTAG_CHROMIUM=npm picks it even where 1 or 2 exist (what .ci/run does for
//      one browser file, so a green CI proves the fresh-machine path).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const NPM_CHROMIUM = '@sparticuz/chromium';

// Headless in a container as root: no sandbox, no GPU. The rest keep the
// browser from making its own network requests (updates, sync, field
// trials) and from using QUIC, so the collector sees only the page's traffic.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Printed whenever no browser can be had: the three ways to get one. */
export const NO_CHROMIUM_HELP = [
  'The browser tests need a Chromium. Any one of these works:',
  '  npm ci                                      (installs @sparticuz/chromium, a Chromium from the npm registry)',
  '  apt-get install -y chromium                 (Debian/Ubuntu, gives /usr/bin/chromium)',
  '  CHROME_PATH=/path/to/chromium npm test      (any Chromium or Chrome binary)',
].join('\n');

/**
 * @typedef {{executablePath: string, env?: Record<string, string>, source: string}} FoundChromium
 * `env`: what the browser needs beyond this process's environment (the npm Chromium's own libraries and fonts).
 */

/** @returns {Promise<FoundChromium>} */
export async function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (process.env.ECOMTAG_CHROMIUM === 'npm') return npmChromium();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} names no file.\n${NO_CHROMIUM_HELP}`);
    return { executablePath: fromEnv, source: 'CHROME_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: DEBIAN_CHROMIUM };
  return npmChromium();
}

/**
 * @param {{bfcache?: boolean}} [options] bfcache: keep the back/forward cache, which Playwright turns off by default
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser({ bfcache = false } = {}) {
  const found = await findChromium();
  return chromium.launch({
    executablePath: found.executablePath,
    env: found.env ? { ...process.env, ...found.env } : undefined,
    headless: true,
    args: ARGS,
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [],
  });
}

/**
 * The npm package's Chromium, unpacked once into this repository's node_modules/.cache (never the shared /tmp the
 * package uses by default, where another program's files may live). The package ships brotli archives: the
 * browser, its fonts, and the NSS libraries (built for Amazon Linux, which run on any glibc Linux), so it starts
 * on a bare Debian machine with nothing from apt. Each archive is unpacked into a folder of its own made by
 * mkdtemp, then renamed into place, so two processes unpacking at once never see half a browser.
 * @returns {Promise<FoundChromium>}
 */
async function npmChromium() {
  /** @type {{default: {executablePath(input?: string): Promise<string>}}} */
  let chromiumPackage;
  try {
    chromiumPackage = await import(NPM_CHROMIUM);
  } catch (error) {
    throw new Error(`${NPM_CHROMIUM} could not be loaded (${/** @type {Error} */ (error).message}).\n${NO_CHROMIUM_HELP}`);
  }
  const folder = packageFolder(createRequire(import.meta.url).resolve(NPM_CHROMIUM));
  const archives = join(folder, 'bin');
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const home = join(root, 'node_modules', '.cache', 'ecomtag-chromium', version);
  if (!existsSync(join(home, 'chromium'))) {
    await unpack(home, async (staging) => {
      await chromiumPackage.default.executablePath(archives);
      // The package's own fonts.conf names /tmp/fonts; this one names where its fonts are now. Its Chromium
      // cannot fall back to another font for a character (it aborts), so the machine's fonts are listed too.
      const fonts = [join(home, 'fonts'), '/usr/share/fonts', '/usr/local/share/fonts'].map((dir) => `  <dir>${dir}</dir>\n`).join('');
      await writeFile(join(staging, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig>\n${fonts}  <cachedir>${join(home, 'fonts-cache')}</cachedir>\n</fontconfig>\n`);
    });
  }
  return {
    executablePath: join(home, 'chromium'),
    env: { LD_LIBRARY_PATH: [join(home, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_FILE: join(home, 'fonts.conf') },
    source: `${NPM_CHROMIUM} ${version}`,
  };
}

/**
 * The npm Chromium's own folder, above its entry file (the package exports no package.json to resolve).
 * @param {string} entry
 */
function packageFolder(entry) {
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === NPM_CHROMIUM) return folder;
  }
  throw new Error(`${NPM_CHROMIUM} has no package.json above ${entry}`);
}

/**
 * Runs `unpackAll` into a fresh folder, then moves that folder to `home`. The package unpacks into `os.tmpdir()`,
 * and its NSS libraries only where it believes it runs on Amazon Linux: both are told so through the environment
 * for the second or so this takes (this process's other temporary files go there meanwhile). The only folder
 * ever removed is the one mkdtemp made here: when unpacking failed, or another process finished first.
 * @param {string} home
 * @param {(staging: string) => Promise<unknown>} unpackAll
 */
async function unpack(home, unpackAll) {
  await mkdir(dirname(home), { recursive: true });
  const staging = await mkdtemp(`${home}.unpacking-`);
  const told = { TMPDIR: staging, AWS_LAMBDA_JS_RUNTIME: 'nodejs20.x' };
  const before = Object.fromEntries(Object.keys(told).map((name) => [name, process.env[name]]));
  Object.assign(process.env, told);
  try {
    await unpackAll(staging);
    await rename(staging, home);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(home, 'chromium'))) throw error;
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
