// Finds and launches the Chromium the browser tests drive. playwright-core
// ships no browser, so we use whatever the machine has, in a fixed order.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

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

/**
 * CHROME_PATH if set, else Debian's chromium, else @sparticuz/chromium when
 * installed (the .ci/run fallback when apt is unreachable).
 * @returns {Promise<string>} an executable path
 */
export async function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const sparticuz = await importSparticuz();
  if (sparticuz) return sparticuz.default.executablePath();
  throw new Error([
    'No Chromium found. Any one of these works:',
    '  apt-get install -y chromium              (Debian/Ubuntu, gives /usr/bin/chromium)',
    '  CHROME_PATH=/path/to/chrome npm test      (any Chromium or Chrome binary)',
    '  npm install --no-save @sparticuz/chromium (self-contained, what .ci/run falls back to)',
  ].join('\n'));
}

/**
 * @param {{bfcache?: boolean}} [options] bfcache: keep the back/forward cache, which Playwright turns off by default
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser({ bfcache = false } = {}) {
  return chromium.launch({
    executablePath: await findChromium(),
    headless: true,
    args: ARGS,
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [],
  });
}

/**
 * An optional dependency: absent is normal, anything else is a real error.
 * @returns {Promise<{default: {executablePath(): Promise<string>}} | null>}
 */
async function importSparticuz() {
  const name = '@sparticuz/chromium'; // a variable, so type checking does not demand the package
  try {
    return await import(name);
  } catch (error) {
    if (/** @type {{code?: string}} */ (error).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}
