/**
 * JSON.stringify that writes arrays as arrays where a page's library gave them a `toJSON` (Prototype.js 1.6
 * turns every array into a string of JSON): the wire bodies and the stored letters stay what they are. The
 * replacer costs a call per key, so only such pages pay it.
 */
export const json = (value: unknown): string =>
  ([] as unknown as { toJSON?: unknown }).toJSON
    ? JSON.stringify(value, function (this: Record<string, unknown>, key, found) {
        return Array.isArray(this[key]) ? this[key] : found;
      })
    : JSON.stringify(value);
