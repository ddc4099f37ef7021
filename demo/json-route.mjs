// A JSON POST route of the demo's server, as its back-office pages call it: POST only, `application/json` only (a page
// of another origin cannot send that without a preflight, which the demo does not answer), a bounded body, a JSON
// object; anything else is answered here, so each page's handler starts from an object.
import { mediaType, readBody, sendJson } from '../test/support/http.mjs';

/** @typedef {import('../test/support/site.mjs').Site} Site */

/**
 * @param {Site} site
 * @param {string} path
 * @param {number} limit  bytes
 * @param {(body: Record<string, unknown>, res: import('node:http').ServerResponse) => Promise<void> | void} handle
 */
export function jsonRoute(site, path, limit, handle) {
  site.onRequest(async (req, res) => {
    if (new URL(req.url ?? '/', 'http://demo').pathname !== path) return;
    if (req.method !== 'POST') return sendJson(res, 405, { errors: ['POST only'] }, { Allow: 'POST' });
    if (mediaType(req.headers['content-type']) !== 'application/json') return sendJson(res, 415, { errors: ['expected application/json'] });
    const text = await readBody(req, limit);
    if (text === null) return sendJson(res, 400, { errors: [`the request is larger than ${limit} bytes`] });
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(res, 400, { errors: ['the request is not JSON'] });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendJson(res, 400, { errors: ['the request must be a JSON object'] });
    await handle(/** @type {Record<string, unknown>} */ (body), res);
  });
}
