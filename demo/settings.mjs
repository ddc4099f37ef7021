// What the inspector's switches set: the eSputnik format the store's pages are configured with, how the
// stand-in Calltouch script behaves, and which stand-in collector is failing. Pages read the settings when
// they are served, so a change applies from the next page the shopper opens.

/** @typedef {'tracker' | 'event'} Format */
/**
 * `503`: every request answered 503; `timeout`: left unanswered until the tag gives up;
 * `unreachable`: the port is closed.
 * @typedef {'up' | '503' | 'timeout' | 'unreachable'} Outage
 */
/** @typedef {'calltouch' | 'esputnik'} Service */

/**
 * @typedef {object} Settings
 * @property {Format} format
 * @property {{script: boolean, sessionDelaySeconds: number}} calltouch
 *   script: whether pages load the stand-in Calltouch script at all; sessionDelaySeconds: how long after a page
 *   loads it creates the visitor's session
 * @property {Record<Service, Outage>} outages
 */

export const FORMATS = /** @type {const} */ (['tracker', 'event']);
export const OUTAGES = /** @type {const} */ (['up', '503', 'timeout', 'unreachable']);
export const SERVICES = /** @type {const} */ (['calltouch', 'esputnik']);
const MAX_SESSION_DELAY_SECONDS = 600;

/**
 * @param {number} sessionDelaySeconds
 * @returns {Settings}
 */
export const defaultSettings = (sessionDelaySeconds) => ({
  format: 'tracker',
  calltouch: { script: true, sessionDelaySeconds },
  outages: { calltouch: 'up', esputnik: 'up' },
});

/**
 * The settings with `patch` applied: any subset of the same shape, e.g. `{outages: {calltouch: '503'}}`.
 * @param {Settings} current
 * @param {unknown} patch
 * @returns {{settings: Settings, errors: string[]}} errors name what was refused; then `settings` is `current`
 */
export function applyPatch(current, patch) {
  /** @type {string[]} */
  const errors = [];
  if (!isObject(patch)) return { settings: current, errors: ['expected a JSON object'] };
  const next = structuredClone(current);
  for (const key of Object.keys(patch)) if (!['format', 'calltouch', 'outages'].includes(key)) errors.push(`unknown setting: ${key}`);

  if (patch.format !== undefined) {
    if (FORMATS.includes(/** @type {Format} */ (patch.format))) next.format = /** @type {Format} */ (patch.format);
    else errors.push(`format: expected one of ${FORMATS.join(', ')}`);
  }
  if (patch.calltouch !== undefined) {
    const { script, sessionDelaySeconds } = isObject(patch.calltouch) ? patch.calltouch : {};
    if (!isObject(patch.calltouch)) errors.push('calltouch: expected an object');
    if (script !== undefined) {
      if (typeof script === 'boolean') next.calltouch.script = script;
      else errors.push('calltouch.script: expected true or false');
    }
    if (sessionDelaySeconds !== undefined) {
      const seconds = sessionDelaySeconds;
      if (typeof seconds === 'number' && seconds >= 0 && seconds <= MAX_SESSION_DELAY_SECONDS) next.calltouch.sessionDelaySeconds = seconds;
      else errors.push(`calltouch.sessionDelaySeconds: expected a number of seconds from 0 to ${MAX_SESSION_DELAY_SECONDS}`);
    }
  }
  if (patch.outages !== undefined) {
    if (!isObject(patch.outages)) errors.push('outages: expected an object');
    else {
      for (const [service, outage] of Object.entries(patch.outages)) {
        if (!SERVICES.includes(/** @type {Service} */ (service))) errors.push(`outages: unknown service ${service}`);
        else if (!OUTAGES.includes(/** @type {Outage} */ (outage))) errors.push(`outages.${service}: expected one of ${OUTAGES.join(', ')}`);
        else next.outages[/** @type {Service} */ (service)] = /** @type {Outage} */ (outage);
      }
    }
  }
  return errors.length ? { settings: current, errors } : { settings: next, errors };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
