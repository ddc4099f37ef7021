// The relay's parts on their own: the rate limiter's memory bound, client addresses, the CLI's environment.
import { describe, expect, it } from 'vitest';
import { clientAddress, rateKey } from '../../src/relay/client';
import { optionsFromEnv } from '../../src/relay/env';
import { EVENT_TYPES } from '../../src/relay/events';
import { createRateLimiter } from '../../src/relay/rate-limit';

describe('rate limiter', () => {
  it('refills at perSecond up to burst', () => {
    const limiter = createRateLimiter({ burst: 2, perSecond: 4, maxClients: 10 });
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)].map((verdict) => verdict.ok)).toEqual([true, true, false]);
    expect(limiter.take('a', 249)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', 250).ok).toBe(true);
    // A long pause refills to burst, not beyond.
    expect([0, 0, 0].map(() => limiter.take('a', 60_000).ok)).toEqual([true, true, false]);
  });

  it('says how long until the next token, in whole seconds', () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 0.1, maxClients: 10 });
    limiter.take('a', 0);
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take('a', 2500)).toEqual({ ok: false, retryAfterSeconds: 8 });
  });

  it('forgets clients whose bucket has refilled: idle clients cost no memory', () => {
    const limiter = createRateLimiter({ burst: 10, perSecond: 10, maxClients: 1_000_000 });
    for (let i = 0; i < 5000; i++) limiter.take(`client-${i}`, 0);
    expect(limiter.size()).toBe(5000);
    // One second refills a bucket of 10 at 10/s: the next take sweeps them all.
    limiter.take('late', 1000);
    expect(limiter.size()).toBe(1);
  });

  it('keeps a client that is still short of tokens across a sweep', () => {
    // Refilling takes 10 s: sweeps run at 0 and then not before 10 s.
    const limiter = createRateLimiter({ burst: 10, perSecond: 1, maxClients: 100 });
    limiter.take('idle', 0);
    for (let i = 0; i < 10; i++) limiter.take('busy', 8_000);
    limiter.take('other', 10_000);
    // idle has refilled and is gone; busy has 2 of 10 tokens back and keeps them.
    expect(limiter.size()).toBe(2);
    expect([0, 0, 0].map(() => limiter.take('busy', 10_000).ok)).toEqual([true, true, false]);
  });

  it('never holds more than maxClients, however many addresses arrive between sweeps', () => {
    const limiter = createRateLimiter({ burst: 5, perSecond: 0.001, maxClients: 100 });
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`client-${i}`, i);
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
    // The least recently seen go first: the latest clients keep their (spent) buckets.
    for (let i = 0; i < 4; i++) limiter.take('client-9999', 10_000);
    expect(limiter.take('client-9999', 10_000).ok).toBe(false);
  });

  it('does not drain buckets when the clock steps back', () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 1, maxClients: 10 });
    expect(limiter.take('a', 10_000).ok).toBe(true);
    expect(limiter.take('a', 5_000).ok).toBe(false);
    expect(limiter.take('a', 11_000).ok).toBe(true);
  });
});

