// Runs gtm/template.tpl outside Tag Manager, for CI: reads the exported
// template's sections, checks its sandboxed JavaScript stays inside the subset
// Tag Manager runs, runs that code in Node's vm against the APIs of
// ./gtm-apis.mjs (permissions enforced from ___WEB_PERMISSIONS___), and runs the
// template's own ___TESTS___ with a small implementation of Tag Manager's test
// API: runCode, mock, assertApi, assertThat, fail.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { parse as parseJs } from 'acorn';
import { parse as parseYaml } from 'yaml';
import { createGtmApis, parsePermissions, requireFrom, typeOf } from './gtm-apis.mjs';

/** @typedef {import('./gtm-apis.mjs').Policy} Policy */
/** @typedef {import('./gtm-apis.mjs').PermissionEntry} PermissionEntry */
/**
 * A field of ___TEMPLATE_PARAMETERS___ (the keys the checks read).
 * @typedef {{type: string, name: string, displayName?: string, defaultValue?: unknown, subParams?: Parameter[],
 *   simpleTableColumns?: Parameter[], valueValidators?: {type: string, args?: string[]}[],
 *   selectItems?: {value: string}[], radioItems?: {value: string}[], enablingConditions?: unknown[]}} Parameter
 */
/** @typedef {{name: string, code: string}} Scenario */
/**
 * @typedef {{sections: Record<string, string>, info: Record<string, unknown>, parameters: Parameter[],
 *   code: string, permissions: PermissionEntry[], policy: Policy, scenarios: Scenario[], setup: string}} Template
 */

export const TEMPLATE_PATH = new URL('../../gtm/template.tpl', import.meta.url);

/**
 * The exported format: `___NAME___` lines open sections, each running to the next.
 * @param {string} text
 * @returns {Template}
 */
export function parseTemplate(text) {
  /** @type {Record<string, string>} */
  const sections = {};
  const parts = text.split(/^___([A-Z_]+)___$/m);
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] in sections) throw new Error(`section ___${parts[i]}___ appears twice`);
    sections[parts[i]] = parts[i + 1].trim();
  }
  /** @param {string} name */
  const section = (name) => {
    if (!(name in sections)) throw new Error(`section ___${name}___ is missing`);
    return sections[name];
  };
  /** @param {string} name */
  const json = (name) => {
    try {
      return JSON.parse(section(name));
    } catch (error) {
      throw new Error(`section ___${name}___ is not JSON: ${error}`);
    }
  };
  const tests = parseYaml(section('TESTS'));
  const permissions = json('WEB_PERMISSIONS');
  return {
    sections,
    info: json('INFO'),
    parameters: json('TEMPLATE_PARAMETERS'),
    code: section('SANDBOXED_JS_FOR_WEB_TEMPLATE'),
    permissions,
    policy: parsePermissions(permissions),
    scenarios: tests.scenarios ?? [],
    setup: tests.setup ?? '',
  };
}

export function readTemplate() {
  return parseTemplate(readFileSync(TEMPLATE_PATH, 'utf8'));
}

/**
 * Every field, groups opened up, with table columns kept under their table.
 * @param {Parameter[]} parameters
 * @returns {Parameter[]}
 */
export function fields(parameters) {
  return parameters.flatMap((p) => (p.type === 'GROUP' ? fields(p.subParams ?? []) : [p, ...fields(p.subParams ?? [])]));
}

// The JavaScript Tag Manager's sandbox runs: ECMAScript 5.1 without `new`,
// `this` or `arguments`, plus arrow functions and const/let. Anything else in
// the template is reported here, before Tag Manager's editor would refuse it:
// the node types listed are the ones allowed.
const ALLOWED_NODES = new Set([
  'Program', 'ExpressionStatement', 'BlockStatement', 'EmptyStatement', 'ReturnStatement', 'IfStatement',
  'SwitchStatement', 'SwitchCase', 'BreakStatement', 'ContinueStatement', 'WhileStatement', 'DoWhileStatement',
  'ForStatement', 'VariableDeclaration', 'VariableDeclarator', 'FunctionDeclaration', 'FunctionExpression',
  'ArrowFunctionExpression', 'Identifier', 'Literal', 'ArrayExpression', 'ObjectExpression', 'Property',
  'MemberExpression', 'CallExpression', 'AssignmentExpression', 'BinaryExpression', 'LogicalExpression',
  'UnaryExpression', 'UpdateExpression', 'ConditionalExpression', 'SequenceExpression',
]);

/**
 * @typedef {{type: string, start: number, [key: string]: unknown}} Node
 */

/**
 * Visits every node with its parent and the key it sits under.
 * @param {Node} node
 * @param {(node: Node, parent: Node | null, key: string) => void} visit
 * @param {Node | null} [parent]
 * @param {string} [key]
 */
