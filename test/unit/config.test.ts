import { describe, expect, it } from 'vitest';
import { toSettings } from '../../src/install/config';

describe('toSettings', () => {
  it('fills in the defaults of SPEC §4', () => {
    expect(toSettings({}, '')).toEqual({
      accounts: [{ key: '#0', modId: undefined, calltouch: {} }],
      calltouchEndpoint: 'https://mod.calltouch.ru/ecommerce.php',
      calltouchGlobal: 'ct',
      sessionWaitMs: 10000,
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
  ])('refuses %j', (config, reason) => {
    expect(() => toSettings(config, '')).toThrow(reason);
  });
});
