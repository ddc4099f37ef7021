/**
 * A token bucket per client: `burst` requests at once, `perSecond` sustained. The key is on the store's bill
 * (350 requests/s per account), so one misbehaving client must not spend it for everyone.
 *
 * Memory stays bounded: a bucket that has refilled completely is the same as no bucket, so sweeps (at most once
 * per refill time) drop those; and past `maxClients` the least recently seen client is forgotten, which at worst
 * hands it a fresh bucket.
 */

export interface RateLimitSettings {
  burst: number;
  perSecond: number;
  maxClients: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Spends one token of `client` at `now` (ms), or says when the next one will be there. */
  take(client: string, now: number): RateVerdict;
  /** Buckets held, for tests of the bound. */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export const createRateLimiter = ({ burst, perSecond, maxClients }: RateLimitSettings): RateLimiter => {
  // Map keeps insertion order; re-inserting on every take makes its first entry the least recently seen.
  const buckets = new Map<string, Bucket>();
  const refillMs = (burst / perSecond) * 1000;
  let nextSweep = -Infinity;

  // A clock that steps back (a wall clock being corrected) must not drain buckets.
  const level = (bucket: Bucket, now: number) => Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);

  const sweep = (now: number) => {
    for (const [client, bucket] of buckets) if (level(bucket, now) >= burst) buckets.delete(client);
    nextSweep = now + refillMs;
  };

  return {
    take(client, now) {
      if (now >= nextSweep) sweep(now);
      const bucket = buckets.get(client);
      const tokens = bucket ? level(bucket, now) : burst;
      buckets.delete(client);
      if (buckets.size >= maxClients) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }
      if (tokens >= 1) {
        buckets.set(client, { tokens: tokens - 1, at: now });
        return { ok: true };
      }
      buckets.set(client, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
    },
    size: () => buckets.size,
  };
};
