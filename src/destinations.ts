import { startCalltouch } from './calltouch';
import type { StartDestination } from './destination';
import { startEsputnik } from './esputnik';

/**
 * The destinations of this build, by the `wait` their letters carry: Calltouch's wait for its session,
 * eSputnik's for a contact. Stored letters keep these names from one version to the next. A build for one vendor
 * lists that vendor alone (issue 17: dist/ecomtag.calltouch.js swaps this file).
 */
export const DESTINATIONS: Record<string, StartDestination> = { session: startCalltouch, contact: startEsputnik };
