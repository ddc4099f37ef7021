import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/tag';

// The Calltouch-only build (dist/ecomtag.calltouch.js), as build.mjs makes it: src/destinations.ts and the dataLayer
// bridge swapped for destinations.calltouch.ts and bridge/none.ts. The core needs nothing else; a configuration that
// asks for eSputnik or a dataLayer hears so in one console line each, and the rest works; a letter a full build left
// waiting for an eSputnik contact is dropped rather than holding up the rest.
vi.mock('../../src/destinations', () => import('../../src/destinations.calltouch'));
vi.mock('../../src/bridge/datalayer', () => import('../../src/bridge/none'));

const ENDPOINT = 'https://collector.test/calltouch/ecommerce.php';
let sent: Array<{ url: string; body: Record<string, unknown> }>;

beforeEach(() => {
  sent = [];
  localStorage.clear();
  document.cookie = '_ct=77; path=/';
  document.cookie = '_ct_ids=abcd1234:12345:111; path=/';
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(String(init!.body)) });
    return new Response('{}');
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a build with Calltouch alone', () => {
  it('sends Calltouch what it can use, says once that it sends eSputnik nothing, and drops an eSputnik letter left by a full build', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    localStorage['ecomtag:solo:o:00000000000001000000gone'] = JSON.stringify({
      at: Date.now(), from: 'gone', url: 'https://shop.test/ecomtag/relay', wait: 'contact', account: 'abcd1234',
      event: { eventTypeKey: 'cartUpdated', params: {} },
    });
    localStorage['ecomtag:solo:h:gone'] = '0';
    const core = createCore(window, { accounts: [{ modId: 'abcd1234', esputnik: { siteId: '8A412DC' } }], calltouch: { endpoint: ENDPOINT }, esputnik: { format: 'event', endpoint: 'https://shop.test/ecomtag/relay' } }, 'solo');
    core.handle(['set_contact', { email: 'a@b.ru' }]);
    core.handle(['send_ecommerce', 'detail', { products: [{ id: 1 }] }]);
    core.handle(['send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1 }] }]);
    // The page adopts what the gone page left, and acts on it once the adoption has settled.
    await vi.advanceTimersByTimeAsync(1200);
    await core.flush();
    expect(sent.map((s) => [s.url, s.body.eventType])).toEqual([
      [ENDPOINT, 'detail'],
      [ENDPOINT, 'purchase'],
    ]);
    expect(Object.keys(localStorage).filter((key) => key.includes(':o:'))).toEqual([]);
    expect(vi.mocked(console.error).mock.calls).toEqual([['ecomtag: ecomtag.calltouch.js sends nothing to eSputnik (accounts[0].esputnik): ecomtag.js does']]);
  });

  it('says once that it reads no dataLayer, and takes the store’s calls', async () => {
    (window as unknown as Record<string, unknown>).dataLayer = [{ event: 'add_to_cart', ecommerce: { items: [{ item_id: 9, price: 1 }] } }];
    const core = createCore(window, { accounts: [{ modId: 'abcd1234' }], calltouch: { endpoint: ENDPOINT }, dataLayer: 'dataLayer' }, 'solo-dl');
    core.handle(['send_ecommerce', 'addToCart', { products: [{ id: 1 }] }]);
    await core.flush();
    expect(sent.map((s) => [s.body.eventType, (s.body.products as Array<{ id: string }>)[0].id])).toEqual([['addToCart', '1']]);
    expect(vi.mocked(console.error).mock.calls).toEqual([['ecomtag: ecomtag.calltouch.js reads no dataLayer (window.dataLayer): ecomtag.js does']]);
    delete (window as unknown as Record<string, unknown>).dataLayer;
  });
});
