import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { installGlobal } from '../../src/install/global';
import { stub, type Globals } from '../../src/install/stub';
import { createGtmApis, parsePermissions } from '../support/gtm-apis.mjs';

// The snippet and the bundle's start, as a page runs them: stub first, bundle later (or twice, or never).
const globals = window as unknown as Globals & Record<string, unknown>;
const ENDPOINT = 'https://collector.test/ecommerce.php';
const CONFIG = { accounts: [{ modId: 'abcd1234' }], calltouch: { endpoint: ENDPOINT } };
const BUNDLE = 'https://cdn.test/ecomtag.js';

let posted: string[];
let errors: MockInstance;

const bundleScript = (attributes: Record<string, string>) => {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
};

beforeEach(() => {
  posted = [];
  localStorage.clear();
  document.cookie = '_ct=77';
  document.cookie = '_ct_ids=abcd1234:12345:111';
  errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (_, init) => {
    posted.push(JSON.parse(String(init!.body)).eventType);
    return new Response('{}');
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const name of ['ct', 'ecom']) {
    // This page's stubs stay listening for pagehide: emptied, they have nothing left to save in a later test.
    globals[name]?.q?.splice(0);
    delete globals[name];
  }
  document.head.querySelectorAll('script').forEach((script) => script.remove());
});

describe('the stub', () => {
  it('queues calls, loads the bundle once, and tags the script with the name', () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    const scripts = document.head.querySelectorAll('script');
    expect(scripts).toHaveLength(1);
    // Inserted scripts are async without being told (browsers; happy-dom does not say so).
    expect([scripts[0].src, scripts[0].getAttribute('data-name')]).toEqual([BUNDLE, 'ct']);
    expect(globals.ct!.q.map((args) => Array.from(args))).toEqual([['send_ecommerce', 'detail', { products: [{ id: 1 }] }]]);
    expect(globals.ct!.c).toBe(CONFIG);
  });

  it('pasted twice, keeps the first queue and loads nothing more', () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!('first');
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    expect(globals.ct!.q).toHaveLength(1);
    expect(document.head.querySelectorAll('script')).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it('leaves a global of another script alone, and the bundle it loads all the same says so once', () => {
    const calltouch = () => 'calltouch';
    (globals as Record<string, unknown>).ct = calltouch;
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    expect(globals.ct).toBe(calltouch);
    const scripts = document.head.querySelectorAll('script');
    expect(scripts).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
    installGlobal(window, scripts[0]);
    expect(globals.ct).toBe(calltouch);
    expect(errors.mock.calls).toEqual([['ecomtag: window.ct is taken by another script; ecomtag is not installed']]);
  });
});

