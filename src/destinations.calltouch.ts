import { startCalltouch } from './calltouch';
import type { StartDestination } from './destination';

/**
 * eSputnik where this build has none: an account that asks for it is said so once, in one console line, and
 * sends the rest as configured; a letter a full build left waiting for an eSputnik contact is dropped.
 */
const withoutEsputnik: StartDestination = (_win, { accounts }) => {
  const asking = accounts.findIndex((account) => account.read('esputnik', false, (value) => value !== false));
  if (asking >= 0) console.error(`ecomtag: ecomtag.calltouch.js sends nothing to eSputnik (accounts[${asking}].esputnik): ecomtag.js does`);
  return { receive: () => undefined, identify: () => undefined, bodyOf: () => false };
};

/**
 * The destinations of the Calltouch-only build (dist/ecomtag.calltouch.js), which build.mjs puts in place of
 * destinations.ts: Calltouch, and eSputnik's `contact` letters answered as above.
 */
export const DESTINATIONS: Record<string, StartDestination> = { session: startCalltouch, contact: withoutEsputnik };
