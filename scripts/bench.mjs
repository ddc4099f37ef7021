// `npm run bench [-- --runs N --json]`: what ecomtag costs the shopper's main thread and download, beside the
// floor (the same requests made bare by the page) and beside Snowplow's and Segment's trackers, measured in one
// headless Chromium as ratios within one run (issue 17). It builds the tag first; `node scripts/bench.mjs`
// measures dist/ as it is.
//
// Contenders:
// - floor: the page posts each event itself, one keepalive `fetch` per event per vendor, with that vendor's body
//   (Calltouch and eSputnik's tracker each take one event a request, so 20 events are 40 requests). What any tag
//   sending these events must at least spend. `floor.calltouch`: the same for Calltouch alone (20 requests), the
//   floor of the Calltouch-only build.
// - ecomtag: dist/ecomtag.js with README's snippet, one account sending to Calltouch (its session cookies set, so
//   events go at once) and eSputnik's tracker. ecomtag.calltouch: dist/ecomtag.calltouch.js, the same account
//   without eSputnik; when the build has not made that file, the report says so and leaves it out.
// - snowplow: @snowplow/browser-tracker with its e-commerce plugin (`trackAddToCart`); segment:
//   @segment/analytics-next (`track('Product Added')`), each bundled from npm with esbuild into a temporary folder
//   (bundles.mjs). Both post to one collector; Snowplow batches what is queued.
// Pages are served from 127.0.0.1, cross-origin isolated (performance.now() has 5 µs resolution there); every
// contender posts to a local sink on another port that answers at once with CORS, so no request leaves the
// machine (one that tries is reported). Every page gets a fresh browser context (empty storage, cookies and HTTP
// cache, a renderer of its own), and the pages take turns, starting one further along each run, so a noisy
// neighbour on a shared machine hurts all contenders alike.
//
// What is measured, and how:
// 1. Bytes: each bundle raw, gzip (zlib level 9) and brotli (quality 11).
// 2. Main thread a page: CDP Performance.getMetrics TaskDuration of the page (time its main thread spent in tasks:
//    the script's fetch, parse and run, the calls, timers, answers handled) from inserting the tag with 20
//    add-to-cart calls until it is quiet — every event answered by the sink and nothing posted for `quietMs` —
//    less the median of an empty page over the same steps. ThreadTime (CPU time of the same thread) beside it:
//    time in tasks also counts time the thread waited for a core, CPU time does not, so where the two disagree
//    the machine was busy. The delivery goal is TaskDuration over the floor's, as issue 17 states it.
// 3. One add-to-cart call in the calling task, timed in the page in batches of `size`, per call. A batch runs in
//    a task of its own, a message event with two listeners: the first makes the calls, the second reads the
//    clock, and the browser empties the microtask queue between them, so the time includes the microtasks the
//    calls queued (ecomtag starts delivery in one), as a click handler pays them before the next paint. The call
//    alone ("returned") is shown beside it.
//    a. outbox empty: after `warmup` calls, `calls` calls, each batch delivered before the next, as a shopper's
//       clicks are; median of every batch of every run.
//    b. 90 letters waiting: the sink then answers 503 (every contender keeps what it was given and retries
//       later, as when a collector is down), the page calls until 90 letters wait (45 calls where a call makes
//       two), and one batch is timed; median of the runs. localStorage is shown beside it.
//    c. for ecomtag's builds, 90 Calltouch letters waiting for Calltouch's session (its script blocked by the
//       shopper, or not there yet: no session cookies), eSputnik's letters delivered meanwhile; one batch a run.
//    The floor keeps no outbox: its call is its fetches, so it has only (a).
//
// Repetitions: a run is a full page per contender (all three figures), one more page that only takes the tag in
// (the page figure is the noisiest, and such a page costs a third of a full one), and for ecomtag's builds the
// page of 3c. Seven runs take about 100 s here: 14 page samples, 7 backlog batches and 140 empty-outbox batches
// a contender. Chosen from two samples of 14 and 15 runs, drawing 7 runs again and again (p10–p90 of the
// medians): a call with the outbox empty moved by ±4%, a backlog batch by ±4–11% on a quiet machine and ±10–25%
// at load average 4, a build's ratio to its floor by ±5–8% in CPU time and by about ±14% (quiet) to ±26% (load
// 4) in time in tasks. Twice the runs narrowed those by only about a third, for twice the time.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../test/support/chromium.mjs';
import { startSite } from '../test/support/site.mjs';
import { prepareBundles } from './bench/bundles.mjs';
import { CONTENDERS, EMPTY, QUEUED } from './bench/contenders.mjs';
import { pageRun, sessionRun } from './bench/runner.mjs';
import { report } from './bench/report.mjs';
import { startSink } from './bench/sink.mjs';