describe('client address', () => {
  const headers = (forwarded?: string) => new Headers(forwarded === undefined ? {} : { 'X-Forwarded-For': forwarded });
  it.each<[string | undefined, string | undefined, number, string]>([
    [undefined, '203.0.113.7', 0, '203.0.113.7'],
    [undefined, '::ffff:203.0.113.7', 0, '203.0.113.7'],
    [undefined, undefined, 0, 'unknown'],
    ['198.51.100.1', '10.0.0.1', 0, '10.0.0.1'],
    ['198.51.100.1', '10.0.0.1', 1, '198.51.100.1'],
    ['6.6.6.6, 198.51.100.1', '10.0.0.1', 1, '198.51.100.1'],
    ['6.6.6.6, 198.51.100.1, 10.0.0.2', '10.0.0.1', 2, '198.51.100.1'],
    ['198.51.100.1', '10.0.0.1', 3, '198.51.100.1'],
    ['198.51.100.1:51234', '10.0.0.1', 1, '198.51.100.1'],
    ['[2001:DB8::1]:51234', '10.0.0.1', 1, '2001:db8::1'],
    ['', '10.0.0.1', 1, '10.0.0.1'],
  ])('X-Forwarded-For %j from %s trusting %i → %s', (forwarded, host, trust, expected) => {
    expect(clientAddress(headers(forwarded), host, trust)).toBe(expected);
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['64:ff9b::1.2.3.4', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('rate key of %s is %s', (address, key) => {
    expect(rateKey(address)).toBe(key);
  });
});

describe('the CLI environment', () => {
  const required = { ESPUTNIK_API_KEY: 'k', RELAY_ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example' };

  it('has defaults for everything but the key and the origins', () => {
    expect(optionsFromEnv(required)).toEqual({
      errors: [],
      options: {
        apiKey: 'k',
        allowedOrigins: ['https://shop.example', ' https://www.shop.example'],
        esputnikUrl: 'https://esputnik.com/api/v2/event',
        port: 8787,
        host: undefined,
        upstreamTimeoutMs: 10000,
        rateLimit: { burst: 60, perSecond: 10, maxClients: 10000 },
        maxInFlight: 500,
        trustProxy: 0,
        shutdownTimeoutMs: 15000,
      },
    });
  });

  it('reads every setting', () => {
    const { options } = optionsFromEnv({
      ...required,
      RELAY_PORT: '0',
      RELAY_HOST: '127.0.0.1',
      ESPUTNIK_URL: 'http://127.0.0.1:9999/event',
      RELAY_UPSTREAM_TIMEOUT_MS: '2000',
      RELAY_RATE_LIMIT_BURST: '5',
      RELAY_RATE_LIMIT_PER_SECOND: '0.5',
      RELAY_RATE_LIMIT_MAX_CLIENTS: '100',
      RELAY_MAX_IN_FLIGHT: '50',
      RELAY_TRUST_PROXY: '2',
      RELAY_SHUTDOWN_TIMEOUT_MS: '3000',
      RELAY_EVENTS: 'productViewed, cartUpdated,orderCreated',
    });
    expect(options).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      esputnikUrl: 'http://127.0.0.1:9999/event',
      upstreamTimeoutMs: 2000,
      rateLimit: { burst: 5, perSecond: 0.5, maxClients: 100 },
      maxInFlight: 50,
      trustProxy: 2,
      shutdownTimeoutMs: 3000,
      events: ['productViewed', 'cartUpdated', 'orderCreated'],
    });
    expect(optionsFromEnv({ ...required, RELAY_TRUST_PROXY: 'true' }).options?.trustProxy).toBe(1);
    expect(optionsFromEnv({ ...required, RELAY_TRUST_PROXY: 'false' }).options?.trustProxy).toBe(0);
    expect(optionsFromEnv({ ...required, RELAY_UPSTREAM_TIMEOUT_MS: '2000' }).options?.shutdownTimeoutMs).toBe(7000);
  });

  it.each<[Record<string, string>, string[]]>([
    [{}, ['ESPUTNIK_API_KEY is required (the eSputnik API key)', "RELAY_ALLOWED_ORIGINS is required (the store's origins, comma-separated, e.g. https://shop.example)"]],
    [{ RELAY_ALLOWED_ORIGINS: 'https://shop.example', ESPUTNIK_API_KEY: '  ' }, ['ESPUTNIK_API_KEY is required (the eSputnik API key)']],
    [{ ...required, RELAY_PORT: 'http' }, ['RELAY_PORT must be a whole number of at least 0']],
    [{ ...required, RELAY_PORT: '70000' }, ['RELAY_PORT must be at most 65535']],
    [{ ...required, RELAY_UPSTREAM_TIMEOUT_MS: '0' }, ['RELAY_UPSTREAM_TIMEOUT_MS must be a whole number of at least 1']],
    [{ ...required, RELAY_RATE_LIMIT_PER_SECOND: 'fast' }, ['RELAY_RATE_LIMIT_PER_SECOND must be a number of at least 0.001']],
    [{ ...required, RELAY_TRUST_PROXY: 'yes' }, ['RELAY_TRUST_PROXY must be a whole number of at least 0']],
    [{ ...required, RELAY_MAX_IN_FLIGHT: '0' }, ['RELAY_MAX_IN_FLIGHT must be a whole number of at least 1']],
    [{ ...required, RELAY_EVENTS: 'orderCreated,purchase' }, [`RELAY_EVENTS must be a comma-separated list of: ${EVENT_TYPES.join(', ')}`]],
    [{ ...required, RELAY_EVENTS: ' , ' }, [`RELAY_EVENTS must be a comma-separated list of: ${EVENT_TYPES.join(', ')}`]],
  ])('refuses %j', (env, errors) => {
    expect(optionsFromEnv(env)).toEqual({ options: null, errors });
  });
});
