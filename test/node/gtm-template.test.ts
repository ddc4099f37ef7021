import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { stub, type Globals } from '../../src/install/stub';
import { createGtmApis, parsePermissions, urlMatches, type Policy } from '../support/gtm-apis.mjs';
import {
  TEST_GLOBALS, fields, fireTag, propertyReads, readTemplate, runScenario, sandboxProblems, type Template,
} from '../support/gtm-sandbox.mjs';

// gtm/template.tpl as Tag Manager would take it: its sections, its fields and
// permissions, its sandboxed code run against emulated APIs that enforce those
// permissions, and its own ___TESTS___, so the gallery's tests run in CI too.
const template = readTemplate();
const BUNDLE = 'https://cdn.jsdelivr.net/npm/ecomtag@0.1.0/dist/ecomtag.js';
const ACCOUNTS = [
  { modId: 'abcd1234', calltouchSiteId: '12345', calltouch: 'on', esputnikSiteId: '' },
  { modId: 'efgh5678', calltouchSiteId: '67890', calltouch: 'on', esputnikSiteId: '8A412DC' },
];

type Outcome = 'success' | 'failure' | 'pending';
type Page = Record<string, unknown>;
/** The global as Tag Manager's queue leaves it: a function with the queue's properties. */
type Queue = ((...args: unknown[]) => unknown) & { q: IArguments[]; ecomtag?: number; c?: unknown };

/**
 * One page: a window, the scripts the template asked to load (each resolved by
 * the test), and console lines in preview mode.
 */
function page(policy: Policy = template.policy) {
  const win: Page = {};
  const scripts: { url: string; load(): void; fail(): void }[] = [];
  const logged: unknown[][] = [];
  const apis = createGtmApis({
    win, policy, console: (...values) => logged.push(values),
    loadScript: (url, onSuccess, onFailure) => void scripts.push({ url, load: onSuccess, fail: onFailure }),
  });
  /** Fires the tag once with the given fields; the outcome is read after the page acts. */
  const fire = (data: Record<string, unknown>) => {
    const tag = { outcome: 'pending' as Outcome };
    fireTag(template, { ...data, gtmOnSuccess: () => (tag.outcome = 'success'), gtmOnFailure: () => (tag.outcome = 'failure') }, apis);
    return tag;
  };
  return { win, scripts, logged, fire, global: (name = 'ct') => win[name] as Queue };
}

const install = (fieldsGiven: Record<string, unknown> = {}) => ({
  mode: 'install', globalName: 'ct', bundleUrl: BUNDLE, accounts: ACCOUNTS, calltouchEndpoint: '', calltouchGlobal: '',
  sessionWaitMs: '', esputnikFormat: 'tracker', esputnikEndpoint: '', currency: '', dataLayerName: '', debug: false,
  ...fieldsGiven,
});
const send = (fieldsGiven: Record<string, unknown>) => ({
  mode: 'send', globalName: 'ct', callModId: '', transactionId: '', products: undefined, productsFormat: 'ga4', ...fieldsGiven,
});
const calls = (queue: Queue) => queue.q.map((args) => Array.from(args));

