// `npm run bench [-- --runs N --heap-runs N --json]`: what ecomtag costs every shopper, side by side with Snowplow's
// and Segment's trackers, measured in one headless Chromium. It builds the tag first; `node scripts/bench.mjs`
// measures dist/ as it is.
//
// Contenders: dist/ecomtag.js installed with README's snippet; Snowplow's @snowplow/browser-tracker with its
// e-commerce plugin (`trackAddToCart` is the equivalent of ecomtag's addToCart; the tracker alone is measured for
// size too); Segment's @segment/analytics-next (`track('Product Added')`, its e-commerce spec). The peers are
// bundled here with esbuild (minified IIFE, production defines) into a temporary directory. Pages are served from
// 127.0.0.1; every contender posts to a local sink on another port that answers 200 at once with CORS, so no
// request leaves the machine (one that tries is reported) and every queue drains at full speed. Every page gets a
// fresh browser context (empty storage and cookies, a new renderer process), and the contenders take turns
// (ecomtag, snowplow, segment, ecomtag, …), so a noisy neighbour on a shared machine hurts all of them alike.
//
// What is measured, and how:
// 1. Bytes: the bundle raw, gzip (zlib level 9) and brotli (quality 11).
// 2. Evaluation + initialisation with 20 add-to-cart calls queued before load: in the page, from the moment the
//    bundle's last byte arrived (Resource Timing responseEnd of the async script) to the moment the contender has
//    handled the 20 calls: they have returned (ecomtag: the bundle's load event, after its replay and the
//    microtasks that queued) and it has issued its first request to the sink (Segment: all 20 requests, since
//    each event reaches the network only at the end of its plugin pipeline). The snippet before it, which inserts
//    the async script (as the peers' own snippets do) and for ecomtag queues the calls, is timed too and added.
//    Pages are cross-origin isolated, so performance.now() has 5 µs resolution. Median and p25–p75 over 4 page
//    loads a run. Wall time suffers from whatever else the machine runs, so the same loads also give CPU time,
//    which suffers much less: the renderer main thread's (CDP Performance.getMetrics ThreadTime) from its start to
//    that moment, while the sink holds its answers (so no contender has handled one yet), less the same for the
//    empty page at its load event.
// 3. One add-to-cart call with one product, after a warm-up: timed in the page in batches (batch time / batch
//    size), each batch starting with the contender's queue drained (the sink has every event), as a shopper's
//    calls do; median and p25–p75 of all batches of all runs. That is the time the call takes in the caller's
//    task. Work a contender defers (ecomtag sends from a microtask, Snowplow stores from promises, Segment runs
//    its pipeline on timers) and the delivery itself are in the second figure: the renderer main thread's CPU
//    time (CDP Performance.getMetrics ThreadTime) over the timed batches, less the same on a page without a tag,
//    divided by the calls.
// 4. JS heap in use after a full GC (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage): after load, after
//    1,000 calls and after 10,000, made in batches of 50, each delivered before the next, so that what stays is
//    what the contender retains, not a backlog. Then 200 calls in one task, faster than any queue drains: what
//    localStorage holds right after, and how many arrive (ecomtag's outbox is bounded).
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../test/support/chromium.mjs';
import { startSite } from '../test/support/site.mjs';
import { prepareBundles } from './bench/bundles.mjs';
import { BASELINE, CONTENDERS, QUEUED } from './bench/contenders.mjs';
import { callRun, heapRun, initRun } from './bench/runner.mjs';
import { report } from './bench/report.mjs';
import { startSink } from './bench/sink.mjs';

const USAGE = `usage: npm run bench [-- --runs N] [-- --heap-runs N] [-- --json]
  --runs N        timed runs (default 5, about 2 minutes): each opens fresh contexts for every contender, in turn
  --heap-runs N   heap runs (default 1, about 2.5 minutes: 10,000 delivered calls per contender, and ecomtag sends
                  one request at a time; the heap after GC barely varies); 0 skips them
  --json          print the results as JSON instead of tables`;

const OPTIONS = /** @type {const} */ ({
  runs: { type: 'string', default: '5' },
  'heap-runs': { type: 'string', default: '1' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
});
const parse = () => {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
    process.exit(2);
  }
};
const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
/**
 * @param {'runs' | 'heap-runs'} name
 * @param {number} least
 */
