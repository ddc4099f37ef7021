// The in-page half of the benchmark. `harness` is not called in Node: its source is inlined as the first script of
// every benchmark page, so it must be self-contained. It installs `window.__bench`, which the contender's scripts
// and the Node side use.

/**
 * @typedef {object} HarnessOptions
 * @property {string} sink the sink's origin
 * @property {string} lane this page's lane on the sink
 * @property {string} bundle the contender's script URL (path), whose Resource Timing entry starts the clock
 * @property {number} requests how many requests to the sink mark the queued calls as handled
 * @property {number} eventsPerCall events each call should bring to the sink (0 for the empty baseline page)
 */

/**
 * Timing of evaluation + initialisation: the clock starts when the bundle's last byte has arrived (its Resource
 * Timing `responseEnd`) and stops when the contender has handled the calls queued before it: its calls have
 * returned (`returned()`: for ecomtag the bundle's `load` event, which follows its replay and the microtasks it
 * queued) and it has issued `requests` requests to the sink, seen through a wrapper around `fetch` and
 * `sendBeacon`. Time spent in the page before the bundle (the snippet, and ecomtag's queued calls) is added (`pre`).
 * @param {HarnessOptions} options
 */
export function harness({ sink, lane, bundle, requests, eventsPerCall }) {
  const now = () => performance.now();
  // The harness's own requests (waiting for the sink) bypass the wrapper and are not counted.
  const fetchAsIs = window.fetch.bind(window);
  const beaconAsIs = navigator.sendBeacon.bind(navigator);
  /** @type {number[]} */
  const sent = [];
  let pre = 0;
  let preStart = 0;
  /** @type {number | undefined} */
  let returnedAt;
  /** @typedef {{ms: number, pre: number, error?: string}} Init */
  /** @type {Init | undefined} */
  let init;
  /** @type {(value: Init) => void} */
  let initialised = () => undefined;
  /** @type {Promise<Init>} */
  const initDone = new Promise((resolve) => (initialised = resolve));
  let made = 0;
  let delivered = 0;
  /** @type {(i: number) => unknown} */
  let call = () => undefined;

  const check = () => {
    if (init || returnedAt === undefined || sent.length < requests) return;
    const entry = /** @type {PerformanceResourceTiming | undefined} */ (performance.getEntriesByName(new URL(bundle, location.href).href)[0]);
    const end = requests ? Math.max(returnedAt, sent[requests - 1]) : returnedAt;
    // Never thrown: this may run inside the contender's own fetch call.
    init = entry ? { ms: pre + end - entry.responseEnd, pre } : { ms: NaN, pre, error: `no Resource Timing entry for ${bundle}` };
    initialised(init);
  };
  /** @param {unknown} input */
  const watch = (input) => {
    // Only the first `requests` matter: after them the wrapper costs a comparison, and keeps nothing that
    // would grow the heap the benchmark measures.
    if (sent.length >= requests) return;
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
    if (url.indexOf(sink) === 0) {
      sent.push(now());
      check();
    }
  };
  window.fetch = function (input, options) {
    watch(input);
    return fetchAsIs(input, options);
  };
  navigator.sendBeacon = function (url, data) {
    watch(url);
    return beaconAsIs(url, data);
  };

  /**
   * Resolves once the sink holds an event for each call made, or none has come for `quietMs`.
   * @param {number} quietMs
   */
  const drain = async (quietMs) => {
    const response = await fetchAsIs(`${sink}/wait/${lane}?n=${bench.expected}&quiet=${quietMs}`);
    delivered = /** @type {{count: number}} */ (await response.json()).count;
    return delivered;
  };
  const bench = {
    /** The page starts on the contender before its bundle has arrived (its snippet; ecomtag's queued calls)... */
    startPre() {
      preStart = now();
    },
    /** ...and is done with it. */
    endPre() {
      pre = now() - preStart;
    },
    /** The calls queued before load have returned. */
    returned() {
      returnedAt = now();
      check();
    },
    /** @param {number} n calls the contender has been given so far (the queued ones) */
    queued(n) {
      made = n;
    },
    /** @param {(i: number) => unknown} f makes the contender's i-th call */
    setCall(f) {
      call = f;
    },
    /** Resolves with the timing once the queued calls are handled (awaited, not polled: polling costs CPU). */
    whenInitialised() {
      return initDone;
    },
    get made() {
      return made;
    },
    /** Events the sink should have by now. */
    get expected() {
      return made * eventsPerCall;
    },
    get delivered() {
      return delivered;
    },
    drain,
    /**
     * `count` calls in batches of `size`; each batch is timed alone, then the sink is waited for, so every
     * batch starts with the contender's queue empty, as a shopper's calls do, and each contender goes at the
     * pace it can sustain.
     * @param {{count: number, size: number}} options
     * @returns {Promise<number[]>} milliseconds per call, one entry per batch
     */
    async batches({ count, size }) {
      /** @type {number[]} */
      const perCall = [];
      for (let done = 0; done < count; done += size) {
        const start = now();
        for (let i = 0; i < size; i++) call(made + i);
        perCall.push((now() - start) / size);
        made += size;
        await drain(2000);
      }
      return perCall;
    },
    /**
     * `n` calls in one task, as fast as a loop can make them: more than any queue drains meanwhile. Returns
     * what localStorage holds in the next task, once the microtasks the calls queued have stored what they
     * store, and before any answer from the sink can have removed something.
     * @param {number} n
     */
    async burst(n) {
      for (let i = 0; i < n; i++) call(made + i);
      made += n;
      await new Promise((resolve) => setTimeout(resolve, 0));
      return bench.storage();
    },
    /** What the contender keeps in localStorage: keys and UTF-16 code units of keys and values. */
    storage() {
      let chars = 0;
      const keys = Object.keys(localStorage);
      for (const key of keys) chars += key.length + (localStorage.getItem(key) || '').length;
      return { keys: keys.length, chars };
    },
  };
  Object.defineProperty(window, '__bench', { value: bench });
  return bench;
}

/** @typedef {ReturnType<typeof harness>} Bench */
