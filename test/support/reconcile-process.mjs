// Runs the built `ecomtag-reconcile` (dist/reconcile.mjs) as a store runs `npx ecomtag-reconcile`: a child process
// with its arguments and environment, to its exit. Used by the reconcile tests and the demo. `node build.mjs` must
// have run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const RECONCILE_SCRIPT = fileURLToPath(new URL('../../dist/reconcile.mjs', import.meta.url));

/** Output kept per stream at most: a run's report is far smaller. */
const OUTPUT_LIMIT = 4 * 1024 * 1024;

/**
 * @typedef {object} ReconcileRun
 * @property {number | null} code
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms  from spawn to exit
 */

/**
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [options]
 *   env: added to the parent's environment, from which any CALLTOUCH_ variable of the machine is taken away first
 * @returns {Promise<ReconcileRun>}
 */
export function runReconcile(args, { env = {}, timeoutMs = 60_000 } = {}) {
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('CALLTOUCH_')) clean[name] = value;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RECONCILE_SCRIPT, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(0, OUTPUT_LIMIT)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(0, OUTPUT_LIMIT)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ecomtag-reconcile was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
