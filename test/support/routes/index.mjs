// The collector's route table: one sibling module per service endpoint.
// Adding a service (eSputnik's tracker, the relay) means adding a module and
// listing it here; the collector itself does not change.
import { calltouch } from './calltouch.mjs';
import { esputnikContact } from './esputnik-contact.mjs';
import { esputnikEvent } from './esputnik-event.mjs';
import { esputnikTracker } from './esputnik-tracker.mjs';

/**
 * What the collector was started with that a route may need: the secrets a
 * real service would hold.
 * @typedef {object} RouteOptions
 * @property {string} esputnikApiKey  the password Generate event's Basic auth demands
 */

/**
 * @typedef {object} Route
 * @property {string} path        where the collector serves it
 * @property {string} service     the name records carry
 * @property {(body: unknown) => string[]} validate  errors; empty = valid
 * @property {(body: unknown) => string} classify   the body's kind, e.g. 'site'
 * @property {number} [limit]     body limit in bytes (413 above it); the collector's default when absent
 * @property {(req: import('node:http').IncomingMessage, options: RouteOptions) => string | null} [authorize]
 *   why the request is refused with 401 (recorded, the body unparsed), or null to let it through;
 *   absent = no authorization, like a public tracking endpoint
 * @property {(body: unknown, esputnik: import('../esputnik-state.mjs').EsputnikState) => import('../esputnik-state.mjs').Verdict} [take]
 *   what a service that keeps state does with a valid body it answers 200 (recorded or ignored); absent = it keeps
 *   every valid body
 */

/** @type {Map<string, Route>} */
export const routes = new Map([calltouch, esputnikTracker, esputnikEvent, esputnikContact].map((route) => [route.path, route]));