describe('gtm/template.tpl, the exported format', () => {
  it('has the sections of an exported web tag template, in order', () => {
    expect(Object.keys(template.sections)).toEqual([
      'TERMS_OF_SERVICE', 'INFO', 'TEMPLATE_PARAMETERS', 'SANDBOXED_JS_FOR_WEB_TEMPLATE', 'WEB_PERMISSIONS', 'TESTS', 'NOTES',
    ]);
    expect(template.info).toMatchObject({
      type: 'TAG', id: 'cvt_temp_public_id', version: 1, securityGroups: [], containerContexts: ['WEB'],
      brand: { id: 'brand_dummy' },
    });
    expect(template.info.categories).toEqual(expect.arrayContaining(['ANALYTICS']));
    expect(String(template.info.description).length).toBeLessThanOrEqual(200);
  });

  it('names each field once; the code reads every field and no other', () => {
    const all = fields(template.parameters);
    const names = all.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    // gtmOnSuccess and gtmOnFailure are Tag Manager's own.
    const read = [...propertyReads(template.code, 'data')].filter((n) => n !== 'gtmOnSuccess' && n !== 'gtmOnFailure');
    expect(read.sort()).toEqual([...names].sort());
    const table = all.find((f) => f.type === 'SIMPLE_TABLE');
    expect([...propertyReads(template.code, 'row')].sort()).toEqual((table?.simpleTableColumns ?? []).map((c) => c.name).sort());
  });

  it('gives every field a default its own validators accept', () => {
    const everyField = fields(template.parameters).flatMap((f) => [f, ...(f.simpleTableColumns ?? [])]);
    for (const field of everyField.filter((f) => f.defaultValue !== undefined)) {
      for (const validator of field.valueValidators ?? []) {
        if (validator.type === 'REGEX') expect(String(field.defaultValue), field.name).toMatch(new RegExp(validator.args![0]));
      }
      const choices = field.selectItems ?? field.radioItems;
      if (choices) expect(choices.map((c) => c.value), field.name).toContain(field.defaultValue);
    }
  });

  it('validates mod_id, siteId and the URLs in the UI', () => {
    const regexOf = (name: string) => {
      const field = fields(template.parameters).flatMap((f) => [f, ...(f.simpleTableColumns ?? [])]).find((f) => f.name === name);
      return new RegExp(field!.valueValidators!.find((v) => v.type === 'REGEX')!.args![0]);
    };
    expect(['abcd1234', ''].filter((v) => regexOf('modId').test(v))).toEqual(['abcd1234', '']);
    expect(['ABCD1234', 'abcd123', 'abcd12345'].some((v) => regexOf('modId').test(v))).toBe(false);
    expect(['12345', ''].every((v) => regexOf('calltouchSiteId').test(v))).toBe(true);
    expect(['0', '-1', '1.5', 'x'].some((v) => regexOf('calltouchSiteId').test(v))).toBe(false);
    expect(regexOf('bundleUrl').test(BUNDLE)).toBe(true);
    expect([`http://cdn.example/ecomtag.js`, `${BUNDLE}#ct`, 'cdn.example/ecomtag.js'].some((v) => regexOf('bundleUrl').test(v))).toBe(false);
    expect(['https://shop.example/relay', '//shop.example/relay', ''].every((v) => regexOf('esputnikEndpoint').test(v))).toBe(true);
    expect(regexOf('esputnikEndpoint').test('shop.example/relay')).toBe(false);
  });

  it('asks only for the permissions it uses: the two builds on the CDN, four keys of its global, logging in preview', () => {
    expect(template.policy).toEqual({
      injectScript: ['https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js', 'https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.calltouch.js'],
      globals: new Map([
        ['ct', { read: true, write: true, execute: true }],
        ['ct.q', { read: true, write: true, execute: false }],
        ['ct.ecomtag', { read: true, write: true, execute: false }],
        ['ct.c', { read: true, write: true, execute: false }],
      ]),
      logging: 'debug',
    });
  });

  it('has gallery metadata: homepage, documentation, versions with a sha and notes', () => {
    const metadata = parseYaml(readFileSync(new URL('../../gtm/metadata.yaml', import.meta.url), 'utf8'));
    expect(metadata.homepage).toMatch(/^https:\/\//);
    expect(metadata.documentation).toMatch(/^https:\/\//);
    expect(metadata.versions.length).toBeGreaterThan(0);
    for (const version of metadata.versions) {
      expect(version.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(version.changeNotes).toMatch(/\S/);
    }
  });
});

describe('the sandboxed code', () => {
  it('stays inside the JavaScript Tag Manager runs, using only what require() gives it', () => {
    expect(sandboxProblems(template.code, ['data', 'require', 'undefined'])).toEqual([]);
  });

  it('and so do the template’s tests', () => {
    for (const scenario of template.scenarios) expect(sandboxProblems(`${template.setup}\n${scenario.code}`, TEST_GLOBALS)).toEqual([]);
  });

  it.each([
    ['const d = new Date();', 'NewExpression'],
    ['const f = function () { return this; };', 'ThisExpression'],
    ['const f = function () { return arguments; };', '`arguments`'],
    ['const s = JSON.stringify({});', '`JSON` is not declared'],
    ['window.x = 1;', '`window` is not declared'],
    ['const ok = /a/.test("a");', 'regular expression'],
    ['const s = `a${1}`;', 'TemplateLiteral'],
    ['const a = 1; const o = {a};', 'ES2015 object literal'],
    ['const f = (...xs) => xs;', 'RestElement'],
    ['const {a} = data;', 'ObjectPattern'],
  ])('refuses %s', (code, problem) => {
    expect(sandboxProblems(code, ['data']).join('\n')).toContain(problem);
  });
});

describe('the template’s own tests (___TESTS___)', () => {
  it('cover both modes, including a failed load and a refused call', () => {
    const names = template.scenarios.map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.some((n) => /^Install/.test(n) && /two accounts/.test(n))).toBe(true);
    expect(names.some((n) => /does not load/.test(n))).toBe(true);
    expect(names.some((n) => /^Send one call/.test(n))).toBe(true);
  });

  it.each(template.scenarios.map((s) => [s.name, s] as const))('%s', (_, scenario) => {
    runScenario(template, scenario);
  });

  // The runner itself: each assertion passes when it holds and throws when it does not.
  it.each([
    ["assertThat({a: [1]}).isEqualTo({a: [1]});", true],
    ["assertThat({a: [1]}).isEqualTo({a: [1], b: 2});", false],
    ["assertThat([1]).isNotEqualTo([2]);", true],
    ["assertThat([1]).isNotEqualTo([1]);", false],
    ["assertThat(1).isStrictlyEqualTo(1);", true],
    ["assertThat({}).isStrictlyEqualTo({});", false],
    ["assertThat(undefined).isUndefined(); assertThat(0).isDefined();", true],
    ["assertThat(null).isUndefined();", false],
    ["assertThat(true).isTrue(); assertThat(false).isFalse();", true],
    ["assertThat(1).isTrue();", false],
    ["assertThat('abc').hasLength(3);", true],
    ["assertThat([1, 2]).hasLength(3);", false],
    ["fail('on purpose');", false],
    ["assertApi('gtmOnSuccess').wasNotCalled(); assertApi('injectScript').wasNotCalledWith('x');", true],
    ["assertApi('gtmOnSuccess').wasCalled();", false],
    ["let seen; mock('callInWindow', (name, command) => { seen = command; }); runCode({mode: 'send', globalName: 'ct', method: 'detail'}); assertThat(seen).isEqualTo('send_ecommerce');", true],
    ["runCode({mode: 'send', globalName: 'ct', method: 'detail'}); assertApi('callInWindow').wasCalledWith('ct', 'send_ecommerce', 'detail', {products: []});", false],
  ])('runs %s: passes = %s', (code, passes) => {
    const run = () => runScenario({ ...template, setup: '' }, { name: 'runner', code });
    if (passes) run();
    else expect(run).toThrow();
  });

  it('fail when the template lacks a permission its code needs', () => {
    const globals = new Map(template.policy.globals);
    globals.delete('ct.q');
    expect(() => runScenario(template, template.scenarios[0], { policy: { ...template.policy, globals } })).toThrow(/ct\.q/);
  });

  it('fail when the code sends something else', () => {
    const broken: Template = { ...template, code: template.code.replace("'send_ecommerce', method", "'send_ecommerce', 'detail'") };
    expect(broken.code).not.toBe(template.code);
    const scenario = template.scenarios.find((s) => /maps GA4 items/.test(s.name))!;
    expect(() => runScenario(broken, scenario)).toThrow(/callInWindow was not called with/);
  });
});

describe('the template fired on a page', () => {
  it('installs a queue ecomtag recognises, with the configuration, and succeeds once the bundle loads', () => {
    const p = page();
    const tag = p.fire(install({ calltouchGlobal: 'ctw', sessionWaitMs: '2000', currency: 'USD', dataLayerName: 'dataLayer', debug: true }));
    const ct = p.global();
    expect(typeof ct).toBe('function');
    expect(ct.ecomtag).toBe(1);
    expect(ct.c).toEqual({
      accounts: [{ modId: 'abcd1234', calltouch: { siteId: 12345 } }, { modId: 'efgh5678', calltouch: { siteId: 67890 }, esputnik: { siteId: '8A412DC' } }],
      calltouch: { global: 'ctw', sessionWaitMs: 2000 },
      esputnik: { format: 'tracker' },
      currency: 'USD',
      dataLayer: 'dataLayer',
      debug: true,
    });
    // Store code calls the global before the bundle is there: the calls wait in order, as `arguments` objects.
    ct('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    ct('set_contact', { email: 'a@b.ru' });
    expect(calls(ct)).toEqual([['send_ecommerce', 'detail', { products: [{ id: 1 }] }], ['set_contact', { email: 'a@b.ru' }]]);
    expect(Object.prototype.toString.call(ct.q[0])).toBe('[object Arguments]');

    expect(p.scripts.map((s) => s.url)).toEqual([BUNDLE]);
    expect(tag.outcome).toBe('pending');
    p.scripts[0].load();
    expect(tag.outcome).toBe('success');
  });

  it('queues a send-one-call tag that fires first, and the install then completes that global', () => {
    const p = page();
    const sent = p.fire(send({ method: 'view_item', products: [{ item_id: 'A', item_name: 'Lamp', price: 10, item_category: 'Home', item_category3: 'Light' }] }));
    expect(sent.outcome).toBe('success');
    p.fire(install());
    const ct = p.global();
    expect(ct.c).toMatchObject({ accounts: [{ modId: 'abcd1234' }, { modId: 'efgh5678' }] });
    expect(calls(ct)).toEqual([['send_ecommerce', 'detail', { products: [{ id: 'A', name: 'Lamp', price: 10, category: 'Home/Light' }] }]]);
    expect(p.scripts).toHaveLength(1);
  });

  it('completes the snippet pasted without configuration or URL, keeping the calls it queued', () => {
    const p = page();
    // Page code that runs before Tag Manager has loaded: the stub alone (no URL, so no document is touched),
    // which listens for pagehide.
    Object.assign(p.win, { addEventListener: () => undefined });
    stub(p.win as unknown as Globals, undefined as unknown as Document, 'ct');
    const early = p.global();
    early('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    const tag = p.fire(install());
    expect(p.global()).toBe(early);
    expect(early.c).toMatchObject({ accounts: [{ modId: 'abcd1234' }, { modId: 'efgh5678' }] });
    expect(calls(early)).toEqual([['send_ecommerce', 'detail', { products: [{ id: 1 }] }]]);
    p.scripts[0].load();
    expect(tag.outcome).toBe('success');
  });

  it('reaches the bundle’s handler once the bundle takes the queue over', () => {
    const p = page();
    p.fire(install());
    const ct = p.global();
    // What dist/ecomtag.js does on load (src/install/global.ts): replay the queue, then take its pushes.
    const handled: unknown[][] = [];
    const handle = (args: IArguments) => void handled.push(Array.from(args));
    (ct.q as unknown as { push: typeof handle }).push = handle;
    p.fire(send({ method: 'purchase', callModId: 'efgh5678', transactionId: 'T-9', products: [{ item_id: 'A', quantity: 1, price: 10 }] }));
    ct('send_ecommerce', 'refund', { id: 'T-9' });
    expect(handled).toEqual([
      ['efgh5678', 'send_ecommerce', 'purchase', { id: 'T-9', products: [{ id: 'A', price: 10, quantity: 1 }] }],
      ['send_ecommerce', 'refund', { id: 'T-9' }],
    ]);
  });

  it('fired twice (a second install tag, an SPA’s history change), loads the bundle once and keeps the first configuration', () => {
    const p = page();
    const first = p.fire(install({ currency: 'RUB' }));
    const second = p.fire(install({ currency: 'USD' }));
    expect(p.scripts).toHaveLength(1);
    expect(p.global().c).toMatchObject({ currency: 'RUB' });
    p.scripts[0].load();
    expect([first.outcome, second.outcome]).toEqual(['success', 'success']);
  });

  it('leaves a global of another script alone and says why in preview mode', () => {
    const p = page();
    const calltouch = () => 'calltouch';
    p.win.ct = calltouch;
    const tag = p.fire(install());
    expect(p.win.ct).toBe(calltouch);
    expect(Object.keys(calltouch)).toEqual([]);
    expect(p.scripts).toEqual([]);
    expect(tag.outcome).toBe('failure');
    expect(p.logged).toEqual([[expect.stringContaining('window.ct is taken by another script')]]);
  });

  it('under another name, needs the permissions renamed, then loads the bundle with the name in its fragment', () => {
    const withoutRename = page();
    const refused = withoutRename.fire(install({ globalName: 'ecom' }));
    expect(refused.outcome).toBe('failure');
    expect(withoutRename.win).toEqual({});
    expect(withoutRename.logged[0][0]).toContain('add ecom (readwrite), ecom.q (readwrite), ecom.ecomtag (readwrite), ecom.c (readwrite)');

    const renamed = parsePermissions(JSON.parse(template.sections.WEB_PERMISSIONS.replace(/"ct(\.|")/g, '"ecom$1')));
    const p = page(renamed);
    p.fire(install({ globalName: 'ecom' }));
    expect(p.scripts.map((s) => s.url)).toEqual([`${BUNDLE}#ecom`]);
    expect(p.global('ecom').ecomtag).toBe(1);
    expect(p.win.ct).toBeUndefined();
  });

  it('loads the Calltouch-only build from the CDN, as its help says a Calltouch-only store may', () => {
    const calltouchOnly = BUNDLE.replace('ecomtag.js', 'ecomtag.calltouch.js');
    const p = page();
    const tag = p.fire(install({ bundleUrl: calltouchOnly, accounts: [ACCOUNTS[0]] }));
    expect(p.scripts.map((s) => s.url)).toEqual([calltouchOnly]);
    p.scripts[0].load();
    expect(tag.outcome).toBe('success');
    expect((fields(template.parameters).find((field) => field.name === 'bundleUrl') as { help?: string }).help).toMatch(/dist\/ecomtag\.calltouch\.js .*Calltouch alone.*eSputnik site ID or a dataLayer name needs dist\/ecomtag\.js/);
  });

  it('refuses a bundle URL outside the "Injects scripts" permission, naming it', () => {
    const p = page();
    const tag = p.fire(install({ bundleUrl: 'https://shop.example/js/ecomtag.js' }));
    expect(tag.outcome).toBe('failure');
    expect(p.win).toEqual({});
    expect(p.logged).toEqual([['ecomtag: add https://shop.example/js/ecomtag.js to the "Injects scripts" permission']]);
  });

  it('logs nothing outside preview mode, where its logging permission does not reach', () => {
    const win: Page = { ct: () => 'calltouch' };
    const logged: unknown[] = [];
    const apis = createGtmApis({ win, policy: template.policy, previewMode: false, console: (...v) => logged.push(v), loadScript: () => {} });
    let failed = false;
    fireTag(template, { ...install(), gtmOnSuccess: () => {}, gtmOnFailure: () => (failed = true) }, apis);
    expect([failed, logged]).toEqual([true, []]);
  });
});

describe('the inject_script URL patterns', () => {
  it.each([
    ['https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js', 'https://cdn.jsdelivr.net/npm/ecomtag@0.1.0/dist/ecomtag.js', true],
    ['https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js', 'https://cdn.jsdelivr.net/npm/ecomtag@0.1.0/dist/ecomtag.js#ecom', true],
    ['https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js', 'https://cdn.jsdelivr.net/npm/other/dist/ecomtag.js', false],
    ['https://cdn.jsdelivr.net/npm/ecomtag@*/dist/ecomtag.js', 'http://cdn.jsdelivr.net/npm/ecomtag@0.1.0/dist/ecomtag.js', false],
    ['https://*.shop.example/js/*', 'https://static.shop.example/js/ecomtag.js', true],
    ['https://*.shop.example/js/*', 'https://shop.example.evil/js/ecomtag.js', false],
    ['https://shop.example/js/ecomtag.js', 'https://shop.example:8443/js/ecomtag.js', false],
  ])('%s against %s: %s', (pattern, url, expected) => {
    expect(urlMatches(pattern, url)).toBe(expected);
  });
});

