/**
 * The back office's Bearer token, compared in constant time: the token given is signed with a key made at start and
 * its signature checked against the expected token's (WebCrypto's verify compares in constant time, and hashing
 * first hides the length too), so how long a wrong token takes to refuse says nothing about the right one.
 */
import { checkSecret } from '../identity';

/** Longer than any token a store makes; a longer header is refused without being signed. */
const MAX_TOKEN_LENGTH = 512;

const encoder = new TextEncoder();

export type TokenVerdict = 'ok' | 'missing' | 'wrong';

export const createTokenCheck = (token: string): ((authorization: string | null) => Promise<TokenVerdict>) => {
  checkSecret(token, 'backOffice.token');
  const key = crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']) as Promise<CryptoKey>;
  const expected = key.then((made) => crypto.subtle.sign('HMAC', made, encoder.encode(token)));
  return async (authorization) => {
    const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!given) return 'missing';
    if (given[1].length > MAX_TOKEN_LENGTH) return 'wrong';
    return (await crypto.subtle.verify('HMAC', await key, await expected, encoder.encode(given[1]))) ? 'ok' : 'wrong';
  };
};
