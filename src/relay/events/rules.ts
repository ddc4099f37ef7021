/**
 * The Generate event v2 bodies the relay forwards, and the rules each event type must meet (seeds 001 and 002).
 * Lenient where eSputnik is (a structured value as a JSON string or as raw JSON, numbers as numeric strings), strict
 * where it would drop the event (required params, their shapes, the order status and date formats) and within the
 * bounds an order can have. checkEvent re-builds the body from what it checked: only known params, only known fields
 * inside them, one value per name; a duplicate key or param cannot smuggle anything past it.
 */
import type { EsputnikEventType, EsputnikGeneratedEvent, EsputnikParam } from '../../wire';
import { CONTACT_PARAM, KEY_VALUE_LIMIT, locatorKind, normalContact, type SubjectKind } from './contact';
import { orderItems, type ItemHosts } from './items';
import {
  amount,
  array,
  count,
  currency,
  dateTime,
  decimal,
  discount,
  flag,
  ID_LIMIT,
  isObject,
  json,
  label,
  object,
  optional,
  status,
  text,
  TEXT_LIMIT,
  URL_LIMIT,
  type Field,
} from './shapes';

// Shapes of seed 002's structured params.
const viewedProduct = object({ productId: text(ID_LIMIT), price: amount, isInStock: optional(flag) });
const cartProduct = object({
  productId: text(ID_LIMIT),
  quantity: count,
  price: amount,
  name: optional(label(TEXT_LIMIT)),
  category: optional(label(TEXT_LIMIT)),
  discount: optional(discount),
});

interface EventRule {
  params: Record<string, Field>;
  /** Needs an externalCustomerId, email or phone param, whatever keyValue says (seed 001). */
  orderContact?: boolean;
  /** Carries seed 001's `items`, forwarded only when they are complete (items.ts). */
  items?: boolean;
}

/** eSputnik may change an order from these without it existing yet; checked when present. */
const orderFields = {
  totalCost: optional(decimal),
  status: optional(status),
  date: optional(dateTime),
  currency: optional(currency),
  // "a unique id connecting the cart events and purchases" (seed 002)
  recycleStateId: optional(text(ID_LIMIT)),
};

/** The event types the tag sends (wire.ts) must all be here: the compiler checks it. */
export type KnownEventType =
  | EsputnikEventType
  | 'pageViewed'
  | 'productCategoryViewed'
  | 'productImpressions'
  | 'productAddedToWishlist'
  | 'searchRequest'
  | 'orderUpdated'
  | 'orderDelivered';

const EVENTS: Record<KnownEventType, EventRule> = {
  // Seed 002: site activity.
  pageViewed: { params: { page: json(object({ location: text(URL_LIMIT) }), 'object') } },
  productViewed: { params: { product: json(viewedProduct, 'object'), currencyCode: optional(currency) } },
  productCategoryViewed: { params: { category: json(object({ productCategoryId: text(ID_LIMIT) }), 'object') } },
  // "Required if the cart is not empty": an emptied cart may send [] or leave products out.
  cartUpdated: {
    params: { products: optional(json(array(cartProduct), 'array')), recycleStateId: text(ID_LIMIT), currencyCode: optional(currency) },
  },
  // The r{recomId}v{variantId} format is documented but not what eSputnik rejects on; any id passes.
  productImpressions: { params: { recomVariantId: text(ID_LIMIT), products: json(array(object({ productId: text(ID_LIMIT) })), 'array') } },
  productAddedToWishlist: { params: { product: json(viewedProduct, 'object'), currencyCode: optional(currency) } },
  searchRequest: { params: { search: text(TEXT_LIMIT), isFound: optional(flag) } },
  // Seed 001: orders.
  orderCreated: {
    params: { externalOrderId: text(ID_LIMIT), ...orderFields, totalCost: decimal, status, date: dateTime },
    orderContact: true,
    items: true,
  },
  orderUpdated: { params: { externalOrderId: text(ID_LIMIT), ...orderFields }, items: true },
  orderDelivered: { params: { externalOrderId: text(ID_LIMIT) } },
  orderCancelled: { params: { externalOrderId: text(ID_LIMIT) } },
};

export const EVENT_TYPES = Object.keys(EVENTS) as KnownEventType[];

export const isKnown = (key: unknown): key is KnownEventType =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, key);

/** Where eSputnik takes keyValue from when it is absent: contactId → externalCustomerId → email → phone → pushToken. */
const KEY_PRECEDENCE: Array<SubjectKind | null> = [null, 'ext', 'email', 'phone'];

/** More params than any event has; a body of 20 KB could otherwise carry a thousand. */
const PARAMS_LIMIT = 50;

/** A param that names a contact, as checked: its matching form, or null when it is no such contact. */
export interface ContactParam {
  name: string;
  /** null: one of eSputnik's own ids or tokens (contactId, pushToken, contactKey), which no page knows */
  kind: SubjectKind | null;
  /** Checked; null only while there are errors. */
  value: string | null;
}

export interface Checked {
  /** The event type when the relay knows it, accepted or not (only then may it be logged). */
  eventTypeKey: KnownEventType | null;
  /** Empty when eSputnik will take the event. */
  errors: string[];
  /** What was left out of the forwarded event, and why. */
  notes: string[];
  /** The event as forwarded, when there are no errors: contact params in their matching form, `items` only if kept. */
  event: EsputnikGeneratedEvent | null;
  /** keyValue as given (a string), when there is one. */
  keyValue: string | null;
  /** Every param that names a contact. */
  contacts: ContactParam[];
  /** The checked values of the event's own params, by name. */
  values: ReadonlyMap<string, string>;
}