function walk(node, visit, parent = null, key = '') {
  visit(node, parent, key);
  for (const [childKey, value] of Object.entries(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof child.type === 'string') walk(child, visit, node, childKey);
    }
  }
}

/** @param {string} code */
function parseSandboxed(code) {
  return /** @type {Node} */ (/** @type {unknown} */ (parseJs(code, { ecmaVersion: 2015, allowReturnOutsideFunction: true, locations: true })));
}

/**
 * Whether an Identifier is a reference to a variable (not a property name).
 * @param {Node | null} parent
 * @param {string} key
 */
function isReference(parent, key) {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property') return parent.computed === true;
  if (parent.type === 'Property' && key === 'key') return parent.computed === true;
  return true;
}

/**
 * What in `code` Tag Manager's sandbox would not run: constructs outside the
 * subset, and names the code uses without declaring them (`globals` are the
 * ones the environment provides), since the sandbox has no `window`, `JSON`,
 * `Math`, `Object`, `console`…
 * @param {string} code
 * @param {string[]} globals
 * @returns {string[]} one line per problem, with its line number
 */
export function sandboxProblems(code, globals) {
  const ast = parseSandboxed(code);
  /** @type {string[]} */
  const problems = [];
  /** @param {Node} node @param {string} what */
  const report = (node, what) => problems.push(`line ${/** @type {{start: {line: number}}} */ (node.loc).start.line}: ${what}`);
  const declared = new Set(globals);
  walk(ast, (node) => {
    if (node.type === 'VariableDeclarator' || node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
      const id = /** @type {Node | null} */ (node.id);
      if (id?.type === 'Identifier') declared.add(String(id.name));
    }
    for (const param of /** @type {Node[]} */ (node.params ?? [])) if (param.type === 'Identifier') declared.add(String(param.name));
  });
  walk(ast, (node, parent, key) => {
    if (!ALLOWED_NODES.has(node.type)) return report(node, `${node.type} is outside the sandbox's subset`);
    if (node.type === 'Literal' && node.regex) report(node, 'a regular expression literal (the sandbox has no RegExp)');
    if (node.type === 'Property' && (node.kind !== 'init' || node.method || node.shorthand || node.computed)) {
      report(node, 'an ES2015 object literal form');
    }
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')
      && (node.generator || node.async)) report(node, 'a generator or async function');
    if (node.type === 'Identifier' && isReference(parent, key)) {
      if (node.name === 'arguments') report(node, '`arguments` (the sandbox has none)');
      else if (!declared.has(String(node.name))) report(node, `\`${node.name}\` is not declared and the sandbox provides no such global`);
    }
  });
  return problems;
}

/**
 * The properties `code` reads from the variable `object` by name (`data.x`, `row.y`).
 * @param {string} code
 * @param {string} object
 */
export function propertyReads(code, object) {
  /** @type {Set<string>} */
  const names = new Set();
  walk(parseSandboxed(code), (node) => {
    const target = /** @type {Node} */ (node.object);
    const property = /** @type {Node} */ (node.property);
    if (node.type === 'MemberExpression' && !node.computed && target.type === 'Identifier' && target.name === object) {
      names.add(String(property.name));
    }
  });
  return names;
}

/**
 * Runs sandboxed code as Tag Manager does, as the body of a function, here in
 * a fresh vm context; `params` become the function's parameters.
 * @param {string} code
 * @param {Record<string, unknown>} params
 * @param {string} filename
 */
export function runSandboxed(code, params, filename) {
  const names = Object.keys(params);
  const fn = runInNewContext(`(function (${names.join(', ')}) {\n${code}\n})`, {}, { filename });
  return fn(...names.map((name) => params[name]));
}

/**
 * The template's code fired once as a tag: `data` as Tag Manager passes it,
 * with gtmOnSuccess/gtmOnFailure; `apis` from createGtmApis.
 * @param {Template} template
 * @param {Record<string, unknown>} data
 * @param {Record<string, Function>} apis
 */
export function fireTag(template, data, apis) {
  return runSandboxed(template.code, { data, require: requireFrom(apis) }, 'gtm/template.tpl (sandboxed JS)');
}

/**
 * Structural equality across vm realms; functions by identity.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function deepEqual(a, b) {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  if (type === 'array') {
    const x = /** @type {unknown[]} */ (a), y = /** @type {unknown[]} */ (b);
    return x.length === y.length && x.every((item, i) => deepEqual(item, y[i]));
  }
  if (type === 'object') {
    const x = /** @type {Record<string, unknown>} */ (a), y = /** @type {Record<string, unknown>} */ (b);
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && deepEqual(x[k], y[k]));
  }
  return a === b;
}

/** @param {unknown} value */
const show = (value) => (typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : JSON.stringify(value));

/** @param {string} message */
const failure = (message) => new Error(message);

