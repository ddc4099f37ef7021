// Stand-in for eSputnik's Generate event v2, https://esputnik.com/api/v2/event
// (reference/esputnik.md §2): what the relay forwards to. Like the real one it
// wants HTTP Basic auth with the account's API key as the password (any user
// name), takes at most 20 KB, and files what it takes under the contacts and
// orders it keeps (esputnik-state.mjs): answered 200, recorded or ignored.
import { classifyEsputnikEvent, validateEsputnikEvent } from '../esputnik-schema.mjs';
import { authorizeEsputnik } from './esputnik-auth.mjs';

/** eSputnik's "max body 20 KB", read as KiB: 20 480 bytes pass, 20 481 do not. */
export const ESPUTNIK_EVENT_LIMIT = 20 * 1024;

/** @type {import('./index.mjs').Route} */
export const esputnikEvent = {
  path: '/esputnik/api/v2/event',
  service: 'esputnik-event',
  validate: validateEsputnikEvent,
  classify: classifyEsputnikEvent,
  limit: ESPUTNIK_EVENT_LIMIT,
  authorize: authorizeEsputnik,
  take: (body, esputnik) => esputnik.takeEvent(/** @type {{eventTypeKey: string, keyValue: string}} */ (body)),
};
