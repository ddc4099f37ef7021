// `npm run bench:relay`: the eSputnik relay's speed and memory, measured, never asserted. The real dist/relay.mjs
// runs as its own process (as `npx ecomtag-relay`), behind RELAY_TRUST_PROXY=1 with its default rate limit, in front
// of the stand-in eSputnik of the tests (test/support/collector.mjs: it checks the key and every body); autocannon
// posts the tag's four event bodies (signed, as a store's pages send them) from 1000 shoppers' addresses, all on
// 127.0.0.1. After a warm-up, several runs; each prints requests per second, latency, errors and the relay's memory
// before and after (after full collections), and the last line gives their medians.
//
//   npm run bench:relay -- --runs 5 --requests 10000 --connections 10 --delay 0
//
// --delay makes the stand-in eSputnik answer that many milliseconds late (the real one takes tens of milliseconds);
// with it, requests per second are bounded by connections / delay. Each run is bounded by --requests and by
// RUN_LIMIT_SECONDS, whichever comes first.
//
//   npm run bench:relay -- --soak 20000 [--script /path/to/an/older/relay.mjs]
//
// --soak N instead posts N mixed requests (signed events, unsigned ones, foreign origins, broken JSON) at a stand-in
// eSputnik that never answers, with the relay's upstream timeout at 200 ms, and prints the relay's memory and open
// handles before and after, and the sockets still open at the stand-in once the relay has had time to let go of
// them. --script measures another build the same way (the relay as it was before a change, say).
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../test/support/collector.mjs';
import { listen, shutdown } from '../test/support/http.mjs';
import { IDENTITY_SECRET } from '../test/support/identity.mjs';
import { load, LOAD_ORIGIN, tagRequest } from '../test/support/relay-load.mjs';
import { RELAY_SCRIPT, startRelay } from '../test/support/relay-process.mjs';

const RUN_LIMIT_SECONDS = 120;
/** Shoppers' addresses: enough that none of them comes near the default limit of 10 a second. */
const ADDRESSES = 1000;
/** The relay's settings for a measurement: the store's secret, and no overall cap below what is measured. */
const RELAY_ENV = { RELAY_TRUST_PROXY: '1', RELAY_IDENTITY_SECRET: IDENTITY_SECRET, RELAY_MAX_RPS: '1000000' };

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    requests: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '10' },
    delay: { type: 'string', default: '0' },
    soak: { type: 'string' },
    script: { type: 'string', default: RELAY_SCRIPT },
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

const shopper = (index) => `198.51.${Math.floor(index / 250) % (ADDRESSES / 250)}.${index % 250}`;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * The soak: N mixed requests at an eSputnik that never answers. Of every five, two signed events that reach it and
 * wait out the timeout, one unsigned, one from a foreign origin, one that is not JSON.
 */
const soak = async (total) => {
  const open = new Set();
  const hanging = createServer(() => undefined);
  hanging.on('connection', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  const port = await listen(hanging, 0);
  const relay = await startRelay({
    apiKey: DEFAULT_ESPUTNIK_API_KEY,
    allowedOrigins: LOAD_ORIGIN,
    upstreamUrl: `http://127.0.0.1:${port}/api/v2/event`,
    env: { ...RELAY_ENV, RELAY_UPSTREAM_TIMEOUT_MS: '200', RELAY_MAX_IN_FLIGHT: '100000' },
    probe: true,
    script: values.script,
  });
  const mixed = (index) => {
    const kind = index % 5;
    if (kind === 0) return { body: tagRequest(index) };
    if (kind === 1) return { body: tagRequest(index + 2) };
    if (kind === 2) return { body: JSON.stringify({ ...JSON.parse(tagRequest(index)), identity: undefined }) };
    if (kind === 3) return { body: tagRequest(index), headers: { origin: 'https://evil.example' } };
    return { body: '{"eventTypeKey":' };
  };
  const url = `${relay.url}/ecomtag/relay`;
  const before = await relay.memory();
  const started = performance.now();
  const run = load(url, { amount: total, connections: 50, client: shopper, request: mixed });
  const limit = setTimeout(run.stop, 10 * RUN_LIMIT_SECONDS * 1000);
  const { statuses, errors } = await run.done;
  clearTimeout(limit);
  const seconds = (performance.now() - started) / 1000;
  const openAtEnd = open.size;
  // undici keeps an idle socket 4 s; a socket still open after 10 s is one the relay never let go of.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const after = await relay.memory();
  console.log(`soak: ${total} mixed requests in ${seconds.toFixed(0)} s against an eSputnik that never answers (${values.script})`);
  console.log(`answers: ${JSON.stringify(statuses)}, no answer: ${errors}`);
  console.log(`relay heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, rss ${mb(before.rss)} → ${mb(after.rss)} MB`);
  console.log(`relay handles before: ${JSON.stringify(before.resources)}`);
  console.log(`relay handles after:  ${JSON.stringify(after.resources)}`);
  console.log(`sockets open at eSputnik: ${openAtEnd} when the run ended, ${open.size} ten seconds later`);
  await relay.close('SIGKILL');
  await shutdown(hanging);
};

if (values.soak !== undefined) {
  const total = Number(values.soak);
  if (!Number.isInteger(total) || total < 1) throw new Error('--soak must be a whole number');
  await soak(total);
  process.exit(0);
}

const collector = await startCollector();
const relay = await startRelay({
  apiKey: DEFAULT_ESPUTNIK_API_KEY,
  allowedOrigins: LOAD_ORIGIN,
  upstreamUrl: `${collector.url}/esputnik/api/v2/event`,
  env: RELAY_ENV,
  probe: true,
  script: values.script,
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