const count = (name, least) => {
  const value = Number(args[name]);
  if (Number.isInteger(value) && value >= least) return value;
  console.error(`--${name} must be a whole number >= ${least}, got ${args[name]}\n${USAGE}`);
  process.exit(2);
};
const runs = count('runs', 1);
const heapRuns = count('heap-runs', 0);
for (const file of ['dist/ecomtag.js', 'dist/snippet.min.js']) {
  if (!existsSync(new URL(`../${file}`, import.meta.url))) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(2);
  }
}

/**
 * Per run and contender: `initPages` pages that only load (more samples of the noisiest figure, cheaply), then
 * one that also makes the warm-up and timed calls in batches of `size`.
 */
const PLAN = { initPages: 3, warmup: 100, calls: 400, size: 10 };
/** Heap pages: calls in batches of `size` up to each checkpoint (the queued calls count), then the burst. */
const HEAP_PLAN = { checkpoints: [1000, 10000], size: 50, burst: 200 };

const progress = (/** @type {string} */ text) => process.stderr.write(text);
const dir = await mkdtemp(join(tmpdir(), 'ecomtag-bench-'));
/** @type {Array<() => Promise<unknown>>} */
const closers = [() => rm(dir, { recursive: true, force: true })];
try {
  progress('bundling the peers… ');
  const bytes = await prepareBundles(dir);
  const site = await startSite({ root: dir });
  closers.unshift(() => site.close());
  const sink = await startSink();
  closers.unshift(() => sink.close());
  const browser = await launchBrowser();
  closers.unshift(() => browser.close());
  /** @type {import('./bench/runner.mjs').Bench} */
  const bench = { browser, site, sink, notes: new Set(), requests: 0 };
  progress(`Chromium ${browser.version()}\n`);
  // Browsers ask for one on the first page; answered, it is no 404 in the notes.
  site.page('/favicon.ico', '');

  // One untimed page first: the browser's own start-up work should not land on whichever contender comes first.
  await callRun(bench, BASELINE, 'warmup', PLAN);
  /** @type {Record<string, Array<{run: number} & Awaited<ReturnType<typeof initRun>>>>} */
  const inits = {};
  /** @type {Record<string, Array<Awaited<ReturnType<typeof callRun>>>>} */
  const calls = {};
  /** @type {Record<string, Array<Awaited<ReturnType<typeof heapRun>>>>} */
  const heaps = {};
  const started = Date.now();
  const elapsed = () => `(${Math.round((Date.now() - started) / 1000)} s)\n`;
  /**
   * @template T
   * @param {string} name
   * @param {() => Promise<T>} step
   */
  const timed = async (name, step) => {
    const start = Date.now();
    const result = await step();
    progress(` ${name} ${Math.round((Date.now() - start) / 100) / 10}s`);
    return result;
  };
  for (let run = 1; run <= runs; run++) {
    progress(`run ${run}/${runs}:`);
    await timed('loads', async () => {
      for (let page = 1; page <= PLAN.initPages; page++) {
        for (const contender of [BASELINE, ...CONTENDERS]) {
          const result = await initRun(bench, contender, `${contender.name}-${run}-load-${page}`);
          (inits[contender.name] ??= []).push({ run, ...result });
        }
      }
    });
    for (const contender of [BASELINE, ...CONTENDERS]) {
      const result = await timed(contender.name, () => callRun(bench, contender, `${contender.name}-${run}-calls`, PLAN));
      (calls[contender.name] ??= []).push(result);
    }
    progress(` ${elapsed()}`);
  }
  // Heap pages measure no time, so the contenders' run side by side: 10,000 delivered calls each take a while.
  for (let run = 1; run <= heapRuns; run++) {
    progress(`heap ${run}/${heapRuns}:`);
    const results = await Promise.all(
      CONTENDERS.map((contender) => timed(contender.name, () => heapRun(bench, contender, `${contender.name}-${run}-heap`, HEAP_PLAN))),
    );
    CONTENDERS.forEach((contender, i) => (heaps[contender.name] ??= []).push(results[i]));
    progress(` ${elapsed()}`);
  }
  const results = { chromium: browser.version(), runs, heapRuns, plan: { ...PLAN, queued: QUEUED }, heapPlan: HEAP_PLAN, bytes, inits, calls, heaps, requests: bench.requests, notes: [...bench.notes] };
  const { json, text } = report(results);
  console.log(args.json ? JSON.stringify(json, null, 2) : text);
} finally {
  for (const close of closers) await close();
}
