// eSputnik's authorization, as its API checks it: HTTP Basic with the account's API key as the password (any user
// name). Shared by its routes the relay calls.

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('./index.mjs').RouteOptions} options
 * @returns {string | null} why the request is refused with 401, or null
 */
export function authorizeEsputnik(req, { esputnikApiKey }) {
  const header = req.headers.authorization;
  if (header === undefined) return 'authorization: missing (expected Basic with the API key as password)';
  const [scheme, credentials = ''] = header.trim().split(/\s+/, 2);
  // Never echo the credentials: a record may be printed.
  if (scheme.toLowerCase() !== 'basic') return `authorization: expected Basic, got ${JSON.stringify(scheme)}`;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'authorization: expected base64 of user:password';
  return decoded.slice(colon + 1) === esputnikApiKey ? null : 'authorization: wrong API key';
}
