/**
 * The Generate event v2 bodies the relay forwards, and the rules each event type must meet (seeds 001 and 002).
 * Lenient where eSputnik is (a structured value as a JSON string or as raw JSON, numbers as numeric strings,
 * params it does not know), strict where it would drop the event (required params, their shapes, the order
 * status and date formats). Messages name params and fields, never the values sent: they go to the log too,
 * and values may be personal data.
 */
import type { EsputnikEventType } from '../wire';

/** Pushes what is wrong with `value` at `path` onto `errors`. */
type Check = (value: unknown, path: string, errors: string[]) => void;

/** A field or param that may be absent (null counts as absent: it carries nothing eSputnik could misread). */
interface Optional {
  optional: Check;
}
type Field = Check | Optional;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text: Check = (value, path, errors) => {
  if (typeof value !== 'string' || value.trim() === '') errors.push(`${path} must be a non-empty string`);
};

const string: Check = (value, path, errors) => {
  if (typeof value !== 'string') errors.push(`${path} must be a string`);
};

/** Inside a JSON value the field tables say Double/Decimal: a JSON number. */
const number: Check = (value, path, errors) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) errors.push(`${path} must be a number`);
};

/** A param's own value is a string on the wire ("258.0" in seed 001), or a bare number. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const numeric: Check = (value, path, errors) => {
  if (!(typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && DECIMAL.test(value.trim()))) {
    errors.push(`${path} must be a number`);
  }
};

/** isInStock / isFound: an Int of 0 or 1 (seed 002), as a number or, from the tag, a string. */
const flag: Check = (value, path, errors) => {
  if (value !== 0 && value !== 1 && value !== '0' && value !== '1') errors.push(`${path} must be 0 or 1`);
};

/** discount: a String in cartUpdated's table; a number means the same. */
const stringOrNumber: Check = (value, path, errors) => {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) errors.push(`${path} must be a string or a number`);
};

const CURRENCY = /^[A-Za-z]{3}$/;
const currency: Check = (value, path, errors) => {
  if (typeof value !== 'string' || !CURRENCY.test(value)) errors.push(`${path} must be an ISO 4217 code such as RUB`);
};

export const ORDER_STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART'] as const;
const status: Check = (value, path, errors) => {
  if (!(ORDER_STATUSES as readonly unknown[]).includes(value)) errors.push(`${path} must be one of ${ORDER_STATUSES.join(', ')}`);
};

/** `YYYY-MM-ddTHH:mm:ss` (seed 001), and a real calendar time: eSputnik ignores an order it cannot date. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const dateTime: Check = (value, path, errors) => {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (match) {
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60) return;
  }
  errors.push(`${path} must be a date YYYY-MM-ddTHH:mm:ss`);
};

const optional = (check: Check): Optional => ({ optional: check });

const object =
  (fields: Record<string, Field>): Check =>
  (value, path, errors) => {
    if (!isObject(value)) {
      errors.push(`${path} must be an object`);
      return;
    }
    for (const [name, field] of Object.entries(fields)) {
      const present = Object.prototype.hasOwnProperty.call(value, name) && value[name] !== null && value[name] !== undefined;
      if (typeof field === 'function') {
        if (present) field(value[name], `${path}.${name}`, errors);
        else errors.push(`${path}.${name} is required`);
      } else if (present) field.optional(value[name], `${path}.${name}`, errors);
    }
  };

const array =
  (item: Check): Check =>
  (value, path, errors) => {
    if (!Array.isArray(value)) errors.push(`${path} must be an array`);
    else value.forEach((entry, index) => item(entry, `${path}[${index}]`, errors));
  };

/**
 * product, products, items, page, category: the tag sends a JSON string, as the field tables say; seed 001
 * shows eSputnik taking the raw array or object as well.
 */
const json =
  (shape: Check, expected: 'array' | 'object'): Check =>
  (value, path, errors) => {
    let parsed = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        errors.push(`${path} must be a JSON ${expected}`);
        return;
      }
    }
    if (expected === 'array' ? !Array.isArray(parsed) : !isObject(parsed)) errors.push(`${path} must be a JSON ${expected}`);
    else shape(parsed, path, errors);
  };

// Shapes of seed 002's structured params.
const viewedProduct = object({ productId: text, price: number, isInStock: optional(flag) });
const cartProduct = object({
  productId: text,
  quantity: number,
  price: number,
  name: optional(string),
  category: optional(string),
  discount: optional(stringOrNumber),
});
/**
 * Seed 001 calls all six item fields required. The relay requires the three without which a line means nothing;
 * name, url and imageUrl must be strings when present. A 400 makes the tag drop a purchase for good, while
 * eSputnik still records the order from its own required params when a line lacks a picture.
 */
const orderItem = object({
  externalItemId: text,
  quantity: number,
  cost: number,
  name: optional(string),
  url: optional(string),
  imageUrl: optional(string),
});

/** The params eSputnik reads a contact from, in its order of preference, when keyValue is absent. */
export const CONTACT_PARAMS = ['contactId', 'externalCustomerId', 'email', 'phone', 'pushToken'] as const;
/** An order must name its contact by one of these (seed 001). */
const ORDER_CONTACTS = ['externalCustomerId', 'email', 'phone'] as const;

