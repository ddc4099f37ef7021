import { bad, fail, isPositiveInteger, isRecord } from '../call/validate';
import type { Config } from '../types';

/** A configured account after checking; `key` names it in storage (mod_id, else its position). */
export interface Account {
  key: string;
  modId?: string;
  calltouch: { siteId?: number } | false;
  esputnik: { siteId: string } | false;
}

/** The configuration every stage reads: defaults filled in, nothing left optional that a stage needs. */
export interface Settings {
  accounts: Account[];
  calltouchEndpoint: string;
  calltouchGlobal: string;
  sessionWaitMs: number;
  esputnikEndpoint: string;
  /** 'event': Generate event v2 bodies for the store's relay; 'tracker': eSputnik's browser-safe tracker API. */
  esputnikFormat: EsputnikFormat;
  currency: string;
  debug: boolean;
}

export type EsputnikFormat = 'tracker' | 'event';

/** `fallback` when the store left it out, the value when `valid`, else a reason. */
const option = <T>(value: unknown, fallback: T, valid: (value: unknown) => boolean, path: string, expected: string): T =>
  value === undefined ? fallback : valid(value) ? (value as T) : bad(path, expected, value);

const isText = (pattern: RegExp) => (value: unknown) => typeof value === 'string' && pattern.test(value);

const toAccount = (raw: unknown, index: number): Account => {
  const path = `accounts[${index}]`;
  if (!isRecord(raw)) return bad(path, 'an object', raw);
  const modId = option<string | undefined>(raw.modId, undefined, isText(/^[0-9a-z]{8}$/), path + '.modId', '8 characters of 0-9a-z');
  const calltouch = option<Account['calltouch']>(
    raw.calltouch,
    {},
    (v) => v === false || (isRecord(v) && option(v.siteId, true, isPositiveInteger, path + '.calltouch.siteId', 'a positive integer')),
    path + '.calltouch',
    'false or an object',
  );
  const esputnik = option<Account['esputnik']>(
    raw.esputnik,
    false,
    (v) => v === false || (isRecord(v) && isText(/\S/)(v.siteId)),
    path + '.esputnik',
    'false or {siteId: "…"}',
  );
  return { key: modId || '#' + index, modId, calltouch, esputnik };
};

export const readDebugFlag = (search: string): boolean => /\becomtag_debug=1\b/.test(search);

export const toSettings = (raw: unknown, search: string): Settings => {
  if (!isRecord(raw)) return bad('the configuration', 'an object', raw);
  const config = raw as Config;
  const calltouch = isRecord(config.calltouch) ? config.calltouch : {};
  const esputnik = isRecord(config.esputnik) ? config.esputnik : {};
  const esputnikFormat = option<EsputnikFormat>(esputnik.format, 'tracker', (v) => v === 'tracker' || v === 'event', 'esputnik.format', "'tracker' or 'event'");
  const isUrl = isText(/^(https?:)?\/\//);
  const accounts = option<unknown[]>(config.accounts, [{}], (v) => Array.isArray(v) && v.length > 0, 'accounts', 'a non-empty array').map(toAccount);
  accounts.forEach((account, i) => accounts.findIndex((other) => other.key === account.key) < i && fail(`mod_id ${account.key} is configured twice`));
  return {
    accounts,
    calltouchEndpoint: option(calltouch.endpoint, 'https://mod.calltouch.ru/ecommerce.php', isUrl, 'calltouch.endpoint', 'an http(s) URL'),
    calltouchGlobal: option(calltouch.global, 'ct', isText(/^[\w$]+$/), 'calltouch.global', 'a global name'),
    sessionWaitMs: option(calltouch.sessionWaitMs, 10000, (v) => typeof v === 'number' && v >= 0, 'calltouch.sessionWaitMs', 'a number >= 0'),
    // Generate event v2 needs the API key, which only the store's relay may hold: that format has no public default.
    esputnikEndpoint:
      option(esputnik.endpoint, esputnikFormat === 'event' ? '' : 'https://tracker.esputnik.com/api/v2', isUrl, 'esputnik.endpoint', 'an http(s) URL') ||
      fail("esputnik.endpoint must be the relay's URL in 'event' format"),
    esputnikFormat,
    currency: option(config.currency, 'RUB', isText(/^[A-Z]{3}$/), 'currency', 'an ISO 4217 code such as "RUB"'),
    debug: config.debug === true || readDebugFlag(search),
  };
};
