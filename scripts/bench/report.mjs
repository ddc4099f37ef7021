// Turns the raw samples into medians, ratios and the goals' verdicts: a table to read, or JSON.
import { CONTENDERS } from './contenders.mjs';
import { summary } from './stats.mjs';

/** @typedef {{raw: number, gzip: number, brotli: number}} Sizes */
/** @typedef {ReturnType<typeof summary>} Summary */
/** @typedef {{heap: number[], made: number, delivered: number, burst: {calls: number, stored: {keys: number, chars: number}, delivered: number}}} HeapRun */
/**
 * @typedef {object} Results
 * @property {string} chromium
 * @property {number} runs
 * @property {number} heapRuns
 * @property {{warmup: number, calls: number, size: number, queued: number}} plan
 * @property {{checkpoints: number[], size: number, burst: number}} heapPlan
 * @property {{sizes: Record<string, Sizes>, context: {snowplowCore: Sizes, segmentLoaded: Sizes & {files: number}}}} bytes
 * @property {Record<string, Array<{run: number, init?: {ms: number, pre: number}, cpuMs: number}>>} inits pages that only load
 * @property {Record<string, Array<{init?: {ms: number, pre: number}, perCall: number[], cpuMs: number}>>} calls
 * @property {Record<string, HeapRun[]>} heaps
 * @property {number} requests every request the pages made
 * @property {string[]} notes
 */

/** Goals of issue 5, for ecomtag against the peers measured in the same process. */
export const GOALS = { gzipVsSnowplow: 4, initVsSnowplow: 3, callMicros: 20, heapBytesPerCall: 4 };

const NAMES = CONTENDERS.map((contender) => contender.name);
const PEERS = NAMES.filter((name) => name !== 'ecomtag');

/** @param {number[]} values */
const median = (values) => summary(values).median;

/**
 * @param {HeapRun[]} runs
 * @param {number[]} checkpoints
 */
const heapFigures = (runs, [first, last]) => {
  const [atLoad, atFirst, atLast] = [0, 1, 2].map((i) => median(runs.map((run) => run.heap[i])));
  return {
    atLoad,
    atFirst,
    atLast,
    growth: atLast - atFirst,
    bytesPerCall: (atLast - atFirst) / (last - first),
    made: median(runs.map((run) => run.made)),
    delivered: median(runs.map((run) => run.delivered)),
    burst: runs[0].burst,
  };
};

/** @param {Results} results */
export function summarise(results) {
  const { sizes } = results.bytes;
  const baselineCpu = results.calls.baseline.map((run) => run.cpuMs);
  /** The empty page's load, per run (the median of its pages in that run). */
  const baselineLoadCpu = (/** @type {number} */ run) => median(results.inits.baseline.filter((page) => page.run === run).map((page) => page.cpuMs));
  /** @param {string} name */
  const of = (name) => {
    const runs = results.calls[name];
    const inits = [...results.inits[name].map((page) => page.init), ...runs.map((run) => run.init)].map((init) => init ?? { ms: NaN, pre: NaN });
    return {
      bytes: sizes[name],
      init: summary(inits.map((init) => init.ms)),
      initBeforeBundle: median(inits.map((init) => init.pre)),
      // ms: the page's ThreadTime until its queued calls were handled, less the empty page's until its load
      initCpu: summary(results.inits[name].map((page) => page.cpuMs - baselineLoadCpu(page.run))),
      // µs per call, every batch of every run
      call: summary(runs.flatMap((run) => run.perCall.map((ms) => ms * 1000))),
      // µs per call: the run's ThreadTime over its timed calls, less the empty page's in the same run
      callCpu: summary(runs.map((run, i) => ((run.cpuMs - baselineCpu[i]) / results.plan.calls) * 1000)),
      heap: results.heapRuns ? heapFigures(results.heaps[name], results.heapPlan.checkpoints) : undefined,
    };
  };
  const figures = Object.fromEntries(NAMES.map((name) => [name, of(name)]));
  const ecomtag = figures.ecomtag;
  /** The peer's median over ecomtag's: 2 means the peer costs twice as much. */
  const ratios = Object.fromEntries(
    PEERS.map((peer) => [
      peer,
      {
        gzip: figures[peer].bytes.gzip / ecomtag.bytes.gzip,
        brotli: figures[peer].bytes.brotli / ecomtag.bytes.brotli,
        init: figures[peer].init.median / ecomtag.init.median,
        initCpu: figures[peer].initCpu.median / ecomtag.initCpu.median,
        call: figures[peer].call.median / ecomtag.call.median,
        callCpu: figures[peer].callCpu.median / ecomtag.callCpu.median,
      },
    ]),
  );
  const snowplow = figures.snowplow;
  const [first, last] = results.heapPlan.checkpoints;
  const goals = [
    {
      goal: `gzip at least ${GOALS.gzipVsSnowplow}× fewer bytes than Snowplow`,
      shown: `${times(ratios.snowplow.gzip)} (${int(ecomtag.bytes.gzip)} B vs ${int(snowplow.bytes.gzip)} B)`,
      pass: ratios.snowplow.gzip >= GOALS.gzipVsSnowplow,
    },
    {
      goal: `evaluation + initialisation at least ${GOALS.initVsSnowplow}× faster than Snowplow, in time (2a)`,
      shown: `${times(ratios.snowplow.init)} (${ms(ecomtag.init.median)} ms vs ${ms(snowplow.init.median)} ms)`,
      pass: ratios.snowplow.init >= GOALS.initVsSnowplow,
    },
    {
      goal: `evaluation + initialisation at least ${GOALS.initVsSnowplow}× cheaper than Snowplow, in CPU (2b)`,
      shown: `${times(ratios.snowplow.initCpu)} (${ms(ecomtag.initCpu.median)} ms vs ${ms(snowplow.initCpu.median)} ms)`,
      pass: ratios.snowplow.initCpu >= GOALS.initVsSnowplow,
    },
    {
      goal: `one call at most ${GOALS.callMicros} µs (median, in the calling task, 3a)`,
      shown: `${micros(ecomtag.call.median)} µs`,
      pass: ecomtag.call.median <= GOALS.callMicros,
    },
    {
      goal: `flat heap after ${int(last)} calls (under ${GOALS.heapBytesPerCall} B retained per call)`,
      shown: ecomtag.heap
        ? `${signed(ecomtag.heap.growth / 1024)} KB from ${int(first)} to ${int(last)} calls, ${signed(ecomtag.heap.bytesPerCall)} B per call`
        : 'not measured (--heap-runs 0)',
      pass: ecomtag.heap ? ecomtag.heap.bytesPerCall < GOALS.heapBytesPerCall : undefined,
    },
  ];
  return { figures, ratios, goals };
}

