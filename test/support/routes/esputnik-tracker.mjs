// Stand-in for eSputnik's tracker API, https://tracker.esputnik.com/api/v2
// (reference/esputnik.md §1): no authorization, posted from the store's pages.
import { classifyEsputnikTracker, validateEsputnikTracker } from '../esputnik-schema.mjs';

/** @type {import('./index.mjs').Route} */
export const esputnikTracker = {
  path: '/esputnik/tracker',
  service: 'esputnik-tracker',
  validate: validateEsputnikTracker,
  classify: classifyEsputnikTracker,
};
