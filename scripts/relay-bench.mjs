// `npm run bench:relay`: the eSputnik relay's speed and memory, measured, never asserted. The real dist/relay.mjs
// runs as its own process (as `npx ecomtag-relay`), behind RELAY_TRUST_PROXY=1 with its default rate limit, in front
// of the stand-in eSputnik of the tests (test/support/collector.mjs: it checks the key and every body); autocannon
// posts the tag's four event bodies from 1000 shoppers' addresses, all on 127.0.0.1. After a warm-up, several runs;
// each prints requests per second, latency, errors and the relay's memory before and after (after full
// collections), and the last line gives their medians.
//
//   npm run bench:relay -- --runs 5 --requests 10000 --connections 10 --delay 0
//
// --delay makes the stand-in eSputnik answer that many milliseconds late (the real one takes tens of milliseconds);
// with it, requests per second are bounded by connections / delay. Each run is bounded by --requests and by
// RUN_LIMIT_SECONDS, whichever comes first.
import { parseArgs } from 'node:util';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../test/support/collector.mjs';
import { load, LOAD_ORIGIN } from '../test/support/relay-load.mjs';
import { startRelay } from '../test/support/relay-process.mjs';

const RUN_LIMIT_SECONDS = 120;
/** Shoppers' addresses: enough that none of them comes near the default limit of 10 a second. */
const SHOPPERS = 1000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    requests: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '10' },
    delay: { type: 'string', default: '0' },
  },
});
const count = (name) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < (name === 'delay' ? 0 : 1)) throw new Error(`--${name} must be a whole number`);
  return value;
};
const runs = count('runs');
const requests = count('requests');
const connections = count('connections');
const delay = count('delay');

const shopper = (index) => `198.51.${Math.floor(index / 250) % (SHOPPERS / 250)}.${index % 250}`;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const collector = await startCollector();
const relay = await startRelay({
  apiKey: DEFAULT_ESPUTNIK_API_KEY,
  allowedOrigins: LOAD_ORIGIN,
  upstreamUrl: `${collector.url}/esputnik/api/v2/event`,
  env: { RELAY_TRUST_PROXY: '1' },
  probe: true,
});
const url = `${relay.url}/ecomtag/relay`;
collector.delay(delay);

/** One bounded run; what it measured. */
const measure = async (amount) => {
  const run = load(url, { amount, connections, client: shopper });
  const limit = setTimeout(run.stop, RUN_LIMIT_SECONDS * 1000);
  const started = performance.now();
  const { result, statuses, errors } = await run.done;
  clearTimeout(limit);
  const seconds = (performance.now() - started) / 1000;
  const answered = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  // The stand-in's records are not what is measured: dropped, so this process does not grow run after run.
  collector.reset();
  collector.delay(delay);
  return {
    rps: answered / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + answered - (statuses[200] ?? 0),
  };
};

console.log(`relay bench: ${runs} runs of ${requests} requests, ${connections} connections, eSputnik answering after ${delay} ms`);
await measure(Math.min(requests, 2000));
const rows = [];
for (let i = 1; i <= runs; i++) {
  const before = await relay.memory();
  const figures = await measure(requests);
  const after = await relay.memory();
  const row = { ...figures, heapBefore: before.heapUsed, heapAfter: after.heapUsed, rssBefore: before.rss, rssAfter: after.rss };
  rows.push(row);
  console.log(
    `run ${i}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, ` +
      `heap ${mb(row.heapBefore)} → ${mb(row.heapAfter)} MB, rss ${mb(row.rssBefore)} → ${mb(row.rssAfter)} MB`,
  );
}
const of = (key) => median(rows.map((row) => row[key]));
console.log(
  `median: ${of('rps').toFixed(0)} req/s, p50 ${of('p50')} ms, p99 ${of('p99')} ms, errors ${of('errors')}, ` +
    `heap ${mb(of('heapBefore'))} → ${mb(of('heapAfter'))} MB, rss ${mb(of('rssBefore'))} → ${mb(of('rssAfter'))} MB`,
);

await relay.close();
await collector.close();
