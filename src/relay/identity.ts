/**
 * Signed identities (SPEC §6): the store's server vouches for the contact a page's events name.
 *
 *   identity = base64url(JSON.stringify({sub, exp})) + "." + base64url(HMAC-SHA256(secret, <the first part>))
 *
 * `sub` is `email:<trimmed lower-case email>`, `phone:<digits>` or `ext:<externalCustomerId>`; `exp` is in seconds
 * since the epoch. The payload may also carry the contact's other channels, `email` and `phone` in the same forms
 * (an addition to SPEC §6's `{sub, exp}`): signed too, they let the relay add a shopper eSputnik does not know yet
 * whose events name an externalCustomerId, which eSputnik cannot add without a channel. WebCrypto only
 * (crypto.subtle), so the same code verifies on Node and on edge hosts; verify() compares the signature in constant
 * time.
 */
import { normalContact, parseSubject, subjectOf, subjectText, type Channels, type Subject } from './events/contact';
import type { SignIdentity } from './types';

/** A secret shorter than this is guessable offline from one signed identity: refused at start. */
export const MIN_SECRET_LENGTH = 32;
/** Longer than any identity a store makes (a 300-character externalCustomerId gives about 500). */
const MAX_IDENTITY_LENGTH = 1024;
/** base64url of 32 bytes, unpadded. */
const SIGNATURE_LENGTH = 43;

/** `channels`: what the identity vouches for beyond `subject`, to add the contact with. */
export type Verdict = { ok: true; subject: Subject; channels: Channels } | { ok: false; reason: string };

const encoder = new TextEncoder();

const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64url = (text: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

export const checkSecret = (secret: unknown, name: string): string => {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of openssl rand -hex 32)`);
  }
  return secret;
};

const hmacKey = (secret: string) =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

/**
 * The verifier for one secret. Every refusal is one reason naming the rule it broke, never a value.
 * `nowSeconds` is the wall clock, in seconds since the epoch.
 */
export const createVerifier = (secret: string) => {
  const key = hmacKey(checkSecret(secret, 'identitySecret'));
  return async (identity: unknown, nowSeconds: number): Promise<Verdict> => {
    if (typeof identity !== 'string' || identity.length > MAX_IDENTITY_LENGTH) return { ok: false, reason: 'identity is malformed' };
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(identity);
    if (!match || match[2].length !== SIGNATURE_LENGTH) return { ok: false, reason: 'identity is malformed' };
    const [, head, signature] = match;
    let payload: unknown;
    try {
      if (!(await crypto.subtle.verify('HMAC', await key, fromBase64url(signature), encoder.encode(head)))) {
        return { ok: false, reason: 'identity signature is wrong' };
      }
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(head)));
    } catch {
      return { ok: false, reason: 'identity is malformed' };
    }
    if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'identity is malformed' };
    const { sub, exp, email, phone } = payload as { sub?: unknown; exp?: unknown; email?: unknown; phone?: unknown };
    const subject = typeof sub === 'string' ? parseSubject(sub) : null;
    const channels: Channels = {};
    for (const [kind, given] of [['email', email], ['phone', phone]] as const) {
      if (given === undefined) continue;
      // Signed by the store's server in the form signIdentity writes; anything else is not what it signed.
      if (typeof given !== 'string' || normalContact(kind, given) !== given) return { ok: false, reason: 'identity is malformed' };
      channels[kind] = given;
    }
    if (!subject || !Number.isSafeInteger(exp)) return { ok: false, reason: 'identity is malformed' };
    if ((exp as number) <= nowSeconds) return { ok: false, reason: 'identity has expired' };
    return { ok: true, subject, channels };
  };
};

/**
 * The identity for a contact, valid `ttlSeconds` from now. `sub` is picked as the tag picks keyValue
 * (externalCustomerId → email → phone), so what a store signs for `ct('set_contact', …)` always matches what the
 * tag sends; the contact's email and phone beyond `sub` are signed with it, so that the relay can add the contact.
 * Rejects (asynchronously) a contact with none of the three, or one whose values are no contact eSputnik matches.
 */
export const signIdentity: SignIdentity = async (contact, secret, ttlSeconds) => {
  checkSecret(secret, 'secret');
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) throw new Error('ttlSeconds must be a whole number of seconds, at least 1');
  const subject = subjectOf(contact);
  if (!subject) throw new Error('the contact needs an externalCustomerId, an email or a phone eSputnik can match');
  const payload: Record<string, unknown> = { sub: subjectText(subject), exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  for (const kind of ['email', 'phone'] as const) {
    const given = contact[kind];
    if (kind === subject.kind || given === undefined || given === null || given === '') continue;
    const value = normalContact(kind, given);
    if (value === null) throw new Error(`the contact's ${kind} is not one eSputnik can match`);
    payload[kind] = value;
  }
  const head = base64url(encoder.encode(JSON.stringify(payload)));
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(head)));
  return `${head}.${base64url(signature)}`;
};
