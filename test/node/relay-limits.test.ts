// The built relay's limits as the auditor tried them, over the wire, bounded in count: the overall allowance
// (RELAY_MAX_RPS), the per-contact limit, and the per-client table when rotating IPv6 /64s fill it. Clients are named
// by X-Forwarded-For behind RELAY_TRUST_PROXY=1, as behind the store's proxy. Speed is never asserted: each bound
// allows for what refilled while the run lasted, however long a busy machine made it.
import { describe, expect, it } from 'vitest';
import { tagBodies } from '../support/relay-bodies.mjs';
import { LOAD_ORIGIN } from '../support/relay-load.mjs';
import { useRelayOnCollector } from '../support/relay-on-collector';

const standIn = useRelayOnCollector({ env: { RELAY_TRUST_PROXY: '1' } });

/** `count` posts at once, the i-th from `client(i)` with `body(i)`; their statuses, and how long they all took. */
const burst = async (url: string, count: number, client: (i: number) => string, body: (i: number) => unknown) => {
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { Origin: LOAD_ORIGIN, 'Content-Type': 'text/plain', 'X-Forwarded-For': client(i) },
        body: JSON.stringify(body(i)),
      });
      await response.arrayBuffer();
      return { status: response.status, retryAfter: response.headers.get('retry-after') };
    }),
  );
  return { responses, seconds: (performance.now() - started) / 1000 };
};

const count = (responses: Array<{ status: number }>, status: number) => responses.filter((response) => response.status === status).length;

describe('ecomtag-relay limits', () => {
  // Finding: 40 addresses, each within its own 10 a second, pushed 407 events a second at eSputnik (350/s per account).
  it('holds all clients together to RELAY_MAX_RPS calls a second to eSputnik', async () => {
    const { url } = await standIn.start({ RELAY_MAX_RPS: '20' });
    const shoppers = Array.from({ length: 40 }, (_, n) => tagBodies(`email:s${n}@example.com`).cartUpdated);
    const { responses, seconds } = await burst(url, 200, (i) => `198.51.100.${i % 40}`, (i) => shoppers[i % 40]);
    const passed = count(responses, 200);
    expect(passed + count(responses, 429)).toBe(200);
    // One second's allowance at once, then what refilled while the burst lasted.
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(passed).toBeLessThanOrEqual(20 + Math.ceil(seconds * 20));
    expect(responses.filter((response) => response.status === 429).every((response) => Number(response.retryAfter) >= 1)).toBe(true);
    expect(standIn.collector.all.filter((record) => record.service === 'esputnik-event')).toHaveLength(passed);
  });

  // Finding: 60 cartUpdated for one email were all forwarded.
  it('holds one contact to its own limit, whichever addresses its events come from', async () => {
    const { url } = await standIn.start({});
    const victim = tagBodies('email:victim@example.org').cartUpdated;
    const { responses, seconds } = await burst(url, 60, (i) => `203.0.113.${i}`, () => victim);
    const passed = count(responses, 200);
    // The default: a burst of 30, then one every 2 s.
    expect(passed).toBeGreaterThanOrEqual(30);
    expect(passed).toBeLessThanOrEqual(30 + Math.ceil(seconds / 2));
    expect(count(responses, 429)).toBe(60 - passed);
    expect(standIn.collector.esputnik.events).toHaveLength(passed);
  });

  // Finding: rotating IPv6 /64s defeated the per-client table: each newcomer pushed out an older bucket.
  it('stays effective when rotating /64s fill its table: newcomers share one bucket', async () => {
    const { url } = await standIn.start({ RELAY_RATE_LIMIT_MAX_CLIENTS: '20', RELAY_RATE_LIMIT_BURST: '2', RELAY_RATE_LIMIT_PER_SECOND: '0.01' });
    const shoppers = Array.from({ length: 300 }, (_, n) => tagBodies(`email:r${n}@example.com`).productViewed);
    const { responses, seconds } = await burst(url, 300, (i) => `2001:db8:${i.toString(16)}::${i + 1}`, (i) => shoppers[i]);
    const passed = count(responses, 200);
    // 20 /64s with their own buckets, the overflow's 2 for the other 280; 0.01 a second refills next to nothing.
    expect(passed).toBeGreaterThanOrEqual(22);
    expect(passed).toBeLessThanOrEqual(22 + Math.ceil(seconds * 0.01 * 21));
  });
});
