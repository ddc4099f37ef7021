/** Who is asking: the address the rate limit counts and the log shows. */

/** Every client the host could not name shares this bucket: failing closed costs a retry, never an event. */
export const UNKNOWN_CLIENT = 'unknown';

/** `::ffff:1.2.3.4` → `1.2.3.4`, `1.2.3.4:5678` and `[::1]:5678` → without the port (some proxies add one). */
const normalize = (address: string): string => {
  let value = address.trim().slice(0, 100);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return (mapped ? mapped[1] : value).toLowerCase();
};

/**
 * With `trustProxy` hops, the client is the `X-Forwarded-For` entry the outermost trusted proxy wrote: each
 * proxy appends the address it saw, so the last `hops` entries are trustworthy and anything left of them is
 * whatever the client claimed. Without the header (or without trust) it is the address the host saw.
 */
export const clientAddress = (headers: Headers, hostAddress: string | undefined, trustProxy: number): string => {
  if (trustProxy > 0) {
    const chain = (headers.get('X-Forwarded-For') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    if (chain.length > 0) return normalize(chain[Math.max(0, chain.length - trustProxy)]);
  }
  return hostAddress ? normalize(hostAddress) : UNKNOWN_CLIENT;
};

/** The 16-bit groups of an IPv6 address, `::` expanded; null if it is not one. */
const ipv6Groups = (address: string): string[] | null => {
  if (!address.includes(':') || !/^[0-9a-f:.]+$/.test(address)) return null;
  // An embedded IPv4 tail (64:ff9b::1.2.3.4) is two groups.
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, tail, extra] = hex.split('::');
  if (extra !== undefined) return null;
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
};

/**
 * The rate limit's key: an IPv6 client by its /64 (a home or a phone is handed a whole /64, and rotating within
 * it would dodge a per-address limit); everything else as it is.
 */
export const rateKey = (address: string): string => {
  const groups = ipv6Groups(address);
  return groups ? `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64` : address;
};
