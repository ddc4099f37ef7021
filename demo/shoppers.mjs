// The store's server side of a shopper, as the README's Signed identities section asks of a store: the checkout
// form posts the contact here, the server signs an identity for it with the relay's secret (signIdentity, from the
// package) and renders both into the thank-you page it serves that browser: `ct('set_contact', {…, identity})`.
// The identity belongs to the browser that placed the order (an HttpOnly session cookie), never to whoever names
// an order id or an email: nothing here signs what a request merely asks for.
import { randomBytes } from 'node:crypto';
import { signIdentity } from 'ecomtag/relay';
import { readBody } from '../test/support/http.mjs';

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */
/** @typedef {{name: string, email: string, phone: string, identity: string}} Shopper  what set_contact is given */

const COOKIE = 'lavka_shopper';
/** As long as the tag may still send the visit's events: its outbox keeps a letter up to 7 days. */
const IDENTITY_TTL_SECONDS = 7 * 24 * 3600;
/** Shoppers remembered at once; the oldest session is forgotten first. */
const MAX_SESSIONS = 1000;
const FORM_LIMIT = 4096;
/** The HTML standard's valid e-mail address, as the relay checks it. */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
/** store.js's order ids: `LV-` and base 36. */
const ORDER_ID = /^LV-[0-9A-Z]{1,20}$/;

/**
 * @param {{secret: string, origin: () => string}} options  secret: RELAY_IDENTITY_SECRET, the relay's own;
 *   origin: the store's, the only one whose pages may post the checkout (a form on another site could otherwise
 *   swap this browser's shopper for its own)
 */
export function shoppers({ secret, origin }) {
  /** @type {Map<string, Shopper>} */
  const sessions = new Map();

  /**
   * `POST /checkout` (a site hook): the form's name, email, phone and the order's id; answered with a redirect to
   * the order's thank-you page and the session cookie. Other requests pass through.
   * @param {Request} req
   * @param {Response} res
   */
  const checkout = async (req, res) => {
    if (new URL(req.url ?? '/', 'http://store').pathname !== '/checkout' || req.method !== 'POST') return;
    const from = req.headers.origin;
    if (from !== undefined && from !== origin()) return refuse(res, 403, 'This form posts only from the store\'s own pages.');
    if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/x-www-form-urlencoded') {
      return refuse(res, 415, 'Expected a form.');
    }
    const text = await readBody(req, FORM_LIMIT);
    if (text === null) return refuse(res, 413, 'The form is too large.');
    const form = new URLSearchParams(text);
    const field = (/** @type {string} */ name) => (form.get(name) ?? '').trim();
    const [name, email, phone, order] = [field('name'), field('email').toLowerCase(), field('phone'), field('order')];
    const digits = phone.replace(/\D/g, '');
    if (!name || name.length > 100 || email.length > 254 || !EMAIL.test(email) || digits.length < 7 || digits.length > 15 || !ORDER_ID.test(order)) {
      return refuse(res, 400, 'Please give a name, an e-mail address and a phone number.');
    }
    const identity = await signIdentity({ email }, secret, IDENTITY_TTL_SECONDS);
    const token = randomBytes(18).toString('base64url');
    sessions.set(token, { name, email, phone: digits, identity });
    if (sessions.size > MAX_SESSIONS) sessions.delete(/** @type {string} */ (sessions.keys().next().value));
    res.writeHead(303, {
      Location: `/thanks?order=${encodeURIComponent(order)}`,
      'Set-Cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax`,
      'Cache-Control': 'no-store',
    });
    res.end();
  };

  /**
   * The shopper of this browser's session, if it placed an order here.
   * @param {Request} req
   * @returns {Shopper | undefined}
   */
  const of = (req) => {
    const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
    return cookie === undefined ? undefined : sessions.get(cookie.slice(COOKIE.length + 1));
  };

  return { checkout, of };
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {string} message
 */
function refuse(res, status, message) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(message);
}
