import { startCalltouch } from './calltouch';
import type { StartDestination } from './destination';
import { startEsputnik } from './esputnik';

/**
 * The destinations of this build, by the `wait` their letters carry: Calltouch's wait for its session,
 * eSputnik's for a contact. Stored letters keep these names from one version to the next. The Calltouch-only
 * build (dist/ecomtag.calltouch.js) swaps this file for destinations.calltouch.ts.
 */
export const DESTINATIONS: Record<string, StartDestination> = { session: startCalltouch, contact: startEsputnik };
