// The inspector's API, on the store's origin (so the inspector page can also read the tag's localStorage):
//   GET  /inspector/feed      Server-Sent Events: `reset` with everything so far and the settings, then `entry`
//                             per request as it arrives, `settings` when a switch changes, `reset` after a clear
//   GET  /inspector/state     the settings and the endpoints, as JSON
//   POST /inspector/settings  a partial settings object (see settings.mjs); answers the new state
//   POST /inspector/clear     forgets the recorded requests
// POSTs must be application/json: a page of another origin cannot send that without a preflight, which this
// API does not answer, so no other site can flip the switches.
import { mediaType, readBody, sendJson } from '../test/support/http.mjs';

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */
/** @typedef {import('./feed.mjs').Feed} Feed */
/** @typedef {import('./settings.mjs').Settings} Settings */

/**
 * @typedef {object} Demo  what the API reads and drives
 * @property {Feed} feed
 * @property {() => object} state  the settings with what does not change (endpoints, sessionWaitMs)
 * @property {(patch: unknown) => Promise<string[]>} update  applies a settings patch; errors when refused
 * @property {() => void} clear
 * @property {(listener: () => void) => () => void} onSettings  called after every change of the settings
 */

const BODY_LIMIT = 16 * 1024;

/**
 * A site hook (see test/support/site.mjs `onRequest`) serving the API; other paths pass through.
 * @param {Demo} demo
 * @returns {(req: Request, res: Response) => Promise<void>}
 */
export function inspectorApi(demo) {
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path === '/inspector/feed' && req.method === 'GET') return stream(demo, req, res);
    if (path === '/inspector/state' && req.method === 'GET') return sendJson(res, 200, demo.state());
    if (path !== '/inspector/settings' && path !== '/inspector/clear') return;
    if (req.method !== 'POST') return sendJson(res, 405, { errors: [`${req.method} not allowed on ${path}`] }, { Allow: 'POST' });
    if (mediaType(req.headers['content-type']) !== 'application/json') return sendJson(res, 415, { errors: ['expected application/json'] });
    const text = await readBody(req, BODY_LIMIT);
    if (path === '/inspector/clear') {
      demo.clear();
      return sendJson(res, 200, demo.state());
    }
    const errors = await demo.update(parseJson(text));
    sendJson(res, errors.length ? 400 : 200, errors.length ? { errors } : demo.state());
  };
}

/**
 * @param {Demo} demo
 * @param {Request} req
 * @param {Response} res
 */
function stream(demo, req, res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  /** @param {string} event @param {unknown} data */
  const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const reset = () => send('reset', { entries: demo.feed.entries, state: demo.state() });
  // A lost connection is retried by the browser a second later; the `reset` it gets then brings it up to date.
  res.write('retry: 1000\n\n');
  reset();
  const stops = [
    demo.feed.subscribe((change) => (change.type === 'entry' ? send('entry', change.entry) : reset())),
    demo.onSettings(() => send('settings', demo.state())),
  ];
  res.on('close', () => stops.forEach((stop) => stop()));
}

/** @param {string | null} text @returns {unknown} undefined when not JSON */
function parseJson(text) {
  try {
    return text === null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
