/**
 * What the store's server posts to `/backoffice/orders`, checked field by field: every field that breaks a rule is
 * named with the rule (`products[1].quantity must be a whole number from 1 to 100000`), never with its value (the
 * reasons reach the log). A body is one order, a list of up to 100, or `{orders: [...]}`; one bad order refuses the
 * whole body, so nothing is half sent and the caller fixes and resends it as it was.
 *
 * The contact is the one part checked for eSputnik alone: a malformed email or phone from the store's data costs
 * eSputnik that locator (or the order, when none is left, which its answer says), never Calltouch its refund.
 */
import type { BackofficeDestination, BackofficeStatus } from '../../backoffice/types';
import type { Product } from '../../call/event';
import { normalContact, type Subject, type SubjectKind } from '../events/contact';
import { AMOUNT_LIMIT, dateTimeMs, ID_LIMIT, isObject, LINES_LIMIT, QUANTITY_LIMIT, TEXT_LIMIT, URL_LIMIT } from '../events/shapes';

export const STATUSES: readonly BackofficeStatus[] = ['in_progress', 'delivered', 'cancelled', 'refunded', 'updated'];
export const DESTINATIONS: readonly BackofficeDestination[] = ['esputnik', 'calltouch'];
/** Orders in one body at most. */
export const BATCH_LIMIT = 100;
/** A contact's name, as eSputnik's firstName. */
const NAME_LIMIT = 200;

const ORDER_FIELDS = ['id', 'status', 'date', 'contact', 'products', 'refund', 'origin', 'destinations'];
const PRODUCT_FIELDS = ['id', 'name', 'price', 'quantity', 'discount', 'url', 'imageUrl'];
const CONTACT_FIELDS = ['email', 'phone', 'externalCustomerId', 'name'];

/** An order change as checked: ids as strings, amounts as numbers, the date as eSputnik writes it. */
export interface OrderChange {
  id: string;
  status: BackofficeStatus;
  /** `YYYY-MM-ddTHH:mm:ss`, the store's wall clock. */
  date?: string;
  /** The contact eSputnik files the order under (externalCustomerId, else email, else phone), with the rest of it. */
  contact?: ContactGiven;
  /** The order's lines as they stand after this change. */
  products?: Product[];
  /** With status refunded: the lines given back, id and quantity; empty for the whole order. */
  returned: Product[];
  origin: 'site' | 'offline';
  destinations: readonly BackofficeDestination[];
  /** What was left out of the order, and why. */
  notes: string[];
}

export interface ContactGiven {
  /** null when no locator eSputnik can match was given. */
  subject: Subject | null;
  email?: string;
  phone?: string;
  externalCustomerId?: string;
  name?: string;
}

/** The reason a field breaks its rule, thrown by the readers below and caught per field. */
class Broken extends Error {}
const broken = (rule: string): never => {
  throw new Broken(rule);
};

/** Absent: left out, null, or an empty string (what a store's template writes for a field it does not have). */
const absent = (value: unknown) => value === undefined || value === null || value === '';

/** An id: a string, or a whole number as a store's database gives one. */
const text = (limit: number) => (value: unknown): string => {
  const written = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : typeof value === 'string' ? value.trim() : broken('must be a string or a whole number');
  if (written === '') return broken('is required');
  if (written.length > limit) return broken(`must be at most ${limit} characters`);
  if (/[\u0000-\u001f\u007f]/.test(written)) return broken('must not contain control characters');
  return written;
};

const id = text(ID_LIMIT);

/** A number, or a decimal string as a store's database writes one ("150.50"). */
const amount = (value: unknown): number => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,12}(\.\d{1,10})?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number) || number < 0 || number > AMOUNT_LIMIT) return broken(`must be a number from 0 to ${AMOUNT_LIMIT} such as 150.50`);
  return number;
};

const units = (value: unknown): number => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > QUANTITY_LIMIT) return broken(`must be a whole number from 1 to ${QUANTITY_LIMIT}`);
  return number;
};

const string = (limit: number) => (value: unknown): string => {
  if (typeof value !== 'string') return broken('must be a string');
  if (value.length > limit) return broken(`must be at most ${limit} characters`);
  return value.trim();
};

/** Seed 001's `YYYY-MM-ddTHH:mm:ss`, or with a space as MySQL writes it (miniShop2's `createdon`). */
const date = (value: unknown): string => {
  const written = typeof value === 'string' ? value.trim().replace(' ', 'T') : '';
  if (dateTimeMs(written) === null) return broken("must be the order's date as YYYY-MM-DDTHH:mm:ss, in the store's time");
  return written;
};

