/**
 * Which pages may post, and the headers that let them read the answer. The Origin header is the relay's only
 * proof that a request comes from the store's own pages (a browser always sends it on a POST and a page cannot
 * forge it); a form on another site could otherwise post text/plain here without a preflight.
 */

/** Chrome caps a preflight's cache at two hours; asking for more buys nothing. */
const MAX_AGE_SECONDS = '7200';

/**
 * The configured origins in the form browsers send them (`new URL(…).origin`: lower-case host, no default port,
 * no trailing slash). Throws on anything that is not a bare http(s) origin, so a typo fails at start, not as
 * 403s in production.
 */
export const parseOrigins = (list: readonly string[]): Set<string> => {
  const origins = new Set<string>();
  for (const raw of list) {
    const entry = raw.trim();
    if (entry === '') continue;
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username) {
      throw new Error(`allowed origin "${entry}" is not an origin like https://shop.example (scheme and host, no path)`);
    }
    origins.add(url.origin);
  }
  if (origins.size === 0) throw new Error('no allowed origins: list the store\'s origins, e.g. https://shop.example');
  return origins;
};

/**
 * On every answer to an allowed origin, refusals included: the tag retries 429 and 5xx only if it can read them.
 * Retry-After is exposed so a page script may honour it.
 */
export const corsHeaders = (origin: string): Record<string, string> => ({
  'Access-Control-Allow-Origin': origin,
  'Access-Control-Expose-Headers': 'Retry-After',
  Vary: 'Origin',
});

/** The answer to a preflight: the tag's fetch posts JSON (Content-Type: application/json needs one). */
export const preflightHeaders = (origin: string): Record<string, string> => ({
  ...corsHeaders(origin),
  'Access-Control-Allow-Methods': 'POST',
  'Access-Control-Allow-Headers': 'Content-Type, Accept',
  'Access-Control-Max-Age': MAX_AGE_SECONDS,
});
