/**
 * Token buckets by key (a client's address, a contact): `burst` requests at once, `perSecond` sustained.
 *
 * Memory stays bounded without handing anyone a fresh bucket: a bucket that has refilled completely is the same as
 * no bucket, so sweeps drop those (at most once per refill time, or once a second while the table is full); and while
 * `maxKeys` buckets are still spending, every key not among them shares one overflow bucket. A client that rotates
 * its address (or an IPv6 /64) to dodge its bucket only joins the others in that one.
 */

export interface RateLimitSettings {
  burst: number;
  perSecond: number;
  maxKeys: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Spends one token of `key` at `now` (ms), or says when the next one will be there. */
  take(key: string, now: number): RateVerdict;
  /** Buckets held (the overflow bucket included), for tests of the bound. */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** While the table is full, a sweep at most this often: each one reads every bucket. */
const FULL_SWEEP_MS = 1000;

export const createRateLimiter = ({ burst, perSecond, maxKeys }: RateLimitSettings): RateLimiter => {
  const buckets = new Map<string, Bucket>();
  let overflow: Bucket | null = null;
  const refillMs = (burst / perSecond) * 1000;
  let nextSweep = -Infinity;
  let nextFullSweep = -Infinity;

  // A clock that steps back (a wall clock being corrected) must not drain buckets.
  const level = (bucket: Bucket, now: number) => Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);

  const sweep = (now: number) => {
    for (const [key, bucket] of buckets) if (level(bucket, now) >= burst) buckets.delete(key);
    if (overflow && level(overflow, now) >= burst) overflow = null;
    nextSweep = now + refillMs;
  };

  const spend = (bucket: Bucket, now: number): RateVerdict => {
    const tokens = level(bucket, now);
    bucket.at = now;
    if (tokens >= 1) {
      bucket.tokens = tokens - 1;
      return { ok: true };
    }
    bucket.tokens = tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
  };

  return {
    take(key, now) {
      if (now >= nextSweep) sweep(now);
      let bucket = buckets.get(key);
      if (!bucket && buckets.size >= maxKeys && now >= nextFullSweep) {
        sweep(now);
        nextFullSweep = now + FULL_SWEEP_MS;
      }
      if (!bucket && buckets.size >= maxKeys) {
        overflow ??= { tokens: burst, at: now };
        return spend(overflow, now);
      }
      if (!bucket) {
        bucket = { tokens: burst, at: now };
        buckets.set(key, bucket);
      }
      return spend(bucket, now);
    },
    size: () => buckets.size + (overflow ? 1 : 0),
  };
};
