import { readCookie } from '../cookie';
import type { Store } from '../deliver/storage';
import { uuid } from './uuid';

const YEAR_S = 31536000;

/**
 * eSputnik's visitor id, `sc` (reference/esputnik.md: "you can create your own cookies", unique per visitor).
 * Its script's cookie when there is one; else one the tag creates once, in the same shape and under the same
 * name, so that eSputnik's script, if it comes later, carries on with it. Also kept in storage, for browsers
 * that refuse the cookie.
 */
export const visitorId = (doc: Document, store: Store): string => {
  try {
    const cookie = readCookie(doc.cookie, 'sc');
    if (cookie) return cookie;
  } catch {
    // A sandboxed frame without cookies, or a malformed one: the stored id serves.
  }
  const sc = store.get<string>('sc') || uuid().toUpperCase();
  store.set('sc', sc);
  try {
    doc.cookie = `sc=${sc}; max-age=${YEAR_S}; path=/; SameSite=Lax`;
  } catch {
    // Kept in storage only.
  }
  return sc;
};