/** @param {Results} results */
export function report(results) {
  const summarised = summarise(results);
  return { json: { ...summarised, raw: results }, text: table(results, summarised) };
}

const int = (/** @type {number} */ n) => Math.round(n).toLocaleString('en-US');
const ms = (/** @type {number} */ n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const micros = (/** @type {number} */ n) => (n >= 100 ? int(n) : n.toFixed(1));
const times = (/** @type {number} */ n) => `${n.toFixed(2)}×`;
const plural = (/** @type {number} */ n, /** @type {string} */ noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const kb = (/** @type {number} */ bytes) => int(bytes / 1024);
const signed = (/** @type {number} */ n) => `${n < 0 ? '−' : '+'}${Math.abs(n).toFixed(1)}`;
const pad = (/** @type {string} */ text, /** @type {number} */ width) => text.padStart(width);
const left = (/** @type {string} */ text, /** @type {number} */ width) => text.padEnd(width);

/**
 * One row of a timing table: the contender, the median, the middle half of the samples, the ratio.
 * @param {string} name
 * @param {Summary} s
 * @param {(n: number) => string} format
 * @param {string} ratio
 */
const row = (name, s, format, ratio) => `   ${left(name, 10)} ${pad(format(s.median), 8)}  ${pad(`${format(s.p25)}–${format(s.p75)}`, 15)}  ${pad(ratio, 12)}`;
/** @param {string} unit */
const header = (unit) => `   ${left(unit, 10)} ${pad('median', 8)}  ${pad('p25–p75', 15)}  ${pad('peer/ecomtag', 12)}`;

/**
 * @param {Results} results
 * @param {ReturnType<typeof summarise>} summarised
 */
function table(results, { figures, ratios, goals }) {
  const { plan, heapPlan } = results;
  const ratio = (/** @type {string} */ name, /** @type {'gzip' | 'init' | 'initCpu' | 'call' | 'callCpu'} */ key) =>
    name === 'ecomtag' ? '' : times(ratios[name][key]);
  const lines = [
    `ecomtag vs Snowplow and Segment: Chromium ${results.chromium}, ${plural(results.runs, 'timed run')} and ${plural(results.heapRuns, 'heap run')},`,
    'contenders in turn, a fresh browser context each',
    ...CONTENDERS.map((contender) => `  ${left(contender.name, 9)} ${contender.about}`),
    '',
    '1. Bundle bytes',
    `   ${left('B', 10)} ${pad('raw', 8)}  ${pad('gzip', 7)}  ${pad('brotli', 7)}  ${pad('peer/ecomtag', 12)}`,
    ...NAMES.map((name) => {
      const bytes = figures[name].bytes;
      return `   ${left(name, 10)} ${pad(int(bytes.raw), 8)}  ${pad(int(bytes.gzip), 7)}  ${pad(int(bytes.brotli), 7)}  ${pad(ratio(name, 'gzip'), 12)}`;
    }),
    `   for context: Snowplow's tracker without the e-commerce plugin ${int(results.bytes.context.snowplowCore.gzip)} B gzip; Segment code-split,`,
    `   the ${results.bytes.context.segmentLoaded.files} files this setup loads (the IIFE also inlines chunks loaded on demand) ${int(results.bytes.context.segmentLoaded.gzip)} B gzip`,
    '',
    `2. Evaluation + initialisation with ${plan.queued} calls queued before load`,
    `   a. the snippet, then from the bundle's last byte to the calls handled: ${figures.ecomtag.init.n} page loads per contender`,
    header('ms'),
    ...NAMES.map((name) => row(name, figures[name].init, ms, ratio(name, 'init'))),
    `      of which the snippet (it inserts the script; ecomtag's also queues the calls): ${NAMES.map((name) => `${name} ${ms(figures[name].initBeforeBundle)}`).join(', ')} ms`,
    `   b. main-thread CPU of the whole page until then, less an empty page's: ${figures.ecomtag.initCpu.n} loads`,
    header('ms'),
    ...NAMES.map((name) => row(name, figures[name].initCpu, ms, ratio(name, 'initCpu'))),
    '',
    `3. One add-to-cart call, one product, after ${plan.warmup} warm-up calls`,
    `   a. in the calling task: ${figures.ecomtag.call.n} batches of ${plan.size} per contender, each started with an empty queue`,
    header('µs'),
    ...NAMES.map((name) => row(name, figures[name].call, micros, ratio(name, 'call'))),
    `   b. all main-thread CPU it causes, deferred work and delivery included: ${plan.calls} calls per run, less`,
    `      an empty page's, ${plural(results.runs, 'run')}`,
    header('µs'),
    ...NAMES.map((name) => row(name, figures[name].callCpu, micros, ratio(name, 'callCpu'))),
  ];
  if (results.heapRuns) {
    const [first, last] = heapPlan.checkpoints;
    lines.push(
      '',
      `4. JS heap after GC${results.heapRuns > 1 ? `, median of ${results.heapRuns} runs` : ''}: calls in batches of ${heapPlan.size}, each delivered before the next`,
      `   ${left('KB', 10)} ${pad('after load', 10)}  ${pad(`${int(first)} calls`, 11)}  ${pad(`${int(last)} calls`, 12)}  ${pad('growth', 9)}  delivered`,
      ...NAMES.map((name) => {
        const heap = /** @type {ReturnType<typeof heapFigures>} */ (figures[name].heap);
        return `   ${left(name, 10)} ${pad(kb(heap.atLoad), 10)}  ${pad(kb(heap.atFirst), 11)}  ${pad(kb(heap.atLast), 12)}  ${pad(signed(heap.growth / 1024), 9)}  ${int(heap.delivered)} of ${int(heap.made)}`;
      }),
      `   then ${heapPlan.burst} calls in one task, faster than any queue drains: localStorage in the next task, and what arrived`,
      ...NAMES.map((name) => {
        const { stored, delivered, calls } = /** @type {ReturnType<typeof heapFigures>} */ (figures[name].heap).burst;
        return `   ${left(name, 10)} ${pad(int(stored.keys), 4)} keys, ${pad(kb(stored.chars * 2), 4)} KB  ${pad(int(delivered), 4)} of ${calls} delivered`;
      }),
      `   (2 bytes a character. ecomtag's outbox keeps at most 100 events, a key each, and drops the oldest cart events first.)`,
    );
  }
  lines.push('', 'Goals (ecomtag, against the peers measured above)');
  for (const goal of goals) lines.push(`   ${goal.pass === undefined ? '----' : goal.pass ? 'PASS' : 'MISS'}  ${goal.goal}: ${goal.shown}`);
  if (!results.notes.some((note) => note.includes('left the machine'))) lines.push('', `All ${int(results.requests)} requests of the pages went to 127.0.0.1.`);
  if (results.notes.length) lines.push('', 'Notes', ...results.notes.map((note) => `   ${note}`));
  return lines.map((line) => line.trimEnd()).join('\n');
}
