import { KEEPALIVE_BYTES } from '../deliver/transport';
import type { EsputnikFormat } from '../install/config';
import type { Method } from '../types';
import type { Contact, EcomEvent, Product } from './event';

/** Rules of SPEC §3. Every check throws an Error whose message is the reason the store reads. */

export const METHODS: readonly Method[] = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];

/** Room kept for what the mappers add around the products. */
const ENVELOPE_BYTES = 1024;

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

/** `products[1].quantity must be a whole number >= 0, got -1` */
export const bad = (path: string, expected: string, value: unknown): never => fail(`${path} must be ${expected}, got ${show(value)}`);

export const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value == 'object' && !Array.isArray(value);

type Convert = (value: unknown, path: string) => string | number | boolean;

const AMOUNT = 0;
const SIGNED = 1;
const WHOLE = 2;
const NUMBER_KINDS = ['a number >= 0', 'a number', 'a whole number >= 0'];

/** A finite number of one of the kinds above, from a number or a numeric string such as "150.50". */
const number =
  (kind: number) =>
  (value: unknown, path: string): number => {
    const n = typeof value == 'string' && value.trim() ? +value : value;
    return typeof n == 'number' && isFinite(n) && (kind == SIGNED || n >= 0) && (kind < WHOLE || n % 1 == 0) ? n : bad(path, NUMBER_KINDS[kind], value);
  };

/** Text fields: strings as they are, numbers as their decimal form. */
export const toText = (value: unknown, path: string): string =>
  typeof value == 'string' ? value : typeof value == 'number' && isFinite(value) ? '' + value : bad(path, 'a string', value);

const toId = (value: unknown, path: string): string => (value == null ? '' : toText(value, path).trim()) || fail(path + ' is required');

const toFlag: Convert = (value, path) =>
  value === true || value === 1 || value === '1' || (value !== false && value !== 0 && value !== '0' && bad(path, 'true or false', value));

type ProductField = Exclude<keyof Product, 'id'>;

const amount = number(AMOUNT);
export const toCount = number(WHOLE);

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

/** Builds a fresh object field by field, so `__proto__` keys, unknown fields and cycles never come along. */
const toProduct = (raw: unknown, path: string, required: ProductField[], why: string): Product => {
  if (!isRecord(raw)) return bad(path, 'an object', raw);
  const product: Record<string, unknown> = { id: toId(raw.id, path + '.id') };
  for (const field in PRODUCT_FIELDS) {
    const value = raw[field];
    if (value != null) product[field] = PRODUCT_FIELDS[field as ProductField](value, `${path}.${field}`);
  }
  for (const field of required) if (product[field] === undefined) fail(`${path}.${field} is required ${why}`);
  return product as unknown as Product;
};

/**
 * Product fields a call needs beyond `id`: a refund counts units; eSputnik prices every product it is shown
 * (a removal excepted: its cart keeps the price), and its orders name their items.
 */
const requiredFields = (type: Method, esputnik: EsputnikFormat | undefined): ProductField[] =>
  type == 'refund' ? ['quantity'] : !esputnik || type == 'removeFromCart' ? [] : esputnik == 'event' && type == 'purchase' ? ['price', 'name'] : ['price'];

/**
 * Whatever the store's getters and proxies throw while a check reads its data becomes an Error with a readable
 * message: the caller's `catch` must never meet a thrown value that throws again when looked at.
 */
const guarded =
  <A extends unknown[], T>(check: (...args: A) => T) =>
  (...args: A): T => {
    try {
      return check(...args);
    } catch (failure) {
      let reason: string;
      try {
        reason = failure instanceof Error ? '' + failure.message : show(failure);
      } catch {
        reason = 'reading it threw';
      }
      return fail(reason);
    }
  };

/** `esputnik`: the format of the account's eSputnik delivery, if it has one. */
export const toEvent = guarded((method: unknown, params: unknown, esputnik?: EsputnikFormat): EcomEvent => {
  const type = METHODS.indexOf(method as Method) < 0 ? bad('the method', METHODS.join(', '), method) : (method as Method);
  if (!isRecord(params)) return bad('params', 'an object', params);
  const refund = type == 'refund';
  const list = params.products;
  const raw: unknown[] = list == null ? [] : Array.isArray(list) ? list : bad('products', 'an array', list);
  if (!raw.length && !refund) return fail('products must not be empty');
  const required = requiredFields(type, esputnik);
  // Array.from, not map: a hole in a sparse array is a missing product, not one to skip.
  const event: EcomEvent = { type, products: Array.from(raw, (p, i) => toProduct(p, `products[${i}]`, required, refund ? 'in a refund' : 'by eSputnik')) };
  if (refund || type == 'purchase') event.id = toId(params.id, 'id');
  const bytes = new Blob([JSON.stringify(event)]).size + ENVELOPE_BYTES;
  return bytes > KEEPALIVE_BYTES ? fail(`the event is ${bytes} bytes, over the 64 KB limit`) : event;
});

const CONTACT_FIELDS: Array<keyof Contact> = ['email', 'phone', 'externalCustomerId', 'name'];

export const toContact = guarded((raw: unknown): Contact => {
  if (!isRecord(raw)) return bad('the contact', 'an object', raw);
  const contact: Contact = {};
  for (const field of CONTACT_FIELDS) {
    const value = raw[field];
    if (value != null && value !== '') contact[field] = toText(value, field).trim();
  }
  if (contact.email && !/^[^\s@]+@[^\s@]+$/.test(contact.email)) bad('email', 'an address', contact.email);
  return CONTACT_FIELDS.some((field) => contact[field]) ? contact : fail('the contact needs one of ' + CONTACT_FIELDS.join(', '));
});
