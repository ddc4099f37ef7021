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
  for (const name of ['ct', 'ecom']) delete globals[name];
  document.head.querySelectorAll('script').forEach((script) => script.remove());
});

describe('the stub', () => {
  it('queues calls, loads the bundle once, and tags the script with the name', () => {
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    globals.ct!('send_ecommerce', 'detail', { products: [{ id: 1 }] });
    const scripts = document.head.querySelectorAll('script');
    expect(scripts).toHaveLength(1);
    expect([scripts[0].src, scripts[0].async, scripts[0].getAttribute('data-name')]).toEqual([BUNDLE, true, 'ct']);
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

  it('leaves a global of another script alone and says so once', () => {
    const calltouch = () => 'calltouch';
    (globals as Record<string, unknown>).ct = calltouch;
    stub(globals, document, 'ct', CONFIG, BUNDLE);
    expect(globals.ct).toBe(calltouch);
    expect(document.head.querySelectorAll('script')).toHaveLength(0);
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
