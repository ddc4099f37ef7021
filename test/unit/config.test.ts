import { describe, expect, it } from 'vitest';
import { toSettings } from '../../src/install/config';

describe('toSettings', () => {
  it('fills in the defaults of SPEC §4', () => {
    expect(toSettings({}, '')).toEqual({
      accounts: [{ key: '#0', modId: undefined, calltouch: {}, esputnik: false }],
      calltouchEndpoint: 'https://mod.calltouch.ru/ecommerce.php',
      calltouchGlobal: 'ct',
      sessionWaitMs: 10000,
      esputnikEndpoint: 'https://tracker.esputnik.com/api/v2',
      esputnikFormat: 'tracker',
      currency: 'RUB',
      timeZone: 'Europe/Moscow',
      debug: false,
      dataLayer: false,
      calltouchDataLayer: true,
      consent: 'granted',
    });
  });

  it('keeps what the store set', () => {
    const settings = toSettings(
      {
        accounts: [{ modId: 'abcd1234', calltouch: { siteId: 1 } }, { modId: 'efgh5678', calltouch: false }],
        calltouch: { endpoint: 'https://ct.test/e', global: 'ctw', sessionWaitMs: 0 },
      },
      '?a=1&ecomtag_debug=1',
    );
    expect(settings).toMatchObject({ calltouchEndpoint: 'https://ct.test/e', calltouchGlobal: 'ctw', sessionWaitMs: 0, debug: true });
    expect(settings.accounts.map((a) => [a.key, a.calltouch])).toEqual([
      ['abcd1234', { siteId: 1 }],
      ['efgh5678', false],
    ]);
  });

  it('takes eSputnik accounts, the event format with its relay, and the currency', () => {
    const settings = toSettings(
      {
        accounts: [{ modId: 'abcd1234', esputnik: { siteId: '8A412DC' } }, { modId: 'efgh5678', calltouch: false, esputnik: false }],
        esputnik: { format: 'event', endpoint: 'https://shop.test/ecomtag/relay' },
        currency: 'UAH',
        timeZone: 'Europe/Kyiv',
      },
      '',
    );
    expect(settings).toMatchObject({ esputnikEndpoint: 'https://shop.test/ecomtag/relay', esputnikFormat: 'event', currency: 'UAH', timeZone: 'Europe/Kyiv' });
    expect(settings.accounts.map((a) => a.esputnik)).toEqual([{ siteId: '8A412DC' }, false]);
    expect(toSettings({ esputnik: { endpoint: '//tracker.yespo.io/api/v2' } }, '')).toMatchObject({ esputnikEndpoint: '//tracker.yespo.io/api/v2', esputnikFormat: 'tracker' });
  });

  it('takes what the store evidently means: numbers as strings, relative URLs, any global name', () => {
    const settings = toSettings(
      { accounts: [{ modId: 'abcd1234', calltouch: { siteId: '12345' }, esputnik: { siteId: 42 } }], calltouch: { endpoint: '/calltouch', global: 'my_ct', sessionWaitMs: '5000' } },
      '',
    );
    expect(settings).toMatchObject({ calltouchEndpoint: '/calltouch', calltouchGlobal: 'my_ct', sessionWaitMs: 5000 });
    expect(settings.accounts[0]).toMatchObject({ calltouch: { siteId: 12345 }, esputnik: { siteId: '42' } });
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
    expect(() => toSettings(config, '')).toThrow(reason);
  });
});
