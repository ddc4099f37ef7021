// Runs the built `ecomtag-reconcile` (dist/reconcile.mjs) as a store runs `npx ecomtag-reconcile`: a child process
// with its arguments and environment, to its exit. Used by the reconcile tests and the demo. `node build.mjs` must
// have run.
import { fileURLToPath } from 'node:url';
import { runNodeScript } from './node-script.mjs';

export const RECONCILE_SCRIPT = fileURLToPath(new URL('../../dist/reconcile.mjs', import.meta.url));

/** @typedef {import('./node-script.mjs').ScriptRun} ReconcileRun */

/**
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [options]
 *   env: added to the parent's environment, from which any CALLTOUCH_ variable of the machine is taken away first
 * @returns {Promise<ReconcileRun>}
 */
export function runReconcile(args, { env = {}, timeoutMs = 60_000 } = {}) {
  return runNodeScript(RECONCILE_SCRIPT, args, { env, timeoutMs, drop: /^CALLTOUCH_/ });
}