interface EventRule {
  params: Record<string, Field>;
  /** Needs one of ORDER_CONTACTS among its params, whatever keyValue says. */
  orderContact?: boolean;
}

/** eSputnik may change an order from these without it existing yet; checked when present. */
const orderFields = {
  totalCost: optional(numeric),
  status: optional(status),
  date: optional(dateTime),
  currency: optional(currency),
  items: optional(json(array(orderItem), 'array')),
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
  pageViewed: { params: { page: json(object({ location: text }), 'object') } },
  productViewed: { params: { product: json(viewedProduct, 'object'), currencyCode: optional(currency) } },
  productCategoryViewed: { params: { category: json(object({ productCategoryId: text }), 'object') } },
  // "Required if the cart is not empty": an emptied cart may send [] or leave products out.
  cartUpdated: {
    params: { products: optional(json(array(cartProduct), 'array')), recycleStateId: text, currencyCode: optional(currency) },
  },
  // The r{recomId}v{variantId} format is documented but not what eSputnik rejects on; any id passes.
  productImpressions: { params: { recomVariantId: text, products: json(array(object({ productId: text })), 'array') } },
  productAddedToWishlist: { params: { product: json(viewedProduct, 'object'), currencyCode: optional(currency) } },
  searchRequest: { params: { search: text, isFound: optional(flag) } },
  // Seed 001: orders.
  orderCreated: {
    params: { externalOrderId: text, ...orderFields, totalCost: numeric, status, date: dateTime },
    orderContact: true,
  },
  orderUpdated: { params: { externalOrderId: text, ...orderFields } },
  orderDelivered: { params: { externalOrderId: text } },
  orderCancelled: { params: { externalOrderId: text } },
};

export const EVENT_TYPES = Object.keys(EVENTS) as KnownEventType[];

export const isKnown = (key: unknown): key is KnownEventType =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, key);

export interface Verdict {
  /** The event type when the relay knows it, accepted or not (only then may it be logged). */
  eventTypeKey: KnownEventType | null;
  /** Empty when eSputnik will take the body. */
  errors: string[];
}

/**
 * Checks a parsed body against Generate event v2 and the rules of its event type; a type the relay knows but
 * was told not to take (`accepted`) is refused like an unknown one.
 */
export const checkEvent = (body: unknown, accepted: readonly KnownEventType[] = EVENT_TYPES): Verdict => {
  if (!isObject(body)) return { eventTypeKey: null, errors: ['the body must be a JSON object {eventTypeKey, keyValue, params}'] };
  const known = isKnown(body.eventTypeKey) ? body.eventTypeKey : null;
  const eventTypeKey = known !== null && accepted.includes(known) ? known : null;
  const errors: string[] = [];
  if (eventTypeKey === null) {
    errors.push(typeof body.eventTypeKey === 'string' ? `eventTypeKey must be one of ${accepted.join(', ')}` : 'eventTypeKey is required');
  }
  if (body.keyValue !== undefined) text(body.keyValue, 'keyValue', errors);
  if (!Array.isArray(body.params)) {
    errors.push('params must be an array of {name, value}');
    return { eventTypeKey: known, errors };
  }

  const values = new Map<string, unknown>();
  const repeated = new Set<string>();
  body.params.forEach((param: unknown, index) => {
    if (!isObject(param) || typeof param.name !== 'string' || param.name === '') {
      errors.push(`params[${index}] must be {name, value} with a non-empty name`);
    } else if (param.value === undefined || param.value === null) {
      errors.push(`params[${index}].value is required`);
    } else {
      if (values.has(param.name)) repeated.add(param.name);
      values.set(param.name, param.value);
    }
  });
  if (eventTypeKey === null) return { eventTypeKey: known, errors };

  const rule = EVENTS[eventTypeKey];
  // Only names the relay checks are reported, so a message never carries a name the client made up.
  for (const name of [...Object.keys(rule.params), ...CONTACT_PARAMS]) {
    if (repeated.has(name)) errors.push(`param ${name} is given more than once`);
  }
  for (const [name, field] of Object.entries(rule.params)) {
    const value = values.get(name);
    if (typeof field === 'function') {
      if (value === undefined) errors.push(`param ${name} is required`);
      else field(value, `param ${name}`, errors);
    } else if (value !== undefined) field.optional(value, `param ${name}`, errors);
  }
  for (const name of CONTACT_PARAMS) {
    const value = values.get(name);
    if (value !== undefined && !rule.params[name]) text(value, `param ${name}`, errors);
  }
  if (rule.orderContact && !ORDER_CONTACTS.some((name) => values.has(name))) {
    errors.push(`${eventTypeKey} needs a contact param: ${ORDER_CONTACTS.join(', ')}`);
  }
  if (body.keyValue === undefined && !CONTACT_PARAMS.some((name) => values.has(name))) {
    errors.push(`keyValue is missing and no param names the contact (${CONTACT_PARAMS.join(', ')})`);
  }
  return { eventTypeKey, errors };
};
