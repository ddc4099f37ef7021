// The in-page half of the benchmark. `harness` is not called in Node: its source is inlined as the first script of
// every benchmark page, so it must be self-contained. It installs `window.__bench`, which the contender's script
// fills in (`define`) and the Node side drives through page.evaluate.

/**
 * @typedef {object} HarnessOptions
 * @property {string} sink the sink's origin
 * @property {string} lane this page's lane on the sink
 */

/**
 * @typedef {object} Definition what a contender's page script hands the harness
 * @property {() => void} insert installs the tag as its documentation says and makes the queued calls (for
 *   ecomtag before its bundle has arrived; for the peers, which have no queue before load, at their load event)
 * @property {(i: number) => unknown} call makes the contender's i-th call
 * @property {number} queued calls `insert` makes
 * @property {number} eventsPerCall events each call brings to the sink (0 on the empty page)
 */

/**
 * @typedef {object} Timing milliseconds per call of one batch
 * @property {number} task the calling task: the calls and the microtasks they queued
 * @property {number} returned until the calls had returned, without their microtasks
 */

/** @param {HarnessOptions} options */
export function harness({ sink, lane }) {
  const now = () => performance.now();
  /** @type {Definition} */
  let contender = { insert: () => undefined, call: () => undefined, queued: 0, eventsPerCall: 0 };
  let made = 0;

  /**
   * Resolves once the sink holds an event for each call made, or none has come for `quietMs`.
   * @param {number} quietMs
   */
  const drain = async (quietMs) => {
    const response = await fetch(`${sink}/wait/${lane}?n=${bench.expected}&quiet=${quietMs}`);
    return /** @type {{count: number}} */ (await response.json()).count;
  };
  // A batch is timed in a task of its own, a message event with two listeners: the first makes the calls, the
  // second reads the clock. The browser runs the microtask queue to empty between two listeners of an event it
  // dispatches, so the time includes every microtask the calls queued (ecomtag's delivery starts from one), as a
  // click handler pays it before the next paint; timers and answers that come later are not the calling task's.
  const channel = new MessageChannel();
  /** @type {{size: number, start: number, returned: number, resolve: (timing: Timing) => void} | undefined} */
  let pending;
  channel.port1.addEventListener('message', () => {
    if (!pending) return;
    pending.start = now();
    for (let i = 0; i < pending.size; i++) contender.call(made + i);
    pending.returned = now();
  });
  channel.port1.addEventListener('message', () => {
    if (!pending) return;
    const { size, start, returned, resolve } = pending;
    pending = undefined;
    made += size;
    resolve({ task: (now() - start) / size, returned: (returned - start) / size });
  });
  channel.port1.start();
  /**
   * `size` calls in one task, timed together.
   * @param {number} size
   * @returns {Promise<Timing>}
   */
  const batch = (size) =>
    new Promise((resolve) => {
      pending = { size, start: 0, returned: 0, resolve };
      channel.port2.postMessage(0);
    });

  const bench = {
    /** @param {Definition} definition */
    define(definition) {
      contender = definition;
    },
    /** The tag goes in, with its queued calls. */
    insert() {
      made += contender.queued;
      contender.insert();
    },
    get made() {
      return made;
    },
    /** Events the sink should have by now. */
    get expected() {
      return made * contender.eventsPerCall;
    },
    /**
     * `count` calls in batches of `size`; each batch is timed alone, then the sink is waited for, so every batch
     * starts with the contender's outbox empty, as a shopper's calls do, and each goes at the pace it sustains.
     * @param {{count: number, size: number}} options
     * @returns {Promise<Timing[]>} one per batch
     */
    async batches({ count, size }) {
      /** @type {Timing[]} */
      const perCall = [];
      for (let done = 0; done < count; done += size) {
        perCall.push(await batch(size));
        await drain(2000);
      }
      return perCall;
    },
    /** One timed batch, nothing waited for: calls made while letters wait. */
    batch,
    /**
     * `n` calls in one task, untimed: letters for an outbox whose collector refuses them.
     * @param {number} n
     */
    fill(n) {
      for (let i = 0; i < n; i++) contender.call(made + i);
      made += n;
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