const oneOf = <T extends string>(allowed: readonly T[]) => (value: unknown): T =>
  (allowed as readonly unknown[]).includes(value) ? (value as T) : broken(`must be one of ${allowed.join(', ')}`);

/** Reads one field: its value, or undefined after saying why at `path`. */
const reader = (errors: string[]) => <T>(path: string, value: unknown, read: (value: unknown) => T): T | undefined => {
  try {
    return read(value);
  } catch (error) {
    if (!(error instanceof Broken)) throw error;
    errors.push(`${path} ${error.message}`);
    return undefined;
  }
};

/** The record at `path`, its unknown fields named: a misspelt `refund` must not turn a partial refund into a full one. */
const record = (errors: string[], path: string, value: unknown, fields: readonly string[], what: string): Record<string, unknown> | undefined => {
  if (!isObject(value)) {
    errors.push(`${path || 'an order'} must be an object`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    // A name is repeated only when it looks like one: the caller may have put anything there, a secret too.
    const named = /^[A-Za-z_$][\w$]{0,29}$/.test(key) ? key : `a field named with ${key.length} characters`;
    if (!fields.includes(key)) errors.push(`${path === '' ? '' : `${path}.`}${named} is not a field of ${what} (${fields.join(', ')})`);
  }
  return value;
};

const list = (errors: string[], path: string, value: unknown): unknown[] | undefined => {
  if (!Array.isArray(value)) errors.push(`${path} must be an array`);
  else if (value.length === 0) errors.push(`${path} must not be empty`);
  else if (value.length > LINES_LIMIT) errors.push(`${path} must have at most ${LINES_LIMIT} lines`);
  else return value;
  return undefined;
};

const productAt = (errors: string[], path: string, value: unknown): Product | undefined => {
  const before = errors.length;
  const fields = record(errors, path, value, PRODUCT_FIELDS, 'a product');
  if (!fields) return undefined;
  const read = reader(errors);
  const product: Product = {
    id: read(`${path}.id`, fields.id, id) ?? '',
    price: absent(fields.price) ? (errors.push(`${path}.price is required`), 0) : read(`${path}.price`, fields.price, amount),
    quantity: absent(fields.quantity) ? (errors.push(`${path}.quantity is required`), 0) : read(`${path}.quantity`, fields.quantity, units),
  };
  if (!absent(fields.name)) product.name = read(`${path}.name`, fields.name, string(TEXT_LIMIT));
  if (!absent(fields.discount)) product.discount = read(`${path}.discount`, fields.discount, amount);
  if (!absent(fields.url)) product.url = read(`${path}.url`, fields.url, string(URL_LIMIT));
  if (!absent(fields.imageUrl)) product.imageUrl = read(`${path}.imageUrl`, fields.imageUrl, string(URL_LIMIT));
  return errors.length === before ? product : undefined;
};

const returnedAt = (errors: string[], path: string, value: unknown): Product | undefined => {
  const before = errors.length;
  const fields = record(errors, path, value, ['id', 'quantity'], 'a refunded line');
  if (!fields) return undefined;
  const read = reader(errors);
  const line: Product = {
    id: read(`${path}.id`, fields.id, id) ?? '',
    quantity: absent(fields.quantity) ? (errors.push(`${path}.quantity is required`), 0) : read(`${path}.quantity`, fields.quantity, units),
  };
  return errors.length === before ? line : undefined;
};

/** The contact's fields; a locator eSputnik could not match is left out with a note, not refused. */
const contactOf = (errors: string[], notes: string[], value: unknown): ContactGiven | undefined => {
  const fields = record(errors, 'contact', value, CONTACT_FIELDS, 'the contact');
  if (!fields) return undefined;
  const contact: ContactGiven = { subject: null };
  const locators: Array<[SubjectKind, 'externalCustomerId' | 'email' | 'phone', string]> = [
    ['ext', 'externalCustomerId', 'an id of at most 300 characters without < ; \' \\ / | " ^ ? ! , > or control characters'],
    ['email', 'email', 'an email address'],
    ['phone', 'phone', 'a phone number in international format, 7 to 15 digits (+7 900 123-45-67)'],
  ];
  for (const [kind, name, rule] of locators) {
    const given = fields[name];
    if (absent(given)) continue;
    if (typeof given !== 'string' && typeof given !== 'number') {
      errors.push(`contact.${name} must be a string`);
      continue;
    }
    const matching = normalContact(kind, given);
    if (matching === null) {
      notes.push(`contact.${name} left out: it is not ${rule}`);
      continue;
    }
    contact[name] = matching;
    contact.subject ??= { kind, value: matching };
  }
  if (!absent(fields.name)) {
    const name = reader(errors)('contact.name', fields.name, string(NAME_LIMIT));
    if (name) contact.name = name;
  }
  return contact;
};

/** One order of the body, checked; `errors` gets a reason per broken field. */
const orderAt = (errors: string[], value: unknown): OrderChange | undefined => {
  const before = errors.length;
  const fields = record(errors, '', value, ORDER_FIELDS, 'an order');
  if (!fields) return undefined;
  const read = reader(errors);
  const notes: string[] = [];
  const status = absent(fields.status) ? (errors.push('status is required'), undefined) : read('status', fields.status, oneOf(STATUSES));
  const change: OrderChange = {
    id: absent(fields.id) ? (errors.push('id is required'), '') : (read('id', fields.id, id) ?? ''),
    status: status ?? 'updated',
    returned: [],
    origin: absent(fields.origin) ? 'site' : (read('origin', fields.origin, oneOf(['site', 'offline'] as const)) ?? 'site'),
    destinations: DESTINATIONS,
    notes,
  };
  if (!absent(fields.date)) change.date = read('date', fields.date, date);
  if (!absent(fields.contact)) change.contact = contactOf(errors, notes, fields.contact);
  if (!absent(fields.products)) {
    const lines = list(errors, 'products', fields.products);
    if (lines) change.products = lines.map((line, index) => productAt(errors, `products[${index}]`, line)).filter((line) => line !== undefined);
  }
  if (!absent(fields.refund)) {
    if (status !== undefined && status !== 'refunded') errors.push('refund goes only with status refunded');
    const refund = record(errors, 'refund', fields.refund, ['products'], 'a refund');
    // An empty list is Calltouch's own way of saying "the whole order" (seed 000): taken as a full refund.
    if (refund && !absent(refund.products) && !(Array.isArray(refund.products) && refund.products.length === 0)) {
      const lines = list(errors, 'refund.products', refund.products);
      if (lines) change.returned = lines.map((line, index) => returnedAt(errors, `refund.products[${index}]`, line)).filter((line) => line !== undefined);
    }
  }
  if (!absent(fields.destinations)) {
    const named = Array.isArray(fields.destinations) ? fields.destinations : null;
    if (!named || named.length === 0 || !named.every((name) => DESTINATIONS.includes(name)) || new Set(named).size !== named.length) {
      errors.push(`destinations must list some of ${DESTINATIONS.join(', ')}, each once`);
    } else change.destinations = named as BackofficeDestination[];
  }
  if (absent(fields.products)) {
    if (status === 'updated') errors.push('products is required with status updated: the order\'s lines as they now stand');
    else if (change.origin === 'offline' && status !== 'cancelled' && status !== 'refunded') {
      errors.push("products is required with origin offline: Calltouch's purchase lists them");
    }
  }
  return errors.length === before ? change : undefined;
};

/** The orders of a body, or every reason it is refused (each prefixed by its order's place in a list). */
export const readOrders = (body: unknown): { orders: OrderChange[] } | { errors: string[] } => {
  const batch = Array.isArray(body) ? body : isObject(body) && Object.keys(body).length === 1 && Array.isArray(body.orders) ? body.orders : null;
  if (!batch) {
    const errors: string[] = [];
    const order = isObject(body) ? orderAt(errors, body) : (errors.push('the body must be an order {id, status, …}, a list of orders, or {orders: [...]}'), undefined);
    return order ? { orders: [order] } : { errors };
  }
  if (batch.length === 0) return { errors: ['the list of orders is empty'] };
  if (batch.length > BATCH_LIMIT) return { errors: [`a body carries at most ${BATCH_LIMIT} orders, this one ${batch.length}`] };
  const orders: OrderChange[] = [];
  const errors: string[] = [];
  batch.forEach((entry, index) => {
    const own: string[] = [];
    const order = orderAt(own, entry);
    if (order) orders.push(order);
    const named = isObject(entry) && (typeof entry.id === 'string' || typeof entry.id === 'number') ? ` (order ${String(entry.id).slice(0, 50)})` : '';
    for (const error of own) errors.push(`orders[${index}]${named}: ${error}`);
  });
  return errors.length > 0 ? { errors } : { orders };
};
