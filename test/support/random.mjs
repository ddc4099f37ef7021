// A seeded pseudo-random generator for the randomised browser trials: the
// seed is printed, and the same seed replays the same choices.

/**
 * The seed named by `envName` (a whole number), else a fresh one; printed
 * either way so that a failing run can be replayed with `envName=<seed>`.
 * @param {string} envName
 * @returns {number}
 */
export function seedFrom(envName) {
  const given = process.env[envName];
  const seed = given === undefined || given === '' ? Math.floor(Math.random() * 2 ** 32) : Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new Error(`${envName} must be a whole number below 2^32, got ${given}`);
  console.log(`${envName}=${seed}`);
  return seed;
}

/**
 * mulberry32: small, fast and good enough to pick test scenarios.
 * @param {number} seed
 */
export function prng(seed) {
  let state = seed >>> 0;
  /** @returns {number} in [0, 1) */
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    /** @param {number} min @param {number} max @returns {number} a whole number in [min, max] */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => items[Math.floor(next() * items.length)],
    /** @param {number} p @returns {boolean} true with probability p */
    chance: (p) => next() < p,
  };
}

/**
 * The seed of trial `index` of a run: each trial draws from its own stream,
 * so one trial replays alone with the same choices.
 * @param {number} seed
 * @param {number} index
 */
export function trialSeed(seed, index) {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}
