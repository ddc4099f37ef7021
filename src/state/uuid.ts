/** A random RFC 4122 version 4 id. `crypto.randomUUID` exists only on https pages; `getRandomValues` everywhere. */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+digit / 4)))).toString(16),
  );