describe('installGlobal', () => {
  it('replays queued calls in order, then handles calls directly, also through a reference kept from before', async () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    const early = globals.ct!;
    early('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    early('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    installGlobal(window, bundleScript({ 'data-name': 'ct' }));
    early('send_ecommerce', 'checkout', { products: [{ id: 1 }] });
    await globals.ct!.flush!();
    expect(posted).toEqual(['detail', 'addToCart', 'checkout']);
    expect(globals.ct!.q).toHaveLength(0);
  });

  it('loaded twice, sends nothing twice', async () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    installGlobal(window, bundleScript({ 'data-name': 'ct' }));
    const handler = globals.ct!.h;
    installGlobal(window, bundleScript({ 'data-name': 'ct' }));
    expect(globals.ct!.h).toBe(handler);
    globals.ct!('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    await globals.ct!.flush!();
    expect(posted).toEqual(['detail', 'addToCart']);
  });

  it('installs from data-name and data-config without any inline script', async () => {
    installGlobal(window, bundleScript({ 'data-name': 'ecom', 'data-config': JSON.stringify(CONFIG) }));
    globals.ecom!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    await globals.ecom!.flush!();
    expect(posted).toEqual(['detail']);
  });

  it('names a data-config that is not JSON', () => {
    installGlobal(window, bundleScript({ 'data-name': 'ecom', 'data-config': '{accounts:' }));
    expect(errors.mock.calls.map((call) => call[0])).toEqual(['ecomtag: ecom is not set up: the configuration must be an object, got "{accounts:"']);
    expect(() => globals.ecom!('send_ecommerce', 'detail', { products: [{ id: 1 }] })).not.toThrow();
  });

  it('installs nothing over a global that belongs to another script', () => {
    const calltouch = () => 'calltouch';
    (globals as Record<string, unknown>).ct = calltouch;
    installGlobal(window, bundleScript({ 'data-name': 'ct', 'data-config': JSON.stringify(CONFIG) }));
    expect(globals.ct).toBe(calltouch);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('takes over the queue Tag Manager’s template creates: later calls reach it, from page code and from tags', async () => {
    // What gtm/template.tpl does to install: Tag Manager's arguments queue, marked as ecomtag's, with the configuration.
    const gtm = createGtmApis({
      win: window as unknown as Record<string, unknown>, policy: parsePermissions([]), checkPermissions: false,
      loadScript: () => {}, console: () => {},
    });
    gtm.createArgumentsQueue('ct', 'ct.q');
    gtm.setInWindow('ct.ecomtag', 1, true);
    gtm.setInWindow('ct.c', CONFIG, false);
    globals.ct!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    // Tag Manager's injected script has no data-name: the global is ct by default.
    installGlobal(window, bundleScript({ src: BUNDLE }));
    globals.ct!('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    gtm.callInWindow('ct', 'send_ecommerce', 'checkout', { products: [{ id: 1 }] });
    await globals.ct!.flush!();
    expect(posted).toEqual(['detail', 'addToCart', 'checkout']);
    expect(globals.ct!.q).toHaveLength(0);
  });

  it('reads the global’s name from its script URL’s fragment when there is no data-name', async () => {
    stub(globals, document, 'ecom', CONFIG);
    globals.ecom!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    installGlobal(window, bundleScript({ src: `${BUNDLE}#ecom` }));
    globals.ecom!('send_ecommerce', 'addToCart', { products: [{ id: 1 }] });
    await globals.ecom!.flush!();
    expect(posted).toEqual(['detail', 'addToCart']);
    expect(globals.ct).toBeUndefined();
  });
});

describe('a page that goes before the bundle comes', () => {
  const SAVED = 'ecomtag:ct';
  const detail = ['send_ecommerce', 'detail', { products: [{ id: 1 }] }];
  const purchase = ['send_ecommerce', 'purchase', { id: 'A-1', products: [{ id: 1 }] }];
  const addToCart = ['send_ecommerce', 'addToCart', { products: [{ id: 1 }] }];
  const leave = () => window.dispatchEvent(new Event('pagehide'));
  const saved = () => JSON.parse(localStorage.getItem(SAVED) || 'null');
  /** The next page: its own stub (the last one's global went with it), then its bundle. */
  const nextPage = (...calls: unknown[][]) => {
    globals.ct?.q.splice(0);
    delete globals.ct;
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    for (const call of calls) globals.ct!(...call);
    installGlobal(window, bundleScript({ 'data-name': 'ct' }));
  };
  /** What a stub saves: the time, then each call as its arguments object. */
  const asSaved = (time: number, ...calls: unknown[][]) => JSON.stringify([time, ...calls.map((call) => Object.assign({}, call))]);

  it('saves its calls with the time, and the next page’s bundle sends them before its own', async () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!(...detail);
    globals.ct!(...purchase);
    const before = Date.now();
    leave();
    const [time, ...calls] = saved();
    expect([time >= before && time <= Date.now(), calls]).toEqual([true, [{ ...detail }, { ...purchase }]]);
    expect(globals.ct!.q).toHaveLength(0);

    nextPage(addToCart);
    await globals.ct!.flush!();
    expect(posted).toEqual(['detail', 'purchase', 'addToCart']);
    expect(localStorage.getItem(SAVED)).toBeNull();
    expect(errors).not.toHaveBeenCalled();
  });

  it('replaces what a page before it saved: a bundle that never loads leaves one page’s calls at most', () => {
    localStorage.setItem(SAVED, asSaved(Date.now(), detail, detail, detail));
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!(...purchase);
    leave();
    expect(saved().slice(1)).toEqual([{ ...purchase }]);
  });

  it('saves nothing when it has no calls, keeping what a page before it saved', () => {
    localStorage.setItem(SAVED, asSaved(1, detail));
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    leave();
    expect(localStorage.getItem(SAVED)).toBe(asSaved(1, detail));
  });

  it.each([
    [undefined, true],
    ['granted', true],
    ['pending', false],
    ['denied', false],
  ])('with consent %s in the configuration, saves: %s', (consent, saves) => {
    stub(globals, document, 'ct', { ...CONFIG, consent }, BUNDLE);
    globals.ct!(...detail);
    leave();
    expect(localStorage.getItem(SAVED) !== null).toBe(saves);
    expect(globals.ct!.q).toHaveLength(saves ? 0 : 1);
  });

  it('saves nothing once the bundle is there: its outbox keeps what it was given', async () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!(...detail);
    installGlobal(window, bundleScript({ 'data-name': 'ct' }));
    globals.ct!(...addToCart);
    await globals.ct!.flush!();
    leave();
    expect(posted).toEqual(['detail', 'addToCart']);
    expect(localStorage.getItem(SAVED)).toBeNull();
  });

  it('keeps the calls in memory when storage throws, and the page sees nothing', () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!(...detail);
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('The document is sandboxed', 'SecurityError');
    });
    expect(leave).not.toThrow();
    expect(globals.ct!.q).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it.each([
    ['by a page a day ago', asSaved(Date.now() - 864e5 - 1000, detail, purchase), ['addToCart']],
    ['as JSON that is not', '[[', ['addToCart']],
    ['as something else than a list', '{"0":[1]}', ['addToCart']],
    ['as calls that are not objects', JSON.stringify([Date.now(), 'detail', null, { ...purchase }]), ['purchase', 'addToCart']],
  ])('the bundle replays nothing saved %s, removes it, and goes on', async (_, stored, sent) => {
    localStorage.setItem(SAVED, stored);
    nextPage(addToCart);
    await globals.ct!.flush!();
    expect(posted).toEqual(sent);
    expect(localStorage.getItem(SAVED)).toBeNull();
    expect(errors).not.toHaveBeenCalled();
  });
});
