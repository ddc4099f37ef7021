import { storeTime } from '../time';
import { bad, fail, isRecord, matching, toRecord, toCount, toCurrency, toFlag, toText, type Convert } from '../call/validate';

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
  /** The IANA zone the store's order dates are written in (eSputnik's `date`). */
  timeZone: string;
  debug: boolean;
  /** The window global to read e-commerce pushes from, if any. */
  dataLayer: string | false;
  /** false: e-commerce read from the dataLayer goes to eSputnik only (Calltouch reads the dataLayer itself). */
  calltouchDataLayer: boolean;
  consent: Consent;
}

export type EsputnikFormat = 'tracker' | 'event';
/** 'pending': calls wait in memory, and nothing is stored or sent, until `ct('consent', 'granted' | 'denied')`. */
export type Consent = 'granted' | 'denied' | 'pending';

// Settings take what the store evidently means ("5000" for 5000) and refuse only what the tag cannot use,
// with the same converters, and so the same reasons, as the calls.

/**
 * Reads `source`: the value at `path` ('calltouch.endpoint'), converted; `fallback` when left out. `prefix`
 * leads the path in messages.
 */
const options =
  (source: unknown, prefix = '') =>
  <T>(path: string, fallback: T, convert: Convert<T>): T => {
    const value = path.split('.').reduce((object: unknown, key) => (isRecord(object) ? object[key] : undefined), source);
    return value == null ? fallback : convert(value, prefix + path);
  };

/** `false`, or the object with `convert`'s view of it. */
const falseOr =
  <T>(convert: Convert<T>, expected: string): Convert<T | false> =>
  (value, path) =>
    value === false ? false : isRecord(value) ? convert(value, path) : bad(path, expected, value);

const toAccount = (raw: unknown, index: number): Account => {
  const path = `accounts[${index}]`;
  const get = options(toRecord(raw, path), path + '.');
  const modId = get<string | undefined>('modId', undefined, matching(/^[0-9a-z]{8}$/, '8 characters of 0-9a-z'));
  return {
    key: modId || '#' + index,
    modId,
    calltouch: get<Account['calltouch']>('calltouch', {}, falseOr((calltouch, at) => ({ siteId: options(calltouch, at + '.')('siteId', undefined, toCount) }), 'false or an object')),
    esputnik: get('esputnik', false, falseOr((esputnik, at) => ({ siteId: options(esputnik, at + '.')('siteId', '', toText) || fail(at + '.siteId is required') }), 'false or {siteId}')),
  };
};

/**
 * A zone this browser knows by its IANA name: writing a date in any other throws, and the browser's reason
 * names it ("Invalid time zone specified: Europe/Moskva").
 */
const toTimeZone: Convert<string> = (zone) => storeTime(0, zone as string) && (zone as string);

export const readDebugFlag = (search: string): boolean => /\becomtag_debug=1\b/.test(search);

export const toSettings = (raw: unknown, search: string): Settings => {
  const config = toRecord(raw, 'the configuration');
  const get = options(config);
  const esputnikFormat = get('esputnik.format', 'tracker', matching(/^(tracker|event)$/, "'tracker' or 'event'")) as EsputnikFormat;
  const accounts = get<unknown[]>('accounts', [{}], (value, path) => (Array.isArray(value) && value.length ? value : bad(path, 'a non-empty array', value))).map(toAccount);
  accounts.forEach((account, i) => accounts.findIndex((other) => other.key == account.key) < i && fail(`mod_id ${account.key} is configured twice`));
  return {
    accounts,
    calltouchEndpoint: get('calltouch.endpoint', 'https://mod.calltouch.ru/ecommerce.php', toText),
    calltouchGlobal: get('calltouch.global', 'ct', toText),
    sessionWaitMs: get('calltouch.sessionWaitMs', 10000, toCount),
    // Generate event v2 needs the API key, which only the store's relay may hold: that format has no public default.
    esputnikEndpoint: get('esputnik.endpoint', esputnikFormat == 'event' ? '' : 'https://tracker.esputnik.com/api/v2', toText) || fail("esputnik.endpoint (the relay's URL) is required in 'event' format"),
    esputnikFormat,
    currency: get('currency', 'RUB', toCurrency),
    timeZone: get('timeZone', 'Europe/Moscow', toTimeZone),
    debug: config.debug === true || readDebugFlag(search),
    dataLayer: get<string | false>('dataLayer', false, (value, path) => value !== false && matching(/^[\w$]+$/, 'false or a global name')(value, path)),
    calltouchDataLayer: get('calltouch.dataLayer', true, toFlag),
    consent: get('consent', 'granted', matching(/^(granted|denied|pending)$/, "'granted', 'denied' or 'pending'")) as Consent,
  };
};