/**
 * assertThat(actual, message?): the subject methods the template's tests use.
 * @param {unknown} actual
 * @param {string} [message]
 */
function subject(actual, message) {
  /** @param {boolean} ok @param {string} expectation */
  const check = (ok, expectation) => {
    if (!ok) throw failure(`${message ? message + ': ' : ''}expected ${show(actual)} ${expectation}`);
  };
  return {
    /** @param {unknown} expected */
    isEqualTo: (expected) => check(deepEqual(actual, expected), `to equal ${show(expected)}`),
    /** @param {unknown} expected */
    isNotEqualTo: (expected) => check(!deepEqual(actual, expected), `not to equal ${show(expected)}`),
    /** @param {unknown} expected */
    isStrictlyEqualTo: (expected) => check(actual === expected, `to be ${show(expected)}`),
    isUndefined: () => check(actual === undefined, 'to be undefined'),
    isDefined: () => check(actual !== undefined, 'to be defined'),
    isTrue: () => check(actual === true, 'to be true'),
    isFalse: () => check(actual === false, 'to be false'),
    /** @param {number} length */
    hasLength: (length) => check(/** @type {{length?: unknown}} */ (Object(actual)).length === length, `to have length ${length}`),
  };
}

/** @typedef {{api: string, args: unknown[]}} ApiCall */

/**
 * Runs one scenario of ___TESTS___ (the setup code, then the scenario's), as
 * Tag Manager's test runner does: a fresh window, mocks replace APIs for the
 * template's code only, and mocked APIs skip permission checks while the real
 * ones enforce them. Throws on the first failed assertion or error.
 * @param {Template} template
 * @param {Scenario} scenario
 * @param {{policy?: Policy}} [options] another policy, to show what a missing permission does
 */
export function runScenario(template, scenario, { policy = template.policy } = {}) {
  /** @type {Record<string, unknown>} */
  const win = {};
  /** @type {ApiCall[]} */
  const calls = [];
  /** @type {Map<string, unknown>} */
  const mocks = new Map();
  // Nothing loads in the test environment: an unmocked injectScript never calls back.
  const options = { win, policy, loadScript: () => {}, console: () => {} };
  const real = requireFrom(createGtmApis(options));
  const forTests = requireFrom(createGtmApis({ ...options, checkPermissions: false }));

  /** @param {string} api */
  // Mocks are looked up at call time: a test may mock an API after the template required it.
  const templateRequire = (api) => (/** @type {unknown[]} */ ...args) => {
    calls.push({ api, args });
    if (!mocks.has(api)) return real(api)(...args);
    const mocked = mocks.get(api);
    return typeof mocked === 'function' ? mocked(...args) : mocked;
  };
  /** @param {'gtmOnSuccess' | 'gtmOnFailure'} api */
  const callback = (api) => Object.defineProperty(() => void calls.push({ api, args: [] }), 'name', { value: api });
  const outcome = { gtmOnSuccess: callback('gtmOnSuccess'), gtmOnFailure: callback('gtmOnFailure') };

  const testApi = {
    /** @param {Record<string, unknown>} data */
    runCode: (data) => runSandboxed(template.code, { data: Object.assign(data, outcome), require: templateRequire }, 'gtm/template.tpl (sandboxed JS)'),
    /** @param {string} api @param {unknown} value */
    mock: (api, value) => void mocks.set(api, value),
    /** @param {string} api */
    assertApi: (api) => {
      const made = () => calls.filter((c) => c.api === api);
      /** @param {unknown[]} expected */
      const matching = (expected) => made().some((c) => deepEqual(c.args, expected));
      const seen = () => made().map((c) => `(${c.args.map(show).join(', ')})`).join(' ') || 'never';
      return {
        wasCalled: () => { if (!made().length) throw failure(`${api} was not called`); },
        wasNotCalled: () => { if (made().length) throw failure(`${api} was called: ${seen()}`); },
        /** @param {unknown[]} expected */
        wasCalledWith: (...expected) => {
          if (!matching(expected)) throw failure(`${api} was not called with (${expected.map(show).join(', ')}); calls: ${seen()}`);
        },
        /** @param {unknown[]} expected */
        wasNotCalledWith: (...expected) => {
          if (matching(expected)) throw failure(`${api} was called with (${expected.map(show).join(', ')})`);
        },
      };
    },
    assertThat: subject,
    /** @param {string} [message] */
    fail: (message) => { throw failure(message ?? 'fail() was called'); },
    require: forTests,
  };
  runSandboxed(`${template.setup}\n${scenario.code}`, testApi, `gtm/template.tpl (test "${scenario.name}")`);
}

/** The names the code of ___TESTS___ may use without declaring them. */
export const TEST_GLOBALS = ['runCode', 'mock', 'assertApi', 'assertThat', 'fail', 'require', 'undefined'];
