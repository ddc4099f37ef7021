/**
 * A random RFC 4122 version 4 id. `crypto.randomUUID` exists only on https pages; `getRandomValues` everywhere,
 * asked once for every digit's byte: each call costs about as much as a localStorage write.
 */
export const uuid = (): string => {
  const random = crypto.getRandomValues(new Uint8Array(31));
  let next = 0;
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) => (+digit ^ (random[next++] & (15 >> (+digit / 4)))).toString(16));
};
