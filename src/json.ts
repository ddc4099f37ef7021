/**
 * JSON.stringify that writes arrays as arrays where a page's library gave them a `toJSON` (Prototype.js 1.6
 * turns every array into a string of JSON): the wire bodies and the stored letters stay what they are.
 */
export const json = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, found) {
    return Array.isArray(this[key]) ? this[key] : found;
  });
