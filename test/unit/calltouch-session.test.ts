import { afterEach, describe, expect, it } from 'vitest';
import { readCalltouchSession, sessionFromCookies } from '../../src/calltouch/session';

const session = (modId: string, siteId: number, sessionId: number, ctClientId = '77') => ({ modId, siteId, sessionId, ctClientId });

describe('sessionFromCookies', () => {
  it.each([
    ['the counter named by _ct_ids', '_ct=77; _ct_ids=abcd1234%3A111%3A222_efgh5678%3A333%3A444', 'efgh5678', session('efgh5678', 333, 444)],
    ['the first counter for an account without mod_id', '_ct=77; _ct_ids=abcd1234:111:222_efgh5678:333:444', undefined, session('abcd1234', 111, 222)],
    ['single-counter cookies when _ct_ids is absent', '_ct=77; _ct_session_id=222; _ct_site_id=111', 'abcd1234', session('abcd1234', 111, 222)],
    ['nothing for a mod_id _ct_ids does not list', '_ct=77; _ct_ids=abcd1234:111:222; _ct_session_id=222; _ct_site_id=111', 'zzzz9999', undefined],
    ['nothing without the client id', '_ct_ids=abcd1234:111:222', 'abcd1234', undefined],
    ['nothing without a mod_id anywhere', '_ct=77; _ct_session_id=222; _ct_site_id=111', undefined, undefined],
  ])('%s', (_, cookie, modId, expected) => {
    expect(sessionFromCookies(cookie, modId)).toEqual(expected);
  });
});

describe('readCalltouchSession', () => {
  const globals = window as unknown as Record<string, unknown>;
  afterEach(() => {
    delete globals.ct;
    document.cookie = '_ct_ids=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    document.cookie = '_ct=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('asks the loaded script for calltracking_params of the account', () => {
    const asked: unknown[][] = [];
    globals.ct = (...args: unknown[]) => (asked.push(args), { modId: 'abcd1234', siteId: '12345', sessionId: 987654321, ctClientId: 1300000000412345678n.toString(), phoneNumbers: [] });
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toEqual(session('abcd1234', 12345, 987654321, '1300000000412345678'));
    expect(asked).toEqual([['calltracking_params', 'abcd1234']]);
  });

  it('takes the first of the array answered for an account without mod_id', () => {
    globals.ct = () => [{ modId: 'abcd1234', siteId: 1, sessionId: 2, ctClientId: 'c' }];
    expect(readCalltouchSession(window, 'ct', undefined)).toEqual(session('abcd1234', 1, 2, 'c'));
  });

  it('never asks the stub (loaded === false), which would only queue the call', () => {
    const stub = Object.assign(() => {
      throw new Error('asked the stub');
    }, { loaded: false, callbacks: [] });
    globals.ct = stub;
    document.cookie = '_ct=77';
    document.cookie = '_ct_ids=abcd1234:1:2';
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toEqual(session('abcd1234', 1, 2));
  });

  it('falls back to cookies when the script answers undefined or throws', () => {
    document.cookie = '_ct=77';
    document.cookie = '_ct_ids=abcd1234:1:2';
    globals.ct = () => undefined;
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toEqual(session('abcd1234', 1, 2));
    globals.ct = () => {
      throw new Error('boom');
    };
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toEqual(session('abcd1234', 1, 2));
  });

  it('takes a malformed cookie as no session', () => {
    document.cookie = '_ct=77';
    document.cookie = '_ct_ids=%E0%A4%A';
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toBeUndefined();
  });

  it('is undefined while there is no session at all', () => {
    expect(readCalltouchSession(window, 'ct', 'abcd1234')).toBeUndefined();
  });
});
