/**
 * Where `send_ecommerce` stands in a call, as Calltouch's script reads it: first (the call goes to the first
 * account), or second behind a mod_id; -1 when the call is not `send_ecommerce` at all.
 */
export const ecommerceAt = (args: unknown[]): number => {
  const at = args.indexOf('send_ecommerce');
  return at < 2 ? at : -1;
};

/** How a call is named in a console line: its leading words, `ct('send_ecommerce', 'purchase')`. */
export const describeCall = (name: string, args: unknown[]): string =>
  `${name}(${args
    .slice(0, 3)
    .filter((word): word is string => typeof word === 'string')
    .map((word) => `'${word.slice(0, 40)}'`)
    .join(', ')})`;
