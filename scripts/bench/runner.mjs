// The Node half of one benchmark run of one contender: a fresh browser context (so storage, cookies and the
// renderer process are new), the page, then one phase after another, driven through page.evaluate and CDP.
import { pageHtml } from './contenders.mjs';

/** @typedef {import('./contenders.mjs').Contender} Contender */
/**
 * @typedef {object} Bench
 * @property {import('playwright-core').Browser} browser
 * @property {import('../../test/support/site.mjs').Site} site
 * @property {import('./sink.mjs').Sink} sink
 * @property {Set<string>} notes anything that went wrong, printed under the tables
 * @property {number} requests requests the pages made; every one must go to 127.0.0.1
 */

/** performance.now() is coarsened to 100 µs unless the page is cross-origin isolated; then it is 5 µs. */
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const WAIT_MS = 60000;

/**
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 */
async function open(bench, contender, lane) {
  const context = await bench.browser.newContext();
  if (contender.cookies) await context.addCookies(contender.cookies(bench.site.url));
  const page = await context.newPage();
  const note = (/** @type {string} */ text) => bench.notes.add(`${contender.name}: ${text}`);
  page.on('console', (message) => {
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
 * Evaluation + initialisation with the queued calls.
 * @param {import('playwright-core').Page} page
 */
async function handled(page) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the queued calls were not handled within ${WAIT_MS} ms`)), WAIT_MS);
  });
  const init = await Promise.race([page.evaluate(() => window.__bench.whenInitialised()), timeout]).finally(() => clearTimeout(timer));
  if (init.error) throw new Error(init.error);
  return init;
}

/**
 * Evaluation + initialisation with the queued calls; then waits for the sink to have them.
 * @param {import('playwright-core').Page} page
 * @param {(text: string) => void} note
 */
async function initialise(page, note) {
  const init = await handled(page);
  await delivered(page, note);
  return init;
}

/**
 * Waits for the sink to have an event for every call made so far; notes a shortfall.
 * @param {import('playwright-core').Page} page
 * @param {(text: string) => void} note
 */
async function delivered(page, note) {
  const count = await page.evaluate(() => window.__bench.drain(5000));
  const expected = await page.evaluate(() => window.__bench.expected);
  if (count < expected) note(`only ${count} of ${expected} events reached the sink`);
}

/**
 * Main-thread CPU time of the renderer so far (CDP Performance.getMetrics ThreadTime), in ms.
 * @param {import('playwright-core').CDPSession} cdp
 */
async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const found = metrics.find((metric) => metric.name === 'ThreadTime');
  if (!found) throw new Error('Performance.getMetrics has no ThreadTime');
  return found.value * 1000;
}

/**
 * The JS heap in use after a full garbage collection, in bytes.
 * @param {import('playwright-core').CDPSession} cdp
 */
async function heapAfterGc(cdp) {
  // Twice: the first collection may leave garbage that finalizers of the first released.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/**
 * Load with the queued calls, and nothing else: one more evaluation + initialisation sample, and the renderer's
 * main-thread CPU time from its start to the moment the queued calls are handled (for the empty page: its load
 * event). The sink holds its answers meanwhile, so no contender has handled an answer yet.
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 */
export async function initRun(bench, contender, lane) {
  bench.sink.hold(lane);
  const { context, page, cdp } = await open(bench, contender, lane);
  try {
    const init = contender.file ? await handled(page) : undefined;
    return { init, cpuMs: await threadTime(cdp) };
  } finally {
    bench.sink.release(lane);
    await context.close();
  }
}

/**
 * Load with the queued calls, then `warmup` calls untimed and `calls` timed, in batches of `size`.
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 * @param {{warmup: number, calls: number, size: number}} plan
 */
export async function callRun(bench, contender, lane, { warmup, calls, size }) {
  const { context, page, cdp, note } = await open(bench, contender, lane);
  try {
    const init = contender.file ? await initialise(page, note) : undefined;
    await page.evaluate((options) => window.__bench.batches(options), { count: warmup, size });
    const before = await threadTime(cdp);
    const perCall = await page.evaluate((options) => window.__bench.batches(options), { count: calls, size });
    const cpuMs = (await threadTime(cdp)) - before;
    await delivered(page, note);
    return { init, perCall, cpuMs };
  } finally {
    await context.close();
  }
}

/**
 * The heap after load and at each checkpoint (calls made so far, the queued ones included), in batches of `size`
 * delivered before the next; then a burst of `burst` calls in one task, and what localStorage holds right after.
 * @param {Bench} bench
 * @param {Contender} contender
 * @param {string} lane
 * @param {{checkpoints: number[], size: number, burst: number}} plan
 */
export async function heapRun(bench, contender, lane, { checkpoints, size, burst }) {
  const { context, page, cdp, note } = await open(bench, contender, lane);
  try {
    await initialise(page, note);
    const heap = [await heapAfterGc(cdp)];
    for (const total of checkpoints) {
      const made = await page.evaluate(() => window.__bench.made);
      await page.evaluate((options) => window.__bench.batches(options), { count: total - made, size });
      await delivered(page, note);
      heap.push(await heapAfterGc(cdp));
    }
    const made = await page.evaluate(() => window.__bench.made);
    const deliveredBefore = await page.evaluate(() => window.__bench.delivered);
    const stored = await page.evaluate((n) => window.__bench.burst(n), burst);
    const deliveredAfter = await page.evaluate(() => window.__bench.drain(1000));
    return { heap, made, delivered: deliveredBefore, burst: { calls: burst, stored, delivered: deliveredAfter - deliveredBefore } };
  } finally {
    await context.close();
  }
}
