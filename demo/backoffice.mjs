// The demo store's server side of its Back office page (/admin): the page says what happened to an order of this
// browser (delivered, cancelled, a unit or all of it given back), and the server — which, as a store's does, knows its
// catalog and holds the relay's RELAY_BACKOFFICE_TOKEN — posts the change to the relay's back office with the real
// client (dist/backoffice.mjs), and answers what the relay said per destination. The browser never sees the token.
//
//   POST /admin/orders  {id, at, status, lines: [{id, quantity}], returned?: [{id, quantity}], contact}
//                        → {sent: the back-office order as posted, result: {ok, orders}}
import { createBackoffice } from '../dist/backoffice.mjs';
import { sendJson } from '../test/support/http.mjs';
import { productById } from './catalog.mjs';
import { jsonRoute } from './json-route.mjs';

/** @typedef {import('../test/support/site.mjs').Site} Site */
/** @typedef {import('../src/backoffice/types').BackofficeOrder} BackofficeOrder */
/** @typedef {import('../src/backoffice/types').BackofficeStatus} BackofficeStatus */
/** @typedef {{id: string, quantity: number}} Line */

const BODY_LIMIT = 16 * 1024;
const STATUSES = ['in_progress', 'delivered', 'cancelled', 'refunded', 'updated'];
/** The store's clock, as its tag writes order dates (the tag's default `timeZone`). */
const STORE_TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Serves POST /admin/orders on `site`, posting to the relay at `relayUrl` with `token`.
 * @param {{site: Site, relayUrl: string, token: string}} options
 */
export function serveBackOffice({ site, relayUrl, token }) {
  // No retries here: the page shows a `retry` as it is, and the shopper's operator presses the button again.
  const backoffice = createBackoffice({ url: relayUrl, token, retries: 0 });
  jsonRoute(site, '/admin/orders', BODY_LIMIT, async (body, res) => {
    const change = parse(body);
    if (typeof change === 'string') return sendJson(res, 400, { errors: [change] });
    const sent = backOfficeOrder(change, site.url);
    try {
      sendJson(res, 200, { sent, result: await backoffice.orderStatus(sent) });
    } catch (error) {
      sendJson(res, 502, { sent, errors: /** @type {{problems?: string[]}} */ (error).problems ?? [String(error)] });
    }
  });
}

/**
 * The order as the store's server would post it: its lines as they now stand, from the catalog, with their pages and
 * pictures; the lines given back; the contact; the date in the store's time.
 * @param {{id: string, at: number, status: BackofficeStatus, lines: Line[], returned?: Line[], contact: Record<string, string>}} change
 * @param {string} origin the store's, for the products' links
 * @returns {BackofficeOrder}
 */
function backOfficeOrder(change, origin) {
  const products = change.lines.filter((line) => line.quantity > 0).map((line) => {
    const product = /** @type {import('./catalog.mjs').Product} */ (productById(line.id));
    return { id: product.id, name: product.name, price: product.price, quantity: line.quantity, url: `${origin}/product/${product.id}`, imageUrl: `${origin}/art/${product.id}.svg` };
  });
  return {
    id: change.id,
    status: change.status,
    date: STORE_TIME.format(new Date(change.at)),
    contact: { email: change.contact.email, phone: change.contact.phone, name: change.contact.name },
    ...(products.length > 0 ? { products } : {}),
    ...(change.returned ? { refund: { products: change.returned } } : {}),
  };
}

/** @param {unknown} lines */
const isLines = (lines) =>
  Array.isArray(lines) && lines.length <= 50 && lines.every((line) => typeof line === 'object' && line !== null && productById(line.id) && Number.isInteger(line.quantity) && line.quantity >= 0 && line.quantity <= 99);

/**
 * The page's request, checked, or why it is refused.
 * @param {Record<string, unknown>} value
 */
function parse(value) {
  const { id, at, status, lines, returned, contact } = value;
  if (typeof id !== 'string' || !/^[\w-]{1,40}$/.test(id)) return 'id must be an order id of this demo';
  if (typeof at !== 'number' || !Number.isFinite(at)) return 'at must be the order’s time in milliseconds';
  if (typeof status !== 'string' || !STATUSES.includes(status)) return `status must be one of ${STATUSES.join(', ')}`;
  if (!isLines(lines) || (returned !== undefined && !isLines(returned))) return 'lines (and returned) must be [{id, quantity}] of the catalog';
  if (typeof contact !== 'object' || contact === null) return 'contact must be an object';
  const clipped = (/** @type {unknown} */ field) => (typeof field === 'string' ? field.slice(0, 200) : '');
  const given = /** @type {Record<string, unknown>} */ (contact);
  return {
    id,
    at,
    status: /** @type {BackofficeStatus} */ (status),
    lines: /** @type {Line[]} */ (lines),
    ...(returned === undefined ? {} : { returned: /** @type {Line[]} */ (returned) }),
    contact: { email: clipped(given.email), phone: clipped(given.phone), name: clipped(given.name) },
  };
}
