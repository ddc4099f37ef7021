// The back office as a store runs it: the relay process (relay-process.mjs) with RELAY_BACKOFFICE_TOKEN and the
// Calltouch account set, in front of the collector's stand-in eSputnik and Calltouch; and the built `ecomtag-order`
// (dist/backoffice.mjs) as `npx ecomtag-order` runs, to its exit. `node build.mjs` must have run.
import { fileURLToPath } from 'node:url';
import { runNodeScript } from './node-script.mjs';
import { calltouch } from './routes/calltouch.mjs';

export const ORDER_SCRIPT = fileURLToPath(new URL('../../dist/backoffice.mjs', import.meta.url));
/** A token as a store makes one (`openssl rand -hex 32`). */
export const BACKOFFICE_TOKEN = 'c0ffee5b1c0e7f9a2d4c6b8e0f1a3c5d7e9f0b2c4d6e8f0a1b3c5d7e9f1a2b3c';
/** The Calltouch account the back office's refunds and offline purchases name (seed 000's example site). */
export const CALLTOUCH_SITE_ID = 25775;

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
 */
export function runOrder(args, { env = {}, timeoutMs = 60_000 } = {}) {
  return runNodeScript(ORDER_SCRIPT, args, { env, timeoutMs, drop: /^(ECOMTAG|RELAY)_/ });
}
