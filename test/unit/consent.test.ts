import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCore } from '../../src/tag';
import { freshPage, type Sent } from '../support/requests';

// Consent first: while it is pending the tag keeps calls in memory and touches neither storage, cookies nor
// the network; granted replays them in call order; denied drops them and what follows.
const ENDPOINT = 'https://collector.test/calltouch/ecommerce.php';
const TRACKER = 'https://collector.test/esputnik/tracker';
let sent: Sent[];
let errors: MockInstance;
let names = 0;

const setup = (consent?: string) => {
  const core = createCore(
    window,
    { accounts: [{ modId: 'abcd1234', calltouch: { siteId: 1 }, esputnik: { siteId: 'S' } }], calltouch: { endpoint: ENDPOINT, global: 'ctw' }, esputnik: { endpoint: TRACKER }, consent },
    `c${names++}`,
  );
  return Object.assign((...args: unknown[]) => core.handle(args), { flush: core.flush });
};

const calls = (ct: ReturnType<typeof setup>) => {
  ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
  ct('set_contact', { email: 'a@b.ru' });
  ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1, price: 10, quantity: 1 }] });
};

beforeEach(() => {
  ({ sent, errors } = freshPage());
});

afterEach(() => {
  vi.restoreAllMocks();
  document.cookie = 'sc=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('consent', () => {
  it('pending: nothing stored, no cookie, nothing sent, not even at pagehide', async () => {
    const ct = setup('pending');
    calls(ct);
    window.dispatchEvent(new Event('pagehide'));
    await ct.flush();
    expect(sent).toEqual([]);
    expect(Object.keys(localStorage)).toEqual([]);
    expect(document.cookie).not.toContain('sc=');
  });

  it('granted replays what waited, in call order, then handles calls as they come', async () => {
    const ct = setup('pending');
    calls(ct);
    ct('consent', 'granted');
    ct('send_ecommerce', 'addToCart', { products: [{ id: 2, price: 5 }] });
    await ct.flush();
    expect(sent.filter((s) => s.url == ENDPOINT).map((s) => [s.body.eventType, s.body.email])).toEqual([
      ['detail', 'a@b.ru'],
      ['purchase', 'a@b.ru'],
      ['addToCart', 'a@b.ru'],
    ]);
    expect(sent.filter((s) => s.url == TRACKER).map((s) => (s.body.GeneralInfo as { eventName: string }).eventName)).toEqual(['ProductPage', 'CustomerData', 'PurchasedItems', 'StatusCart']);
  });

  it('denied drops what waited and what follows; granted later starts afresh', async () => {
    const ct = setup('pending');
    calls(ct);
    ct('consent', 'denied');
    ct('send_ecommerce', 'detail', { products: [{ id: 3, price: 1 }] });
    await ct.flush();
    expect([sent, Object.keys(localStorage)]).toEqual([[], []]);
    ct('consent', 'granted');
    ct('send_ecommerce', 'detail', { products: [{ id: 4, price: 1 }] });
    await ct.flush();
    expect(sent.filter((s) => s.url == ENDPOINT).map((s) => (s.body.products as Array<{ id: string }>)[0].id)).toEqual(['4']);
  });

  it('passes other commands to Calltouch’s script whatever the consent, and refuses a consent it does not know', () => {
    const calltouch = vi.fn(() => 'params');
    (window as unknown as Record<string, unknown>).ctw = calltouch;
    const ct = setup('pending');
    expect(ct('calltracking_params', 'abcd1234')).toBe('params');
    ct('consent', 'maybe');
    expect(errors.mock.calls.map((call) => call.join(' '))).toEqual([expect.stringMatching(/\('consent', 'maybe'\): consent must be 'granted' or 'denied', got "maybe"$/)]);
    delete (window as unknown as Record<string, unknown>).ctw;
  });

  it('granted by default', async () => {
    const ct = setup();
    ct('send_ecommerce', 'detail', { products: [{ id: 1, price: 10 }] });
    await ct.flush();
    expect(sent.length).toBe(2);
  });
});
