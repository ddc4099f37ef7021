// Signed identities for the relay's tests, made with node:crypto: an implementation apart from the relay's own
// (WebCrypto), so a test that passes shows two readings of the format agree (SPEC §6, "Signed identity").
import { createHmac } from 'node:crypto';

/** A secret as a store would generate one (`openssl rand -hex 32`). */
export const IDENTITY_SECRET = '5b1c0e7f9a2d4c6b8e0f1a3c5d7e9f0b2c4d6e8f0a1b3c5d7e9f1a2b3c4d5e6f';

/**
 * `base64url(JSON {sub, exp}) + "." + base64url(HMAC-SHA256(secret, first part))`.
 * @param {string} sub  `email:…`, `phone:…` or `ext:…`, as the relay compares it
 * @param {{exp?: number, secret?: string, payload?: unknown}} [options]  exp in epoch seconds (default an hour from
 *   now); payload replaces `{sub, exp}` for malformed-identity tests
 * @returns {string}
 */
export function identity(sub, { exp = Math.floor(Date.now() / 1000) + 3600, secret = IDENTITY_SECRET, payload } = {}) {
  const head = Buffer.from(JSON.stringify(payload ?? { sub, exp })).toString('base64url');
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/**
 * The `sub` of a contact as `set_contact` gives it: the tag's keyValue, its externalCustomerId, else its email
 * (trimmed, lower-case), else its phone (digits), which is what a store signs (README, Signed identities).
 * @param {{externalCustomerId?: string, email?: string, phone?: string}} contact
 * @returns {string}
 */
export function subjectOf({ externalCustomerId, email, phone }) {
  if (externalCustomerId) return `ext:${externalCustomerId}`;
  if (email) return `email:${email.trim().toLowerCase()}`;
  if (phone) return `phone:${phone.replace(/\D/g, '')}`;
  throw new Error('a contact needs an externalCustomerId, an email or a phone');
}
