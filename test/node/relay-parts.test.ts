// The relay's parts on their own: the rate limiter's memory bound, the relay's memories, client addresses, the
// redactor, the CLI's environment.
import { describe, expect, it } from 'vitest';
import { clientAddress, rateKey } from '../../src/relay/client';
import { optionsFromEnv } from '../../src/relay/env';
import { createMemory } from '../../src/relay/memory';
import { createRateLimiter } from '../../src/relay/rate-limit';
import { createRedactor } from '../../src/relay/redact';

describe('rate limiter', () => {
  it('refills at perSecond up to burst', () => {
    const limiter = createRateLimiter({ burst: 2, perSecond: 4, maxKeys: 10 });
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)].map((verdict) => verdict.ok)).toEqual([true, true, false]);
    expect(limiter.take('a', 249)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', 250).ok).toBe(true);
    // A long pause refills to burst, not beyond.
    expect([0, 0, 0].map(() => limiter.take('a', 60_000).ok)).toEqual([true, true, false]);
  });

  it('says how long until the next token, in whole seconds', () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 0.1, maxKeys: 10 });
    limiter.take('a', 0);
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take('a', 2500)).toEqual({ ok: false, retryAfterSeconds: 8 });
  });

  it('forgets clients whose bucket has refilled: idle clients cost no memory', () => {
    const limiter = createRateLimiter({ burst: 10, perSecond: 10, maxKeys: 1_000_000 });
    for (let i = 0; i < 5000; i++) limiter.take(`client-${i}`, 0);
    expect(limiter.size()).toBe(5000);
    // One second refills a bucket of 10 at 10/s: the next take sweeps them all.
    limiter.take('late', 1000);
    expect(limiter.size()).toBe(1);
  });

  it('keeps a client that is still short of tokens across a sweep', () => {
    // Refilling takes 10 s: sweeps run at 0 and then not before 10 s.
    const limiter = createRateLimiter({ burst: 10, perSecond: 1, maxKeys: 100 });
    limiter.take('idle', 0);
    for (let i = 0; i < 10; i++) limiter.take('busy', 8_000);
    limiter.take('other', 10_000);
    // idle has refilled and is gone; busy has 2 of 10 tokens back and keeps them.
    expect(limiter.size()).toBe(2);
    expect([0, 0, 0].map(() => limiter.take('busy', 10_000).ok)).toEqual([true, true, false]);
  });

  it('never holds more than maxKeys buckets (and the overflow), however many keys arrive between sweeps', () => {
    const limiter = createRateLimiter({ burst: 5, perSecond: 0.001, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`client-${i}`, i);
      expect(limiter.size()).toBeLessThanOrEqual(101);
    }
  });

  // Finding: past the table's size the least recently seen client was forgotten, and came back with a full bucket.
  it('forgets no bucket that is still spending: while the table is full, newcomers share one overflow bucket', () => {
    const limiter = createRateLimiter({ burst: 3, perSecond: 0.001, maxKeys: 2 });
    expect([0, 0, 0, 0].map(() => limiter.take('a', 0).ok)).toEqual([true, true, true, false]);
    expect(limiter.take('b', 0).ok).toBe(true);
    // a and b fill the table; c, d and e share three tokens between them.
    expect(['c', 'd', 'e', 'c', 'f'].map((key) => limiter.take(key, 1).ok)).toEqual([true, true, true, false, false]);
    // a is still refused: rotating through new keys bought it nothing.
    expect(limiter.take('a', 2).ok).toBe(false);
  });

  it('makes room again once buckets have refilled', () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 1, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    expect(limiter.take('c', 0).ok).toBe(true);
    expect(limiter.take('d', 0).ok).toBe(false);
    // A second later a and b have refilled: d gets its own bucket.
    expect(limiter.take('d', 1000).ok).toBe(true);
    expect(limiter.take('e', 1000).ok).toBe(true);
  });

  it('does not drain buckets when the clock steps back', () => {
    const limiter = createRateLimiter({ burst: 1, perSecond: 1, maxKeys: 10 });
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

describe('memory', () => {
  it('forgets an entry after its time, and the oldest one past its size', () => {
    const memory = createMemory<number>({ ttlMs: 100, maxEntries: 2 });
    memory.set('a', 1, 0);
    expect(memory.get('a', 99)).toBe(1);
    expect(memory.get('a', 100)).toBeUndefined();
    memory.set('a', 1, 0);
    memory.set('b', 2, 0);
    memory.set('c', 3, 0);
    expect([memory.get('a', 1), memory.get('b', 1), memory.get('c', 1), memory.size()]).toEqual([undefined, 2, 3, 2]);
  });
});

describe('redactor', () => {
  const redact = createRedactor(['k3y-Secret/+42Abc']);
  it.each([
    ['as it is', 'x k3y-Secret/+42Abc y'],
    ['URL-encoded', `x ${encodeURIComponent('k3y-Secret/+42Abc')} y`],
    ['in base64 at each offset', `x ${Buffer.from('k3y-Secret/+42Abc').toString('base64')} ${Buffer.from('.k3y-Secret/+42Abc').toString('base64')} ${Buffer.from('..k3y-Secret/+42Abc').toString('base64url')}`],
    ['across lines', 'x k3y-Sec\nret/+42\r\n Abc y'],
  ])('takes the secret out %s', (_, text) => {
    const out = redact(text);
    expect(out).toContain('[redacted]');
    expect(out.replace(/\s|\\[rn]/g, '')).not.toContain('k3y-Secret');
    expect(out).not.toContain('42Abc');
  });

  it('leaves other text alone, and is a no-op without secrets', () => {
    expect(redact('eSputnik: invalid key for user ecomtag')).toBe('eSputnik: invalid key for user ecomtag');
    expect(createRedactor([])('a k3y')).toBe('a k3y');
  });
});

describe('the CLI environment', () => {
  const required = { ESPUTNIK_API_KEY: 'k', RELAY_ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example' };
  const secret = 'a'.repeat(64);

  it('has defaults for everything but the key and the origins', () => {
    expect(optionsFromEnv(required)).toEqual({
      errors: [],
      options: {
        apiKey: 'k',
        allowedOrigins: ['https://shop.example', ' https://www.shop.example'],
        unsignedActivity: false,
        esputnikUrl: 'https://esputnik.com/api/v2/event',
        port: 8787,
        host: undefined,
        upstreamTimeoutMs: 10000,
        rateLimit: { burst: 60, perSecond: 10, maxClients: 10000 },
        contactRateLimit: { burst: 30, perSecond: 0.5, maxClients: 10000 },
        maxRps: 200,
        maxInFlight: 200,
        trustProxy: 0,
        headersTimeoutMs: 10000,
        bodyTimeoutMs: 20000,
        idleTimeoutMs: 5000,
        maxConnections: 400,
        shutdownTimeoutMs: 15000,
      },
    });
  });

  it('reads every setting', () => {
    const { options } = optionsFromEnv({
      ...required,
      RELAY_IDENTITY_SECRET: secret,
      RELAY_UNSIGNED_ACTIVITY: 'true',
      RELAY_PORT: '0',
      RELAY_HOST: '0.0.0.0',
      ESPUTNIK_URL: 'http://127.0.0.1:9999/event',
      RELAY_UPSTREAM_TIMEOUT_MS: '2000',
      RELAY_RATE_LIMIT_BURST: '5',
      RELAY_RATE_LIMIT_PER_SECOND: '0.5',
      RELAY_RATE_LIMIT_MAX_CLIENTS: '100',
      RELAY_CONTACT_RATE_LIMIT_BURST: '7',
      RELAY_CONTACT_RATE_LIMIT_PER_SECOND: '0.25',
      RELAY_CONTACT_RATE_LIMIT_MAX_CONTACTS: '50',
      RELAY_MAX_RPS: '300',
      RELAY_MAX_IN_FLIGHT: '50',
      RELAY_TRUST_PROXY: '2',
      RELAY_ITEM_HOSTS: 'cdn.shop.example, img.shop.example',
      RELAY_HEADERS_TIMEOUT_MS: '1000',
      RELAY_BODY_TIMEOUT_MS: '2000',
      RELAY_IDLE_TIMEOUT_MS: '3000',
      RELAY_MAX_CONNECTIONS: '64',
      RELAY_SHUTDOWN_TIMEOUT_MS: '3000',
      RELAY_EVENTS: 'productViewed, cartUpdated,orderCreated',
    });
    expect(options).toMatchObject({
      identitySecret: secret,
      unsignedActivity: true,
      port: 0,
      host: '0.0.0.0',
      esputnikUrl: 'http://127.0.0.1:9999/event',
      upstreamTimeoutMs: 2000,
      rateLimit: { burst: 5, perSecond: 0.5, maxClients: 100 },
      contactRateLimit: { burst: 7, perSecond: 0.25, maxClients: 50 },
      maxRps: 300,
      maxInFlight: 50,
      trustProxy: 2,
      itemHosts: ['cdn.shop.example', 'img.shop.example'],
      headersTimeoutMs: 1000,
      bodyTimeoutMs: 2000,
      idleTimeoutMs: 3000,
      maxConnections: 64,
      shutdownTimeoutMs: 3000,
      events: ['productViewed', 'cartUpdated', 'orderCreated'],
    });
    expect(optionsFromEnv({ ...required, RELAY_TRUST_PROXY: 'true' }).options?.trustProxy).toBe(1);
    expect(optionsFromEnv({ ...required, RELAY_TRUST_PROXY: 'false' }).options?.trustProxy).toBe(0);
    expect(optionsFromEnv({ ...required, RELAY_UPSTREAM_TIMEOUT_MS: '2000' }).options?.shutdownTimeoutMs).toBe(7000);
  });

  const browserTypes = 'pageViewed, productViewed, productCategoryViewed, cartUpdated, productImpressions, productAddedToWishlist, searchRequest, orderCreated, orderCancelled';
  it.each<[Record<string, string>, string[]]>([
    [{}, ['ESPUTNIK_API_KEY is required (the eSputnik API key)', "RELAY_ALLOWED_ORIGINS is required (the store's origins, comma-separated, e.g. https://shop.example)"]],
    [{ RELAY_ALLOWED_ORIGINS: 'https://shop.example', ESPUTNIK_API_KEY: '  ' }, ['ESPUTNIK_API_KEY is required (the eSputnik API key)']],
    [{ ...required, RELAY_IDENTITY_SECRET: 'short' }, ['RELAY_IDENTITY_SECRET must be at least 32 characters (e.g. the output of openssl rand -hex 32)']],
    [{ ...required, RELAY_UNSIGNED_ACTIVITY: 'yes' }, ['RELAY_UNSIGNED_ACTIVITY must be true or false']],
    [{ ...required, RELAY_PORT: 'http' }, ['RELAY_PORT must be a whole number of at least 0']],
    [{ ...required, RELAY_PORT: '70000' }, ['RELAY_PORT must be at most 65535']],
    [{ ...required, RELAY_UPSTREAM_TIMEOUT_MS: '0' }, ['RELAY_UPSTREAM_TIMEOUT_MS must be a whole number of at least 1']],
    [{ ...required, RELAY_RATE_LIMIT_PER_SECOND: 'fast' }, ['RELAY_RATE_LIMIT_PER_SECOND must be a number of at least 0.001']],
    [{ ...required, RELAY_CONTACT_RATE_LIMIT_BURST: '0' }, ['RELAY_CONTACT_RATE_LIMIT_BURST must be a whole number of at least 1']],
    [{ ...required, RELAY_MAX_RPS: '0' }, ['RELAY_MAX_RPS must be a number of at least 0.001']],
    [{ ...required, RELAY_TRUST_PROXY: 'yes' }, ['RELAY_TRUST_PROXY must be a whole number of at least 0']],
    [{ ...required, RELAY_MAX_IN_FLIGHT: '0' }, ['RELAY_MAX_IN_FLIGHT must be a whole number of at least 1']],
    [{ ...required, RELAY_HEADERS_TIMEOUT_MS: '-1' }, ['RELAY_HEADERS_TIMEOUT_MS must be a whole number of at least 1']],
    [{ ...required, RELAY_MAX_CONNECTIONS: 'many' }, ['RELAY_MAX_CONNECTIONS must be a whole number of at least 1']],
    [{ ...required, RELAY_EVENTS: 'orderCreated,purchase' }, [`RELAY_EVENTS must be a comma-separated list of: ${browserTypes} (orderUpdated and orderDelivered come only from the back office)`]],
    [{ ...required, RELAY_EVENTS: 'orderCreated,orderDelivered' }, [`RELAY_EVENTS must be a comma-separated list of: ${browserTypes} (orderUpdated and orderDelivered come only from the back office)`]],
    [{ ...required, RELAY_EVENTS: ' , ' }, [`RELAY_EVENTS must be a comma-separated list of: ${browserTypes} (orderUpdated and orderDelivered come only from the back office)`]],
  ])('refuses %j', (env, errors) => {
    expect(optionsFromEnv(env)).toEqual({ options: null, errors });
  });
});
