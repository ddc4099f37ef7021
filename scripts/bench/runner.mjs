// The Node half of one benchmark page of one contender: a fresh browser context (so storage, cookies and the
// renderer process are new), the page, then one phase after another, driven through page.evaluate and CDP.
import { EMPTY, QUEUED, pageHtml } from './contenders.mjs';

/** @typedef {import('./contenders.mjs').Contender} Contender */
/**
 * @typedef {object} Bench
 * @property {import('playwright-core').Browser} browser
 * @property {import('../../test/support/site.mjs').Site} site
 * @property {import('./sink.mjs').Sink} sink
 * @property {Set<string>} notes anything that went wrong, printed under the tables
 * @property {number} requests requests the pages made; every one must go to 127.0.0.1
 */
/**
 * @typedef {object} Plan
 * @property {number} quietMs a page is quiet once its events have all been answered and nothing was posted for this long
 * @property {number} giveUpMs a page that posts nothing for this long is done, whatever is missing (and noted)
 * @property {number} warmup untimed calls before the timed ones
 * @property {number} calls timed calls with an empty outbox, in batches of `size`, each delivered before the next
 * @property {number} size calls per timed batch
 * @property {number} letters letters left waiting for the calls timed with a backlog (one batch of `size`)
 */
/**
 * @typedef {object} PageResult
 * @property {number} taskMs the page's TaskDuration from inserting the tag until it was quiet
 * @property {number} threadMs the page's main-thread CPU time (ThreadTime) over the same span
 * @property {number} wallMs the span itself, the quiet wait excluded
 * @property {number} requests posts the sink received over the span
 * @property {Timing[]} [empty] ms per call in the calling task, one entry per batch, the outbox empty
 * @property {Timing} [backlog] ms per call in the calling task, `letters` letters refused by the collector
 * @property {{keys: number, chars: number}} [stored] localStorage before the backlog batch
 */
/** @typedef {import('./harness.mjs').Timing} Timing */

/** performance.now() is coarsened to 100 µs unless the page is cross-origin isolated; then it is 5 µs. */
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 * @param {{session?: boolean}} [options] session: false leaves Calltouch's session cookies out
 */
async function open(bench, contender, lane, { session = true } = {}) {
  const context = await bench.browser.newContext();
  if (contender.session && session) await context.addCookies(contender.session(bench.site.url));
  const page = await context.newPage();
  const note = (/** @type {string} */ text) => bench.notes.add(`${contender.name}: ${text}`);
  page.on('console', (message) => {
    // The browser's own line for each post the sink refuses on purpose.
    if (/status of 503/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') note(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => note(`page error: ${error.message}`));
  // Every request the page makes, seen without intercepting it (interception would slow every request down):
  // anything not on this machine is reported.
  page.on('request', (request) => {
    bench.requests += 1;
    if (!/^http:\/\/127\.0\.0\.1[:/]/.test(request.url())) note(`request left the machine: ${request.url()}`);
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const url = bench.site.page(`/${lane}`, pageHtml(contender, { sink: bench.sink.url, lane }), { headers: ISOLATED });
  await page.goto(url);
  return { context, page, cdp, note };
}

/**
 * The renderer main thread's time so far: TaskDuration (time in tasks) and ThreadTime (CPU time), in ms.
 * @param {import('playwright-core').CDPSession} cdp
 */
async function mainThread(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (/** @type {string} */ name) => {
    const found = metrics.find((metric) => metric.name === name);
    if (!found) throw new Error(`Performance.getMetrics has no ${name}`);
    return found.value * 1000;
  };
  return { task: value('TaskDuration'), thread: value('ThreadTime') };
}

/**
 * One page: the tag goes in with its queued calls and delivers them (main-thread time until quiet); then, unless
 * `loadOnly`, calls timed in the calling task with the outbox empty; then, for a contender that keeps an outbox,
 * the collector refuses, `letters` letters back up, and one more batch is timed.
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 * @param {Plan} plan
 * @param {{loadOnly?: boolean}} [options]
 * @returns {Promise<PageResult>}
 */
export async function pageRun(bench, contender, lane, plan, { loadOnly = false } = {}) {
  const { context, page, cdp, note } = await open(bench, contender, lane);
  try {
    const expected = QUEUED * contender.eventsPerCall;
    const before = await mainThread(cdp);
    const start = Date.now();
    await page.evaluate(() => window.__bench.insert());
    const { count, posts } = await bench.sink.settled(lane, (lane) => lane.count >= expected, plan.quietMs, plan.giveUpMs);
    const after = await mainThread(cdp);
    const wallMs = Date.now() - start - plan.quietMs;
    if (count < expected) note(`only ${count} of ${expected} events reached the sink as the tag went in`);
    const result = { taskMs: after.task - before.task, threadMs: after.thread - before.thread, wallMs, requests: posts };
    if (loadOnly || contender === EMPTY) return result;

    await page.evaluate((options) => window.__bench.batches(options), { count: plan.warmup, size: plan.size });
    const empty = await page.evaluate((options) => window.__bench.batches(options), { count: plan.calls, size: plan.size });
    const { made, expected: due } = await page.evaluate(() => ({ made: window.__bench.made, expected: window.__bench.expected }));
    const { count: delivered } = await bench.sink.settled(lane, (lane) => lane.count >= due, 0, plan.giveUpMs);
    if (delivered < due) note(`only ${delivered} of ${due} events reached the sink after ${made} calls`);
    if (!contender.outbox) return { ...result, empty };

    bench.sink.refuse(lane);
    await page.evaluate((n) => window.__bench.fill(n), Math.ceil(plan.letters / contender.eventsPerCall));
    // Letters are stored once the contender has tried to send and been refused, and its retries have spaced out.
    await bench.sink.settled(lane, (lane) => lane.refused > 0, plan.quietMs, plan.giveUpMs);
    const stored = await page.evaluate(() => window.__bench.storage());
    const backlog = await page.evaluate((size) => window.__bench.batch(size), plan.size);
    return { ...result, empty, backlog, stored };
  } finally {
    await context.close();
  }
}

/**
 * One page of a contender that waits for Calltouch's session, without one (Calltouch's script blocked, or not
 * there yet): its Calltouch letters wait while the rest are delivered, until `letters` wait; then one batch is
 * timed. The calls are made a batch at a time, each delivered elsewhere before the next, as the outbox holds 100.
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 * @param {Plan} plan
 * @returns {Promise<{backlog: Timing, stored: {keys: number, chars: number}}>}
 */
export async function sessionRun(bench, contender, lane, plan) {
  const { context, page, note } = await open(bench, contender, lane, { session: false });
  try {
    // Events a call sends elsewhere than to Calltouch (eSputnik's), which go out meanwhile.
    const others = contender.eventsPerCall - 1;
    const delivered = (/** @type {number} */ made, /** @type {number} */ quietMs) =>
      bench.sink.settled(lane, (lane) => lane.count >= made * others, quietMs, plan.giveUpMs);
    await page.evaluate(() => window.__bench.insert());
    let made = QUEUED;
    while (made < plan.letters) {
      await delivered(made, 0);
      const calls = Math.min(plan.size, plan.letters - made);
      await page.evaluate((n) => window.__bench.fill(n), calls);
      made += calls;
    }
    const { count } = await delivered(made, plan.quietMs);
    if (count < made * others) note(`only ${count} of ${made * others} events reached the sink while Calltouch's letters waited`);
    const stored = await page.evaluate(() => window.__bench.storage());
    const backlog = await page.evaluate((size) => window.__bench.batch(size), plan.size);
    return { backlog, stored };
  } finally {
    await context.close();
  }
}
