/** Copies onto `into` the fields `names` lists that `from` has, in that order: wire bodies leave absent fields out. */
export const withDefined = <T>(into: Record<string, unknown>, from: T, names: Array<keyof T>): Record<string, unknown> => {
  for (const name of names) if (from[name] !== undefined) into[name as string] = from[name];
  return into;
};

/** eSputnik's string amounts: in cents, so that no amount is written in exponent notation ("1e-7"). */
export const money = (amount: number | undefined): string => '' + Math.round((amount || 0) * 100) / 100;
