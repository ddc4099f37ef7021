import { KEEPALIVE_BYTES } from '../deliver/transport';
import type { Method } from '../types';
import { METHODS, isTransaction, type Contact, type EcomEvent, type Product } from './event';

/**
 * Rules of SPEC §3, and the converters the configuration shares. Every check throws an Error whose message is
 * the reason the store reads: `products[1].quantity must be a whole number >= 0, got -1`.
 */

/** Room kept for what the mappers add around the products. */
const ENVELOPE_BYTES = 1024;

/** What a store gave, as the tag means it, or a reason naming `path`. */
export type Convert<T = unknown> = (value: unknown, path: string) => T;

export const fail = (reason: string): never => {
  throw Error(reason);
};

/** Only for messages: shows what arrived without ever throwing on symbols, cycles or proxies. */
export const show = (value: unknown): string => {
  try {
    return typeof value == 'string' ? `"${value.slice(0, 40)}"` : Array.isArray(value) ? 'an array' : value && typeof value == 'object' ? 'an object' : String(value);
  } catch {
    return typeof value;
  }
};

export const bad = (path: string, expected: string, value: unknown): never => fail(`${path} must be ${expected}, got ${show(value)}`);

export const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value == 'object' && !Array.isArray(value);

/** The value as a record, or the reason it is not one. */
export const toRecord: Convert<Record<string, unknown>> = (value, path) => (isRecord(value) ? value : bad(path, 'an object', value));

const AMOUNT = 0;
const SIGNED = 1;
const WHOLE = 2;
const NUMBER_KINDS = ['a number >= 0', 'a number', 'a whole number >= 0'];

/** A finite number of one of the kinds above, from a number or a numeric string such as "150.50". */
const number =
  (kind: number): Convert<number> =>
  (value, path) => {
    const n = typeof value == 'string' && value.trim() ? +value : value;
    return typeof n == 'number' && isFinite(n) && (kind == SIGNED || n >= 0) && (kind < WHOLE || n % 1 == 0) ? n : bad(path, NUMBER_KINDS[kind], value);
  };

/** Text fields: strings as they are, numbers as their decimal form. */
export const toText: Convert<string> = (value, path) =>
  typeof value == 'string' ? value : typeof value == 'number' && isFinite(value) ? '' + value : bad(path, 'a string', value);

export const toCount = number(WHOLE);

export const toFlag: Convert<boolean> = (value, path) =>
  value === true || value === 1 || value === '1' || (value !== false && value !== 0 && value !== '0' && bad(path, 'true or false', value));

const trimmed: Convert<string> = (value, path) => toText(value, path).trim();

/** Text, trimmed, that `pattern` accepts. */
export const matching =
  (pattern: RegExp, expected: string): Convert<string> =>
  (value, path) => {
    const text = trimmed(value, path);
    return pattern.test(text) ? text : bad(path, expected, value);
  };

export const toCurrency = matching(/^[A-Z]{3}$/, 'an ISO 4217 code');

const toId: Convert<string> = (value, path) => (value != null && trimmed(value, path)) || fail(path + ' is required');

/**
 * A fresh record of the fields `table` lists, converted; fields left out (null, '') stay out. Built field by
 * field, so `__proto__` keys, unknown fields and cycles never come along.
 */
const toFields = <T>(raw: unknown, path: string, table: Record<string, Convert>): T => {
  const record = toRecord(raw, path);
  const fields: Record<string, unknown> = {};
  for (const field in table) {
    const value = record[field];
    if (value != null && value !== '') fields[field] = table[field](value, `${path}.${field}`);
  }
  return fields as T;
};

type ProductField = Exclude<keyof Product, 'id'>;

const amount = number(AMOUNT);

/** Seed 000's product fields, then the ones eSputnik uses. */
const PRODUCT_FIELDS: Record<ProductField, Convert> = {
  name: toText,
  price: amount,
  brand: toText,
  category: toText,
  variant: toText,
  margin: number(SIGNED),
  quantity: toCount,
  url: toText,
  imageUrl: toText,
  discount: amount,
  isInStock: toFlag,
};

/** A call that keeps these rules is sent; what a destination needs beyond them is that destination's to check. */
export const toEvent = (method: unknown, given: unknown): EcomEvent => {
  const type = METHODS.indexOf(method as Method) < 0 ? bad('the method', METHODS.join(', '), method) : (method as Method);
  const params = toRecord(given, 'params');
  const refund = type == 'refund';
  const list = params.products;
  const raw: unknown[] = Array.isArray(list) ? list : list == null ? [] : bad('products', 'an array', list);
  if (!raw.length && !refund) fail('products must not be empty');
  // Array.from, not map: a hole in a sparse array is a missing product, not one to skip.
  const products = Array.from(raw, (item, i) => {
    const path = `products[${i}]`;
    const product = toFields<Product>(item, path, PRODUCT_FIELDS);
    product.id = toId((item as Record<string, unknown>).id, path + '.id');
    // Seed 000: "quantity is required only for the refund method".
    if (refund && product.quantity == null) fail(path + '.quantity is required in a refund');
    return product;
  });
  const event: EcomEvent = { type, products };
  if (isTransaction(event)) event.id = toId(params.id, 'id');
  // The dataLayer's currency, for eSputnik's events; the configured one otherwise.
  if (params.currency != null) event.currency = toCurrency(params.currency, 'currency');
  const json = JSON.stringify(event);
  // UTF-8 takes at most 3 bytes a UTF-16 unit: only an event that might pass the limit is measured, a Blob being
  // slow (about half a millisecond, more than the rest of a call).
  const bytes = (json.length * 3 > KEEPALIVE_BYTES - ENVELOPE_BYTES ? new Blob([json]).size : json.length) + ENVELOPE_BYTES;
  return bytes > KEEPALIVE_BYTES ? fail(`the event is ${bytes} bytes, over the 64 KB limit`) : event;
};

const CONTACT_FIELDS: Record<keyof Contact, Convert<string>> = {
  // Trimmed and lower-cased, as the signed identity's `sub` writes it (SPEC §6); eSputnik matches emails in any case.
  email: (value, path) => matching(/^[^\s@]+@[^\s@]+$/, 'an address')(value, path).toLowerCase(),
  // International digits only, as eSputnik's locators are written (`+7 (900) 123-45-67` is 79001234567).
  phone: (value, path) => toText(value, path).replace(/\D/g, ''),
  externalCustomerId: trimmed,
  name: trimmed,
  // base64url(JSON {sub, exp}) "." base64url(HMAC-SHA256): the relay checks it; the tag only keeps it sane.
  identity: matching(/^[\w-]{1,999}\.[\w-]{43}$/, 'a signed identity'),
};

export const toContact = (raw: unknown): Contact => {
  const contact = toFields<Record<string, string>>(raw, 'contact', CONTACT_FIELDS);
  return Object.keys(contact).some((field) => contact[field]) ? contact : fail('the contact needs one of ' + Object.keys(CONTACT_FIELDS).join(', '));
};