export interface CheckOptions {
  /** The event types taken; a known one not listed is refused like an unknown one. */
  accepted: readonly KnownEventType[];
  /** Hosts an item's links may name (items.ts). */
  itemHosts: ItemHosts;
}

const refused = (eventTypeKey: KnownEventType | null, errors: string[]): Checked => ({
  eventTypeKey,
  errors,
  notes: [],
  event: null,
  keyValue: null,
  contacts: [],
  values: new Map(),
});

/** Checks a parsed body against Generate event v2 and the rules of its event type, and re-builds it from what it checked. */
export const checkEvent = (body: unknown, { accepted, itemHosts }: CheckOptions): Checked => {
  if (!isObject(body)) return refused(null, ['the body must be a JSON object {eventTypeKey, keyValue, params}']);
  const known = isKnown(body.eventTypeKey) ? body.eventTypeKey : null;
  const eventTypeKey = known !== null && accepted.includes(known) ? known : null;
  const errors: string[] = [];
  const notes: string[] = [];
  if (eventTypeKey === null) {
    errors.push(typeof body.eventTypeKey === 'string' ? `eventTypeKey must be one of ${accepted.join(', ')}` : 'eventTypeKey is required');
  }
  const keyValue = body.keyValue === undefined ? null : text(KEY_VALUE_LIMIT)(body.keyValue, 'keyValue', errors, notes) ?? null;
  if (!Array.isArray(body.params)) return refused(known, [...errors, 'params must be an array of {name, value}']);
  if (body.params.length > PARAMS_LIMIT) return refused(known, [...errors, `params must have at most ${PARAMS_LIMIT} entries`]);

  const given = new Map<string, unknown>();
  const repeated = new Set<string>();
  body.params.forEach((param: unknown, index) => {
    if (!isObject(param) || typeof param.name !== 'string' || param.name === '' || param.name.length > 100) {
      errors.push(`params[${index}] must be {name, value} with a name of 1 to 100 characters`);
    } else if (param.value === undefined || param.value === null) {
      errors.push(`params[${index}].value is required`);
    } else {
      if (given.has(param.name)) repeated.add(param.name);
      given.set(param.name, param.value);
    }
  });
  if (eventTypeKey === null) return refused(known, errors);

  const rule = EVENTS[eventTypeKey];
  const values = new Map<string, string>();
  const contacts: ContactParam[] = [];
  for (const [name, value] of given) {
    const kind = locatorKind(name);
    if (kind === undefined) continue;
    // Only names the relay knows are reported, so a message never carries a name the client made up.
    if (repeated.has(name)) errors.push(`param ${name} is given more than once`);
    const matching = kind === null ? (text(KEY_VALUE_LIMIT)(value, `param ${name}`, errors, notes) ?? null) : normalContact(kind, value);
    if (kind !== null && matching === null) errors.push(`param ${name} is no ${kind === 'ext' ? 'externalCustomerId' : kind} eSputnik can match`);
    contacts.push({ name, kind, value: matching });
  }
  for (const [name, field] of Object.entries(rule.params)) {
    const value = given.get(name);
    if (repeated.has(name)) errors.push(`param ${name} is given more than once`);
    if (value === undefined) {
      if (typeof field === 'function') errors.push(`param ${name} is required`);
      continue;
    }
    const checked = (typeof field === 'function' ? field : field.optional)(value, `param ${name}`, errors, notes);
    if (checked !== undefined) values.set(name, String(checked));
  }
  if (rule.items && given.has('items')) {
    if (repeated.has('items')) errors.push('param items is given more than once');
    const kept = orderItems(given.get('items'), values.get('totalCost'), itemHosts);
    if ('items' in kept) values.set('items', kept.items);
    else notes.push(`forwarded without items: ${kept.dropped}`);
  }
  const orderContacts = Object.values(CONTACT_PARAM);
  if (rule.orderContact && !contacts.some((contact) => orderContacts.includes(contact.name))) {
    errors.push(`${eventTypeKey} needs a contact param: ${orderContacts.join(', ')}`);
  }
  if (keyValue === null && contacts.length === 0) {
    errors.push(`keyValue is missing and no param names the contact (${orderContacts.join(', ')})`);
  }
  if (errors.length > 0) return { ...refused(eventTypeKey, errors), keyValue, contacts };

  const dropped = [...given.keys()].filter((name) => !values.has(name) && !(rule.items && name === 'items') && !contacts.some((contact) => contact.name === name));
  if (dropped.length > 0) notes.push(`${dropped.length} param(s) the relay does not forward left out`);
  // In the order they were given: a body the relay had nothing to change in goes out as it came, less its identity.
  const params: EsputnikParam[] = [];
  for (const name of given.keys()) {
    const contact = contacts.find((entry) => entry.name === name);
    const value = contact ? contact.value : values.get(name);
    if (value !== undefined && value !== null) params.push({ name, value });
  }
  // Without keyValue eSputnik reads the contact from the params, in its order; written out, so the event says it.
  const first = [...contacts].sort((a, b) => KEY_PRECEDENCE.indexOf(a.kind) - KEY_PRECEDENCE.indexOf(b.kind))[0];
  const event: EsputnikGeneratedEvent = { eventTypeKey, keyValue: keyValue ?? (first.value as string), params };
  return { eventTypeKey, errors, notes, event, keyValue, contacts, values };
};
