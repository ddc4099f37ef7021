// Google Tag Manager's sandboxed APIs for web templates, as the template in
// gtm/template.tpl uses them, over any window-like object: a plain object in
// Node (test/node/gtm-template.test.ts), the page's real window in Chromium
// (test/browser/gtm.test.ts, which loads this file as a module), happy-dom's
// in the unit tests. No Node imports: the site serves this file to pages.
//
// Semantics follow Google's API and permission references and, where those are
// silent, what Tag Manager's runtime does (read from a published gtm.js):
// - every API checks its permission and throws when the template lacks it;
//   queryPermission answers the same check without throwing;
// - values cross the sandbox boundary as copies: setInWindow and callInWindow
//   store deep copies in the page, copyFromWindow hands the template a copy;
// - setInWindow leaves an existing value alone unless overrideExisting is true,
//   and sets nothing when the parent path is missing;
// - createArgumentsQueue(fnKey, arrayKey): if window[fnKey] is already a
//   function, returns a function that calls it and creates nothing; otherwise it
//   sets window[fnKey] to a function that pushes its `arguments` object with
//   `array.push(arguments)` onto the array at arrayKey (created when missing;
//   the array is looked up once, at creation), and returns a function calling it;
// - injectScript loads a URL once per cacheToken: later calls with the token
//   wait for that load, or succeed at once after it;
// - logToConsole writes only where the logging permission allows it (its
//   "debug" environment is preview mode) and is never an error otherwise.
// APIs the template does not use are not emulated: require() of one throws, so
// a template change that needs more fails here until it is added faithfully.

/** @typedef {{read: boolean, write: boolean, execute: boolean}} GlobalAccess */
/**
 * What ___WEB_PERMISSIONS___ grants.
 * @typedef {{injectScript: string[], globals: Map<string, GlobalAccess>, logging: 'debug' | 'all' | null}} Policy
 */
/** @typedef {(url: string, onSuccess: () => void, onFailure: () => void) => void} ScriptLoader */
/** @typedef {(...values: unknown[]) => void} ConsoleSink */

/**
 * @typedef {{type: number, string?: string, boolean?: boolean, listItem?: PermissionValue[],
 *   mapKey?: PermissionValue[], mapValue?: PermissionValue[]}} PermissionValue
 * @typedef {{instance: {key: {publicId: string}, param?: {key: string, value: PermissionValue}[]}}} PermissionEntry
 */

/**
 * Reads the exported ___WEB_PERMISSIONS___ JSON into a policy.
 * @param {PermissionEntry[]} entries
 * @returns {Policy}
 */
export function parsePermissions(entries) {
  /** @type {Policy} */
  const policy = { injectScript: [], globals: new Map(), logging: null };
  for (const { instance } of entries) {
    /** @param {string} key */
    const param = (key) => instance.param?.find((p) => p.key === key)?.value;
    switch (instance.key.publicId) {
      case 'inject_script':
        policy.injectScript = (param('urls')?.listItem ?? []).map((item) => String(item.string));
        break;
      case 'access_globals':
        for (const item of param('keys')?.listItem ?? []) {
          /** @type {Record<string, string | boolean | undefined>} */
          const fields = {};
          (item.mapKey ?? []).forEach((k, i) => (fields[String(k.string)] = item.mapValue?.[i]?.string ?? item.mapValue?.[i]?.boolean));
          policy.globals.set(String(fields.key), { read: fields.read === true, write: fields.write === true, execute: fields.execute === true });
        }
        break;
      case 'logging': {
        const environments = param('environments')?.string;
        policy.logging = environments === 'all' ? 'all' : 'debug';
        break;
      }
      default:
        throw new Error(`permission ${instance.key.publicId} is not emulated`);
    }
  }
  return policy;
}

/**
 * A URL match pattern of the inject_script permission: scheme and host must
 * match (a host may start with `*.` for any subdomain), the port must match,
 * and the path with its query is compared with `*` matching any run of
 * characters. The fragment never reaches the server and is not compared.
 * @param {string} pattern
 * @param {string} url
 */
