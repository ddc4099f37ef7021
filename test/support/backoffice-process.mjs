// The back office as a store runs it: the relay process (relay-process.mjs) with RELAY_BACKOFFICE_TOKEN and the
// Calltouch account set, in front of the collector's stand-in eSputnik and Calltouch; and the built `ecomtag-order`
// (dist/backoffice.mjs) as `npx ecomtag-order` runs, to its exit. `node build.mjs` must have run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { calltouch } from './routes/calltouch.mjs';

export const ORDER_SCRIPT = fileURLToPath(new URL('../../dist/backoffice.mjs', import.meta.url));
/** A token as a store makes one (`openssl rand -hex 32`). */
export const BACKOFFICE_TOKEN = 'c0ffee5b1c0e7f9a2d4c6b8e0f1a3c5d7e9f0b2c4d6e8f0a1b3c5d7e9f1a2b3c';
/** The Calltouch account the back office's refunds and offline purchases name (seed 000's example site). */
export const CALLTOUCH_SITE_ID = 25775;

/** Output kept per stream at most. */
const OUTPUT_LIMIT = 1024 * 1024;

/**
 * The relay's environment for its back office against `collector` (its Calltouch route).
 * @param {{url: string}} collector
 * @returns {Record<string, string>}
 */
export function backOfficeEnv(collector) {
  return { RELAY_BACKOFFICE_TOKEN: BACKOFFICE_TOKEN, RELAY_CALLTOUCH_SITE_ID: String(CALLTOUCH_SITE_ID), CALLTOUCH_URL: collector.url + calltouch.path };
}

/**
 * Runs `ecomtag-order` with `args` and `env` added to the parent's environment, from which any ECOMTAG_ or RELAY_
 * variable of the machine is taken away first.
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [options]
 * @returns {Promise<{code: number | null, stdout: string, stderr: string}>}
 */
export function runOrder(args, { env = {}, timeoutMs = 60_000 } = {}) {
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(ECOMTAG|RELAY)_/.test(name)) clean[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ORDER_SCRIPT, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(0, OUTPUT_LIMIT)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(0, OUTPUT_LIMIT)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ecomtag-order was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
