import { bad, fail, isPositiveInteger, isRecord } from '../call/validate';

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

/**
 * The store's value at `path` ('calltouch.endpoint') of `source`: `fallback` when left out, the value when
 * `valid`, else a reason that names `prefix + path`.
 */
const option = <T>(source: unknown, path: string, fallback: T, valid: (value: unknown) => boolean, expected: string, prefix = ''): T => {
  const value = path.split('.').reduce((object: unknown, key) => (isRecord(object) ? object[key] : undefined), source);
  return value === undefined ? fallback : valid(value) ? (value as T) : bad(prefix + path, expected, value);
};

const isText = (pattern: RegExp) => (value: unknown) => typeof value == 'string' && pattern.test(value);

const isUrl = isText(/^(https?:)?\/\//);

const toAccount = (raw: unknown, index: number): Account => {
  const path = `accounts[${index}]`;
  if (!isRecord(raw)) return bad(path, 'an object', raw);
  const get = <T>(key: string, fallback: T, valid: (value: unknown) => boolean, expected: string) => option(raw, key, fallback, valid, expected, path + '.');
  const modId = get<string | undefined>('modId', undefined, isText(/^[0-9a-z]{8}$/), '8 characters of 0-9a-z');
  const calltouch = get<Account['calltouch']>('calltouch', {}, (v) => v === false || isRecord(v), 'false or an object');
  get('calltouch.siteId', 0, isPositiveInteger, 'a positive integer');
  const esputnik = get<Account['esputnik']>('esputnik', false, (v) => v === false || (isRecord(v) && isText(/\S/)(v.siteId)), 'false or {siteId: "…"}');
  return { key: modId || '#' + index, modId, calltouch, esputnik };
};

export const readDebugFlag = (search: string): boolean => /\becomtag_debug=1\b/.test(search);

export const toSettings = (config: unknown, search: string): Settings => {
  if (!isRecord(config)) return bad('the configuration', 'an object', config);
  const get = <T>(path: string, fallback: T, valid: (value: unknown) => boolean, expected: string) => option(config, path, fallback, valid, expected);
  const esputnikFormat = get<EsputnikFormat>('esputnik.format', 'tracker', (v) => v == 'tracker' || v == 'event', "'tracker' or 'event'");
  const accounts = get<unknown[]>('accounts', [{}], (v) => Array.isArray(v) && v.length > 0, 'a non-empty array').map(toAccount);
  accounts.forEach((account, i) => accounts.findIndex((other) => other.key == account.key) < i && fail(`mod_id ${account.key} is configured twice`));
  return {
    accounts,
    calltouchEndpoint: get('calltouch.endpoint', 'https://mod.calltouch.ru/ecommerce.php', isUrl, 'an http(s) URL'),
    calltouchGlobal: get('calltouch.global', 'ct', isText(/^[\w$]+$/), 'a global name'),
    sessionWaitMs: get('calltouch.sessionWaitMs', 10000, (v) => typeof v == 'number' && v >= 0, 'a number >= 0'),
    // Generate event v2 needs the API key, which only the store's relay may hold: that format has no public default.
    esputnikEndpoint:
      get('esputnik.endpoint', esputnikFormat == 'event' ? '' : 'https://tracker.esputnik.com/api/v2', isUrl, 'an http(s) URL') ||
      fail("esputnik.endpoint must be the relay's URL in 'event' format"),
    esputnikFormat,
    currency: get('currency', 'RUB', isText(/^[A-Z]{3}$/), 'an ISO 4217 code such as "RUB"'),
    debug: config.debug === true || readDebugFlag(search),
  };
};
