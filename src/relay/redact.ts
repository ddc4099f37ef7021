/**
 * Secrets out of text that came from elsewhere (eSputnik's answers, error messages) before it is logged. A secret
 * is found in any form it could come back in: as it is, URL-encoded (every character, or some), inside base64 (of
 * `user:key` in an Authorization header echoed, or of the key at any byte offset, standard or URL-safe), and broken
 * across lines or by JSON's `\n` between any two characters.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Between two characters of a secret: whitespace, or JSON's escaped line breaks, any number of them. */
const BREAK = '(?:\\s|\\\\[rnt])*';

/** One character as it is, or percent-encoded (its UTF-8 bytes, any case). */
const character = (char: string): string => {
  const bytes = [...new TextEncoder().encode(char)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  return `(?:${escape(char)}|${bytes.replace(/[0-9a-f]/g, (digit) => (/\d/.test(digit) ? digit : `[${digit}${digit.toUpperCase()}]`))})`;
};

const base64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/**
 * The base64 characters that depend on `secret` alone, whatever bytes surround it: one run for each of the three
 * offsets a secret can start at within base64's 3-byte groups.
 */
const base64Cores = (secret: Uint8Array): string[] =>
  [0, 1, 2].map((offset) => {
    const padded = new Uint8Array(offset + secret.length);
    padded.set(secret, offset);
    const encoded = base64(padded);
    // Character i covers bits 6i..6i+5; it depends on the secret alone when they all fall in the secret's bytes.
    return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + secret.length)) / 6));
  });

/** The forms one secret can take in text, as regular-expression sources. */
const forms = (secret: string): string[] => {
  const plain = [...secret].map(character).join(BREAK);
  const encoded = base64Cores(new TextEncoder().encode(secret))
    .filter((core) => core.length >= 8)
    .flatMap((core) => [core, core.replace(/\+/g, '-').replace(/\//g, '_')])
    .map((core) => [...core].map(character).join(BREAK));
  return [plain, ...encoded];
};

/**
 * A function that replaces every form of every secret in a text with `[redacted]`. Secrets shorter than 8 characters
 * are taken as they are only: their base64 runs would match ordinary text.
 */
export const createRedactor = (secrets: readonly string[]): ((text: string) => string) => {
  const sources = secrets.filter((secret) => secret.length > 0).flatMap(forms);
  if (sources.length === 0) return (text) => text;
  // Longest first, so a form that contains another is replaced whole.
  const pattern = new RegExp(sources.sort((a, b) => b.length - a.length).join('|'), 'g');
  return (text) => text.replace(pattern, '[redacted]');
};
