/** Copies onto `into` the fields `names` lists that `from` has, in that order: wire bodies leave absent fields out. */
export const withDefined = <T>(into: Record<string, unknown>, from: T, names: Array<keyof T>): Record<string, unknown> => {
  for (const name of names) if (from[name] !== undefined) into[name as string] = from[name];
  return into;
};
