// The rules every stand-in schema is written in: exact key sets, typed checks, and readable
// `path: expected …, got …` errors.

/**
 * Pushes `path.key: missing` or `path.key: expected …, got …` unless test passes.
 * @param {Record<string, unknown>} object
 * @param {string} key
 * @param {(value: unknown) => boolean} test
 * @param {string} expected
 * @param {string[]} errors
 * @param {string} [path]
 */
export function check(object, key, test, expected, errors, path = '') {
  const where = path ? `${path}.${key}` : key;
  if (!Object.hasOwn(object, key)) errors.push(`${where}: missing (expected ${expected})`);
  else if (!test(object[key])) errors.push(`${where}: expected ${expected}, got ${describe(object[key])}`);
}

/**
 * A short, unambiguous rendering: "2" (string) differs from 2 (number).
 * @param {unknown} v
 */
export function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : 'array';
  return typeof v;
}

/**
 * @param {Record<string, unknown>} object
 * @param {string[]} allowed
 * @param {string} prefix
 * @param {string[]} errors
 */
export function exactKeys(object, allowed, prefix, errors) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) errors.push(`${prefix}${key}: unexpected key`);
  }
}

/** @param {unknown} v */
export function isNonEmptyString(v) {
  return typeof v === 'string' && v.length > 0;
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
export function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
