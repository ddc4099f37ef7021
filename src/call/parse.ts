/** A `send_ecommerce` call as Calltouch's script reads it, before any of its parts is checked. */
export interface EcommerceCall {
  modId?: unknown;
  method: unknown;
  params: unknown;
}

/**
 * Calltouch's rule: a known command first goes to the first account, anything else first is a mod_id.
 * Undefined when the call is not `send_ecommerce` at all.
 */
export const parseEcommerce = (args: unknown[]): EcommerceCall | undefined => {
  const at = args[0] === 'send_ecommerce' ? 0 : args[1] === 'send_ecommerce' ? 1 : -1;
  if (at >= 0) return { modId: at ? args[0] : undefined, method: args[at + 1], params: args[at + 2] };
};

/** How a call is named in a console line: its leading words, `ct('send_ecommerce', 'purchase')`. */
export const describeCall = (name: string, args: unknown[]): string =>
  `${name}(${args
    .slice(0, 3)
    .filter((word): word is string => typeof word === 'string')
    .map((word) => `'${word.slice(0, 40)}'`)
    .join(', ')})`;
