/**
 * What the relay remembers for a while — contacts it added to eSputnik, which contact placed an order — bounded in
 * time and in size. Past `maxEntries` the oldest entry is forgotten: forgetting only ever costs a repeated call or a
 * check not made, never a refusal.
 */
export interface Memory<T> {
  get(key: string, now: number): T | undefined;
  set(key: string, value: T, now: number): void;
  size(): number;
}

export const createMemory = <T>({ ttlMs, maxEntries }: { ttlMs: number; maxEntries: number }): Memory<T> => {
  // Map keeps insertion order; set() re-inserts, so the first entry is the oldest.
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (entry && entry.until > now) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value, now) {
      entries.delete(key);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
      entries.set(key, { value, until: now + ttlMs });
    },
    size: () => entries.size,
  };
};