export function urlMatches(pattern, url) {
  const p = new URL(pattern.replace('://*.', '://wildcard.'));
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const anySubdomain = pattern.includes('://*.');
  const host = anySubdomain ? p.hostname.slice('wildcard.'.length) : p.hostname;
  if (p.protocol !== u.protocol || p.port !== u.port) return false;
  if (anySubdomain ? !(u.hostname === host || u.hostname.endsWith('.' + host)) : u.hostname !== host) return false;
  const glob = (p.pathname + p.search).split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${glob}$`).test(u.pathname + u.search);
}

/**
 * The sandbox's type names (getType).
 * @param {unknown} value
 */
export function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * A deep copy across the sandbox boundary. Functions pass as they are (the
 * runtime wraps them; calling one does what calling the original does);
 * an `arguments` object arrives as the array it holds.
 * @param {unknown} value
 * @param {Set<object>} [seen]
 * @returns {unknown}
 */
export function copyValue(value, seen = new Set()) {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) throw new Error('a value with a cycle cannot cross the sandbox boundary');
  seen.add(value);
  const isArguments = Object.prototype.toString.call(value) === '[object Arguments]';
  const copy = Array.isArray(value) || isArguments
    ? Array.from(/** @type {ArrayLike<unknown>} */ (value), (item) => copyValue(item, seen))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v, seen)]));
  seen.delete(value);
  return copy;
}

/**
 * The APIs over `win`.
 * @param {{win: Record<string, unknown>, policy: Policy, loadScript: ScriptLoader, console: ConsoleSink,
 *   previewMode?: boolean, checkPermissions?: boolean}} options
 *   loadScript: how injectScript loads a URL (a script element in a page; a recorder in Node);
 *   previewMode: whether the container runs in preview (debug) mode, where "debug" logging is on;
 *   checkPermissions: false for the code of the template's own tests, which the policy does not cover
 */
export function createGtmApis({ win, policy, loadScript, console: sink, previewMode = true, checkPermissions = true }) {
  /**
   * @param {string} permission
   * @param {unknown[]} args
   */
  const allowed = (permission, ...args) => {
    switch (permission) {
      case 'access_globals': {
        const [mode, key] = /** @type {[string, string]} */ (args);
        const access = policy.globals.get(key);
        if (!access) return false;
        if (mode === 'readwrite') return access.read && access.write;
        return mode === 'read' || mode === 'write' || mode === 'execute' ? access[mode] : false;
      }
      case 'inject_script':
        return policy.injectScript.some((pattern) => urlMatches(pattern, String(args[0])));
      case 'logging':
        return policy.logging === 'all' || (policy.logging === 'debug' && previewMode);
      default:
        return false;
    }
  };
  /**
   * @param {string} permission
   * @param {unknown[]} args
   */
  const assertAllowed = (permission, ...args) => {
    if (checkPermissions && !allowed(permission, ...args)) {
      throw new Error(`The template lacks permission ${permission} for ${args.map((a) => JSON.stringify(a)).join(', ')}`);
    }
  };

  /**
   * The object holding the last key of `path`, and that key; no parent when a step is missing.
   * @param {string} path
   * @returns {{parent: Record<string, unknown> | undefined, key: string}}
   */
  const locate = (path) => {
    const keys = path.split('.');
    const key = /** @type {string} */ (keys.pop());
    /** @type {unknown} */
    let parent = win;
    for (const step of keys) {
      parent = parent == null ? undefined : /** @type {Record<string, unknown>} */ (parent)[step];
    }
    return { parent: parent == null ? undefined : /** @type {Record<string, unknown>} */ (parent), key };
  };
  /** @param {string} path */
  const read = (path) => {
    const { parent, key } = locate(path);
    return parent?.[key];
  };
  /** @param {string} path */
  const parentOrThrow = (path) => {
    const { parent, key } = locate(path);
    if (!parent) throw new Error(`Path ${path} does not exist.`);
    return { parent, key };
  };

  /** @type {Map<string, {state: 'loading' | 'loaded', onSuccess: (() => void)[], onFailure: (() => void)[]}>} */
  const cached = new Map();

  /** @type {Record<string, Function>} */
  const apis = {
    /**
     * @param {string} path
     * @param {unknown[]} args
     */
    callInWindow(path, ...args) {
      assertAllowed('access_globals', 'execute', path);
      const { parent, key } = locate(path);
      const fn = parent?.[key];
      if (typeof fn !== 'function') return undefined;
      return copyValue(fn.apply(parent, args.map((arg) => copyValue(arg))));
    },
    /** @param {string} path */
    copyFromWindow(path) {
      assertAllowed('access_globals', 'read', path);
      return copyValue(read(path));
    },
    /**
     * @param {string} path
     * @param {unknown} value
     * @param {boolean} [overrideExisting]
     */
    setInWindow(path, value, overrideExisting) {
      assertAllowed('access_globals', 'write', path);
      const { parent, key } = locate(path);
      if (!parent || (parent[key] !== undefined && overrideExisting !== true)) return false;
      parent[key] = copyValue(value);
      return true;
    },
    /**
     * @param {string} fnKey
     * @param {string} arrayKey
     */
    createArgumentsQueue(fnKey, arrayKey) {
      assertAllowed('access_globals', 'readwrite', fnKey);
      assertAllowed('access_globals', 'readwrite', arrayKey);
      const fnAt = parentOrThrow(fnKey);
      const existing = fnAt.parent[fnAt.key];
      if (existing !== undefined && typeof existing !== 'function') return null;
      if (typeof existing === 'function') {
        return (/** @type {unknown[]} */ ...args) => existing(...args.map((arg) => copyValue(arg)));
      }
      /** @type {{push(args: IArguments): unknown}} */
      let array = { push: () => 0 };
      // A plain function, not an arrow: the queue holds `arguments` objects, as Tag Manager's does.
      const queue = function () {
        array.push(arguments);
      };
      fnAt.parent[fnAt.key] = queue;
      const arrayAt = parentOrThrow(arrayKey);
      if (arrayAt.parent[arrayAt.key] === undefined) arrayAt.parent[arrayAt.key] = [];
      array = /** @type {{push(args: IArguments): unknown}} */ (arrayAt.parent[arrayAt.key]);
      return (/** @type {unknown[]} */ ...args) => queue(...args.map((arg) => copyValue(arg)));
    },
    /**
     * @param {string} url
     * @param {() => void} [onSuccess]
     * @param {() => void} [onFailure]
     * @param {string} [cacheToken]
     */
    injectScript(url, onSuccess = () => {}, onFailure = () => {}, cacheToken) {
      assertAllowed('inject_script', url);
      if (cacheToken === undefined) return loadScript(url, onSuccess, onFailure);
      const entry = cached.get(cacheToken);
      if (entry?.state === 'loaded') return void queueMicrotask(onSuccess);
      if (entry) return void (entry.onSuccess.push(onSuccess), entry.onFailure.push(onFailure));
      /** @type {{state: 'loading' | 'loaded', onSuccess: (() => void)[], onFailure: (() => void)[]}} */
      const created = { state: 'loading', onSuccess: [onSuccess], onFailure: [onFailure] };
      cached.set(cacheToken, created);
      loadScript(url, () => {
        created.state = 'loaded';
        created.onSuccess.forEach((callback) => callback());
      }, () => {
        // A failed load may be tried again by a later tag.
        cached.delete(cacheToken);
        created.onFailure.forEach((callback) => callback());
      });
    },
    /** @param {unknown[]} values */
    logToConsole(...values) {
      if (allowed('logging')) sink(...values.map((value) => copyValue(value)));
    },
    /**
     * @param {string} permission
     * @param {unknown[]} args
     */
    queryPermission(permission, ...args) {
      return allowed(permission, ...args);
    },
    getType: typeOf,
    /** @param {unknown} value */
    makeInteger(value) {
      return Math.trunc(Number(value));
    },
    /** @param {unknown} value */
    makeString(value) {
      return String(value);
    },
  };
  return apis;
}

/**
 * require() for sandboxed code: the named API, or an error naming one that is
 * not emulated.
 * @param {Record<string, Function>} apis
 */
export function requireFrom(apis) {
  return (/** @type {string} */ name) => {
    if (!Object.hasOwn(apis, name)) throw new Error(`require('${name}'): not emulated by test/support/gtm-apis.mjs`);
    return apis[name];
  };
}
