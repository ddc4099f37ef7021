// Stand-in for eSputnik's Generate event v2, https://esputnik.com/api/v2/event
// (reference/esputnik.md §2): what the relay forwards to. Like the real one it
// wants HTTP Basic auth with the account's API key as the password (any user
// name) and takes at most 20 KB.
import { classifyEsputnikEvent, validateEsputnikEvent } from '../esputnik-schema.mjs';

/** eSputnik's "max body 20 KB", read as KiB: 20 480 bytes pass, 20 481 do not. */
export const ESPUTNIK_EVENT_LIMIT = 20 * 1024;

/** @type {import('./index.mjs').Route} */
export const esputnikEvent = {
  path: '/esputnik/api/v2/event',
  service: 'esputnik-event',
  validate: validateEsputnikEvent,
  classify: classifyEsputnikEvent,
  limit: ESPUTNIK_EVENT_LIMIT,
  authorize: (req, { esputnikApiKey }) => {
    const header = req.headers.authorization;
    if (header === undefined) return 'authorization: missing (expected Basic with the API key as password)';
    const [scheme, credentials = ''] = header.trim().split(/\s+/, 2);
    // Never echo the credentials: a record may be printed.
    if (scheme.toLowerCase() !== 'basic') return `authorization: expected Basic, got ${JSON.stringify(scheme)}`;
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'authorization: expected base64 of user:password';
    return decoded.slice(colon + 1) === esputnikApiKey ? null : 'authorization: wrong API key';
  },
};
