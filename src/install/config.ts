import { bad, fail, isRecord, matching, toRecord, toText, type Convert } from '../call/validate';

/**
 * One setting: the value at `path` ('calltouch.endpoint'), converted; `fallback` when left out. Messages name
 * the path from the configuration's top (`accounts[1].calltouch.siteId`).
 */
export type Read = <T>(path: string, fallback: T, convert: Convert<T>) => T;

/**
 * A configured account; `key` names it in storage (mod_id, else its position). Each destination reads its own
 * part of it with `read` ('calltouch.siteId').
 */
export interface Account {
  key: string;
  modId?: string;
  read: Read;
}

/**
 * What the core reads of the configuration, defaults filled in. Each destination reads its own part with `read`
 * when the tag starts (destination.ts), so that a build without a destination carries nothing of its settings.
 */
export interface Settings {
  accounts: Account[];
  read: Read;
  /** Calltouch's script: commands that are not ours are handed to it, and Calltouch's session comes from it. */
  calltouchGlobal: string;
  debug: boolean;
  /** The window global to read e-commerce pushes from, if any. */
  dataLayer: string | false;
  consent: Consent;
}

/** 'pending': calls wait in memory, and nothing is stored or sent, until `ct('consent', 'granted' | 'denied')`. */
export type Consent = 'granted' | 'denied' | 'pending';

// Settings take what the store evidently means ("5000" for 5000) and refuse only what the tag cannot use,
// with the same converters, and so the same reasons, as the calls.

/** Reads `source`, whose path from the configuration's top is `prefix` ('accounts[0].'). */
const reader =
  (source: unknown, prefix = ''): Read =>
  (path, fallback, convert) => {
    const value = path.split('.').reduce((object: unknown, key) => (isRecord(object) ? object[key] : undefined), source);
    return value == null ? fallback : convert(value, prefix + path);
  };

/** `false`, or the object with `convert`'s view of it. */
export const falseOr =
  <T>(convert: Convert<T>, expected: string): Convert<T | false> =>
  (value, path) =>
    value === false ? false : isRecord(value) ? convert(value, path) : bad(path, expected, value);

const toAccount = (raw: unknown, index: number): Account => {
  const path = `accounts[${index}]`;
  const read = reader(toRecord(raw, path), path + '.');
  const modId = read<string | undefined>('modId', undefined, matching(/^[0-9a-z]{8}$/, '8 characters of 0-9a-z'));
  return { key: modId || '#' + index, modId, read };
};

export const readDebugFlag = (search: string): boolean => /\becomtag_debug=1\b/.test(search);

export const toSettings = (raw: unknown, search: string): Settings => {
  const config = toRecord(raw, 'the configuration');
  const read = reader(config);
  const accounts = read<unknown[]>('accounts', [{}], (value, path) => (Array.isArray(value) && value.length ? value : bad(path, 'a non-empty array', value))).map(toAccount);
  for (const { key } of accounts) if (accounts.filter((other) => other.key == key)[1]) fail(`mod_id ${key} is configured twice`);
  return {
    accounts,
    read,
    calltouchGlobal: read('calltouch.global', 'ct', toText),
    debug: config.debug === true || readDebugFlag(search),
    dataLayer: read<string | false>('dataLayer', false, (value, path) => value !== false && matching(/^[\w$]+$/, 'false or a global name')(value, path)),
    consent: read('consent', 'granted', matching(/^(granted|denied|pending)$/, "'granted', 'denied' or 'pending'")) as Consent,
  };
};
