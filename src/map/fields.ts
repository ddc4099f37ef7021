/** Copies onto `into` the fields `names` lists that `from` has, in that order: wire bodies leave absent fields out. */
export const withDefined = <T>(into: Record<string, unknown>, from: T, names: Array<keyof T>): Record<string, unknown> => {
  for (const name of names) if (from[name] !== undefined) into[name as string] = from[name];
  return into;
};

/** eSputnik's string amounts: in cents, so that no amount is written in exponent notation ("1e-7"). */
export const money = (amount: number | undefined): string => '' + Math.round((amount || 0) * 100) / 100;

/**
 * JSON.stringify that writes arrays as arrays where a page's library gave them a `toJSON` (Prototype.js 1.6
 * turns every array into a string of JSON): the wire bodies and the stored letters stay what they are.
 */
export const json = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, found) {
    return Array.isArray(this[key]) ? this[key] : found;
  });
