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
      debug: false,
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
      },
      '',
    );
    expect(settings).toMatchObject({ esputnikEndpoint: 'https://shop.test/ecomtag/relay', esputnikFormat: 'event', currency: 'UAH' });
    expect(settings.accounts.map((a) => a.esputnik)).toEqual([{ siteId: '8A412DC' }, false]);
    expect(toSettings({ esputnik: { endpoint: '//tracker.yespo.io/api/v2' } }, '')).toMatchObject({ esputnikEndpoint: '//tracker.yespo.io/api/v2', esputnikFormat: 'tracker' });
  });

  it.each([
    [null, 'the configuration must be an object, got null'],
    [{ accounts: [] }, 'accounts must be a non-empty array, got an array'],
    [{ accounts: [{ modId: 'ABCD1234' }] }, 'accounts[0].modId must be 8 characters of 0-9a-z, got "ABCD1234"'],
    [{ accounts: [{ modId: 'abcd1234' }, { modId: 'abcd1234' }] }, 'mod_id abcd1234 is configured twice'],
    [{ accounts: [{ calltouch: { siteId: '1' } }] }, 'accounts[0].calltouch.siteId must be a positive integer, got "1"'],
    [{ accounts: [{ calltouch: true }] }, 'accounts[0].calltouch must be false or an object, got true'],
    [{ calltouch: { global: 'my-ct' } }, 'calltouch.global must be a global name, got "my-ct"'],
    [{ calltouch: { endpoint: 'mod.calltouch.ru' } }, 'calltouch.endpoint must be an http(s) URL, got "mod.calltouch.ru"'],
    [{ calltouch: { sessionWaitMs: -1 } }, 'calltouch.sessionWaitMs must be a number >= 0, got -1'],
    [{ accounts: [{ esputnik: { siteId: '' } }] }, 'accounts[0].esputnik must be false or {siteId: "…"}, got an object'],
    [{ accounts: [{ esputnik: { siteId: 42 } }] }, 'accounts[0].esputnik must be false or {siteId: "…"}, got an object'],
    [{ accounts: [{ esputnik: true }] }, 'accounts[0].esputnik must be false or {siteId: "…"}, got true'],
    [{ esputnik: { format: 'v2' } }, "esputnik.format must be 'tracker' or 'event', got \"v2\""],
    [{ esputnik: { format: 'event' } }, "esputnik.endpoint must be the relay's URL in 'event' format"],
    [{ esputnik: { endpoint: 'tracker.esputnik.com' } }, 'esputnik.endpoint must be an http(s) URL, got "tracker.esputnik.com"'],
    [{ currency: 'rub' }, 'currency must be an ISO 4217 code such as "RUB", got "rub"'],
  ])('refuses %j', (config, reason) => {
    expect(() => toSettings(config, '')).toThrow(reason);
  });
});
