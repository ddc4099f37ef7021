// The CORS policy of the collector, modelled on a public tracking endpoint:
// any origin may POST, without credentials, with the few headers the
// services' own scripts send. A header outside this list fails the browser's
// preflight, exactly as it would against the real service.

const ALLOWED_HEADERS = 'Content-Type, Accept, Cache-Control';
const MAX_AGE_SECONDS = '600';

/**
 * Headers for every actual response. Echoing the Origin (rather than `*`)
 * matches what such services do; Vary keeps caches honest about it.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Record<string, string>}
 */
export function corsHeaders(req) {
  return { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', Vary: 'Origin' };
}

/**
 * Headers for the answer to an OPTIONS preflight.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Record<string, string>}
 */
export function preflightHeaders(req) {
  return {
    ...corsHeaders(req),
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': MAX_AGE_SECONDS,
  };
}
