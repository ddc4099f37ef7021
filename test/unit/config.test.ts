import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toSettings } from '../../src/install/config';
import { createCore } from '../../src/tag';

/**
 * The one console line the tag prints when it starts with `config`, if any: the core reads its settings, then
 * each destination its own part.
 */
const startingWith = (config: unknown) => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  createCore(window, config, 'ct');
  return errors.mock.calls.map((call) => call.join(' '));
};

/** What a call of each method reaches, as `[url, body]`, under `config`: the destinations' settings at work. */
const sentUnder = async (config: Record<string, unknown>, method = 'purchase') => {
  const sent: Array<[string, Record<string, unknown>]> = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => (sent.push([String(url), JSON.parse(String(init!.body))]), new Response('{}')));
  const core = createCore(window, config, `c${names++}`);
  core.handle(['set_contact', { email: 'a@b.ru' }]);
  core.handle(['send_ecommerce', method, { id: 'T1', products: [{ id: 1, price: 10, quantity: 1 }] }]);
  await core.flush();
  return sent;
};
let names = 0;

beforeEach(() => {
  localStorage.clear();
  document.cookie = '_ct=77; path=/';
  document.cookie = '_ct_ids=abcd1234:12345:111; path=/';
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  for (const cookie of ['_ct', '_ct_ids', 'sc']) document.cookie = `${cookie}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
});

describe('toSettings', () => {
  it('fills in the defaults of SPEC §4', () => {
    const settings = toSettings({}, '');
    expect(settings.accounts.map(({ key, modId }) => [key, modId])).toEqual([['#0', undefined]]);
    expect(settings).toMatchObject({ calltouchGlobal: 'ct', debug: false, dataLayer: false, consent: 'granted' });
  });

  it('keeps what the store set', () => {
    const settings = toSettings({ accounts: [{ modId: 'abcd1234' }, { modId: 'efgh5678' }], calltouch: { global: 'ctw' }, dataLayer: 'dl', consent: 'pending' }, '?a=1&ecomtag_debug=1');
    expect(settings).toMatchObject({ calltouchGlobal: 'ctw', debug: true, dataLayer: 'dl', consent: 'pending' });
    expect(settings.accounts.map((a) => a.key)).toEqual(['abcd1234', 'efgh5678']);
    // Each destination reads its own part of an account.
    expect(settings.accounts[0].read('calltouch.siteId', 0, (value) => value)).toBe(0);
  });
});

describe("each destination's settings", () => {
  it("default to Calltouch's and eSputnik's public endpoints, in the tracker format", async () => {
    expect((await sentUnder({ accounts: [{ esputnik: { siteId: '8A412DC' } }] })).map(([url]) => url)).toEqual([
      'https://tracker.esputnik.com/api/v2',
      'https://mod.calltouch.ru/ecommerce.php',
      'https://tracker.esputnik.com/api/v2',
    ]);
  });

  it('take the event format with its relay, the currency and the time zone; an account without Calltouch sends it nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2025, 0, 1, 10, 11, 12) });
    const sent = await sentUnder({
      accounts: [{ modId: 'abcd1234', calltouch: false, esputnik: { siteId: '8A412DC' } }],
      esputnik: { format: 'event', endpoint: 'https://shop.test/ecomtag/relay' },
      currency: 'UAH',
      timeZone: 'Europe/Kyiv',
    });
    const order = sent.find(([, body]) => body.eventTypeKey == 'orderCreated')!;
    const params = Object.fromEntries((order[1].params as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]));
    expect([order[0], params.currency, params.date]).toEqual(['https://shop.test/ecomtag/relay', 'UAH', '2025-01-01T12:11:12']);
    expect(sent.map(([url]) => url)).not.toContain('https://mod.calltouch.ru/ecommerce.php');
  });

  it('take what the store evidently means: numbers as strings, relative URLs', async () => {
    const sent = await sentUnder({ accounts: [{ modId: 'abcd1234', calltouch: { siteId: '12345' }, esputnik: { siteId: 42 } }], calltouch: { endpoint: '/calltouch', sessionWaitMs: '5000' } });
    expect(sent.map(([url, body]) => [url, (body.GeneralInfo as { siteId?: string } | undefined)?.siteId])).toEqual([
      ['https://tracker.esputnik.com/api/v2', '42'],
      ['/calltouch', undefined],
      ['https://tracker.esputnik.com/api/v2', '42'],
    ]);
    expect(startingWith({ esputnik: { endpoint: '//tracker.yespo.io/api/v2' } })).toEqual([]);
  });

  it.each([
    [null, 'the configuration must be an object, got null'],
    [{ accounts: [] }, 'accounts must be a non-empty array, got an array'],
    [{ accounts: [{ modId: 'ABCD1234' }] }, 'accounts[0].modId must be 8 characters of 0-9a-z, got "ABCD1234"'],
    [{ accounts: [{ modId: 'abcd1234' }, { modId: 'abcd1234' }] }, 'mod_id abcd1234 is configured twice'],
    [{ accounts: [{ calltouch: { siteId: '1.5' } }] }, 'accounts[0].calltouch.siteId must be a whole number >= 0, got "1.5"'],
    [{ accounts: [{ calltouch: true }] }, 'accounts[0].calltouch must be false or an object, got true'],
    [{ calltouch: { global: {} } }, 'calltouch.global must be a string, got an object'],
    [{ calltouch: { endpoint: ['x'] } }, 'calltouch.endpoint must be a string, got an array'],
    [{ calltouch: { sessionWaitMs: -1 } }, 'calltouch.sessionWaitMs must be a whole number >= 0, got -1'],
    [{ accounts: [{ esputnik: { siteId: '' } }] }, 'accounts[0].esputnik.siteId is required'],
    [{ accounts: [{ esputnik: {} }] }, 'accounts[0].esputnik.siteId is required'],
    [{ accounts: [{ esputnik: true }] }, 'accounts[0].esputnik must be false or {siteId}, got true'],
    [{ esputnik: { format: 'v2' } }, "esputnik.format must be 'tracker' or 'event', got \"v2\""],
    [{ esputnik: { format: 'event' } }, "esputnik.endpoint (the relay's URL) is required in 'event' format"],
    [{ currency: 'rub' }, 'currency must be an ISO 4217 code, got "rub"'],
    [{ dataLayer: 'data-layer' }, 'dataLayer must be false or a global name, got "data-layer"'],
    [{ dataLayer: true }, 'dataLayer must be a string, got true'],
    [{ calltouch: { dataLayer: 'no' } }, 'calltouch.dataLayer must be true or false, got "no"'],
    [{ consent: 'yes' }, "consent must be 'granted', 'denied' or 'pending', got \"yes\""],
    // The browser's own reason names the zone it does not know.
    [{ timeZone: 'Europe/Moskva' }, 'Invalid time zone specified: Europe/Moskva'],
    [{ timeZone: 'MSK+3' }, 'Invalid time zone specified: MSK+3'],
    [{ timeZone: {} }, 'Invalid time zone specified: [object Object]'],
  ])('refuses %j', (config, reason) => {
    expect(startingWith(config)).toEqual([`ecomtag: ct is not set up: ${reason}`]);
  });
});
