// Preloaded into a relay process (`node --expose-gc --import <this file> dist/relay.mjs`) by startRelay's
// `probe` option: answers a `memory` message on the IPC channel with the process's memory after a full garbage
// collection and the count of its open handles by kind. The relay itself is the unchanged dist/relay.mjs.

/**
 * @typedef {object} ProbeReading
 * @property {number} heapUsed  bytes of live JavaScript objects after a full collection
 * @property {number} external  bytes of memory outside the heap held by objects in it (Buffers among them)
 * @property {number} arrayBuffers  bytes of ArrayBuffers and Buffers, a part of external
 * @property {number} rss  the process's resident set, in bytes
 * @property {Record<string, number>} resources  open handles and requests by kind (TCPSocketWrap, Timeout, …)
 */

const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('relay-probe.mjs needs node --expose-gc');
if (typeof process.send !== 'function') throw new Error('relay-probe.mjs needs an IPC channel (spawn with stdio "ipc")');

/** Collections per reading; what is still garbage after one is gone after a few (see read). */
const ROUNDS = 8;

/** @returns {Promise<ProbeReading>} */
const read = async () => {
  // One collection leaves some garbage behind: finalizers and weak callbacks (undici's, node:http's) run after
  // it and free more, and timers of requests just answered (undici's coarse timers) are let go a tick later. So
  // several collections a few milliseconds apart, and the smallest heap seen: garbage only ever adds to it.
  /** @type {NodeJS.MemoryUsage | undefined} */
  let least;
  for (let round = 0; round < ROUNDS; round++) {
    gc();
    const usage = process.memoryUsage();
    if (!least || usage.heapUsed < least.heapUsed) least = usage;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const { heapUsed, external, arrayBuffers, rss } = /** @type {NodeJS.MemoryUsage} */ (least);
  /** @type {Record<string, number>} */
  const resources = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  return { heapUsed, external, arrayBuffers, rss, resources };
};

process.on('message', (message) => {
  if (message !== 'memory') return;
  read().then((reading) => process.send?.({ memory: reading }));
});
// The channel must not keep a relay alive that is meant to exit (a failed start, the end of a shutdown).
process.channel?.unref();