const USAGE = `usage: npm run bench [-- --runs N] [-- --json]
  --runs N   runs (default 7, about 100 s): each opens fresh pages for every contender, in turn
  --json     print the results as JSON instead of tables`;

const OPTIONS = /** @type {const} */ ({
  runs: { type: 'string', default: '7' },
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
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number >= 1, got ${args.runs}\n${USAGE}`);
  process.exit(2);
}
for (const file of ['dist/ecomtag.js', 'dist/snippet.min.js']) {
  if (!existsSync(new URL(`../${file}`, import.meta.url))) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(2);
  }
}

/** Pages a run that only take the tag in, per contender, beside its full page. */
const LOAD_PAGES = 1;
/** @type {import('./bench/runner.mjs').Plan} */
const PLAN = { quietMs: 250, giveUpMs: 10000, warmup: 20, calls: 100, size: 5, letters: 90 };

const progress = (/** @type {string} */ text) => process.stderr.write(text);
const load = () => loadavg().map((n) => Math.round(n * 100) / 100);
const started = Date.now();
const loadAtStart = load();
const dir = await mkdtemp(join(tmpdir(), 'ecomtag-bench-'));
/** @type {Array<() => Promise<unknown>>} */
const closers = [() => rm(dir, { recursive: true, force: true })];
try {
  progress('bundling the peers… ');
  const bytes = await prepareBundles(dir);
  const built = CONTENDERS.filter((contender) => !contender.file || !bytes.missing.includes(contender.file));
  // A floor is measured for the builds held to it.
  const contenders = built.filter((contender) => contender.outbox || built.some((other) => other.floor === contender.name));
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
  await pageRun(bench, EMPTY, 'warmup', PLAN);
  /** @type {Record<string, Array<import('./bench/runner.mjs').PageResult>>} */
  const pages = Object.fromEntries([EMPTY, ...contenders].map((contender) => [contender.name, []]));
  /** @type {Record<string, Array<Awaited<ReturnType<typeof sessionRun>>>>} */
  const sessionPages = {};
  // A run, per contender: `LOAD_PAGES` pages that only take the tag in (more samples of the noisiest figure, at a
  // third of a full page's time), a full page, and for one that waits for Calltouch's session a page where its
  // letters wait for it; the empty page as often. In turn, starting one further along each run.
  /** @typedef {{name: string, measure: (lane: string) => Promise<void>}} Turn */
  /** @type {Turn[]} */
  const lineup = [];
  for (const contender of [EMPTY, ...contenders]) {
    const add = (/** @type {string} */ kind, /** @type {(lane: string) => Promise<void>} */ measure) =>
      lineup.push({ name: `${contender.name}${kind}`, measure });
    for (let i = 1; i <= LOAD_PAGES; i++)
      add(`~load${i}`, async (lane) => void pages[contender.name].push(await pageRun(bench, contender, lane, PLAN, { loadOnly: true })));
    add('', async (lane) => void pages[contender.name].push(await pageRun(bench, contender, lane, PLAN)));
    if (contender.session) add('~session', async (lane) => void (sessionPages[contender.name] ??= []).push(await sessionRun(bench, contender, lane, PLAN)));
  }
  /** @type {number[][]} */
  const loads = [];
  for (let run = 0; run < runs; run++) {
    progress(`run ${run + 1}/${runs}:`);
    const turn = run % lineup.length;
    for (const { name, measure } of [...lineup.slice(turn), ...lineup.slice(0, turn)]) {
      const start = Date.now();
      await measure(`${name}-${run + 1}`);
      progress(` ${name} ${((Date.now() - start) / 1000).toFixed(1)}s`);
    }
    loads.push(load());
    progress(` (${Math.round((Date.now() - started) / 1000)} s, load ${loads[run].join(' ')})\n`);
  }
  const results = {
    chromium: browser.version(),
    runs,
    plan: { ...PLAN, queued: QUEUED },
    contenders: contenders.map(({ name, about, file, eventsPerCall, outbox, floor, session }) => ({ name, about, file, eventsPerCall, outbox, floor, session: !!session })),
    bytes,
    pages,
    sessionPages,
    load: { start: loadAtStart, runs: loads },
    seconds: Math.round((Date.now() - started) / 1000),
    requests: bench.requests,
    notes: [...bench.notes],
  };
  const { json, text } = report(results);
  console.log(args.json ? JSON.stringify(json, null, 2) : text);
} finally {
  for (const close of closers) await close();
}
