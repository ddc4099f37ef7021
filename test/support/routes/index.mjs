// The collector's route table: one sibling module per service endpoint.
// Adding a service (eSputnik's tracker, the relay) means adding a module and
// listing it here; the collector itself does not change.
import { calltouch } from './calltouch.mjs';

/**
 * @typedef {object} Route
 * @property {string} path        where the collector serves it
 * @property {string} service     the name records carry
 * @property {(body: unknown) => string[]} validate  errors; empty = valid
 * @property {(body: unknown) => string} classify   the body's kind, e.g. 'site'
 */

/** @type {Map<string, Route>} */
export const routes = new Map([calltouch].map((route) => [route.path, route]));
