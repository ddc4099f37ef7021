// The strict shapes of the two bodies the tag sends eSputnik
// (reference/esputnik.md, seeds 001 and 002):
//
// - the tracker API body (§1), posted from the page: `GeneralInfo` plus one
//   object named after the event;
// - the Generate event v2 body (§2), posted by the relay with the API key:
//   `{eventTypeKey, keyValue, params: [{name, value}]}`.
//
// Strict on purpose, and only for what the tag sends (four events each):
// eSputnik ignores an order event that misses a required parameter (seed 001)
// and keeps structured data it cannot read as an unusable string, and nobody
// sees that from the store's side, so anything loose here would let the tag
// ship bodies that quietly do nothing. Where the documents' examples
// disagree with their field tables, the tables win (reference/README.md);
// each such place says so below.

import { check, describe, exactKeys, isNonEmptyString, isObject } from './schema-rules.mjs';

/** @typedef {'ProductPage' | 'StatusCart' | 'PurchasedItems' | 'CustomerData'} TrackerEventName */
/** @typedef {'productViewed' | 'cartUpdated' | 'orderCreated' | 'orderCancelled' | 'orderUpdated' | 'orderDelivered'} EventTypeKey */

// ---------------------------------------------------------------------------
// Tracker API (reference/esputnik.md §1)

/** @type {TrackerEventName[]} */
const TRACKER_EVENTS = ['ProductPage', 'StatusCart', 'PurchasedItems', 'CustomerData'];
/** The events that carry an object named after them (CustomerData is GeneralInfo alone). */
const TRACKER_EVENT_OBJECTS = ['ProductPage', 'StatusCart', 'PurchasedItems'];
const GENERAL_INFO_KEYS = ['eventName', 'siteId', 'datetime', 'externalCustomerId', 'user_phone', 'user_email',
  'user_name', 'cookies'];
// user_name counts as a contact field: the tag's set_contact accepts a name
// alone, and eSputnik's CustomerData is "GeneralInfo with the contact fields".
const TRACKER_CONTACT_KEYS = ['externalCustomerId', 'user_phone', 'user_email', 'user_name'];
const CART_PRODUCT_KEYS = ['productKey', 'price', 'discount', 'quantity', 'price_currency_code'];
const PURCHASED_PRODUCT_KEYS = ['product_id', 'unit_price', 'quantity'];
/** A sanity floor for `datetime`: a timestamp in seconds, or a made-up one, lands before it. */
const EPOCH_2020 = Date.UTC(2020, 0, 1);

/**
 * The tracker event's name, e.g. 'ProductPage'; 'unknown' when the body has none.
 * @param {unknown} body
 * @returns {string}
 */
export function classifyEsputnikTracker(body) {
  const info = isObject(body) ? body.GeneralInfo : undefined;
  return isObject(info) && isNonEmptyString(info.eventName) ? info.eventName : 'unknown';
}

/**
 * @param {unknown} body a parsed JSON body
 * @returns {string[]} readable errors, `path: expected …, got …`; empty when valid
 */
export function validateEsputnikTracker(body) {
  if (!isObject(body)) return [`body: expected object, got ${describe(body)}`];
  /** @type {string[]} */
  const errors = [];
  const info = body.GeneralInfo;
  const eventName = isObject(info) && typeof info.eventName === 'string' ? info.eventName : undefined;
  const type = TRACKER_EVENTS.find((name) => name === eventName);

  // With a known event the top level is exactly GeneralInfo plus that event's
  // object; with an unknown one only the eventName error is worth reading, so
  // any event-named object is let through unjudged.
  const allowed = type === undefined
    ? ['GeneralInfo', ...TRACKER_EVENT_OBJECTS, ...(eventName === undefined ? [] : [eventName])]
    : ['GeneralInfo', ...TRACKER_EVENT_OBJECTS.filter((name) => name === type)];
  exactKeys(body, allowed, '', errors);

  check(body, 'GeneralInfo', isObject, 'object', errors);
  if (isObject(info)) checkGeneralInfo(info, type, errors);

  if (type === 'ProductPage') checkObject(body, 'ProductPage', checkProductPage, errors);
  else if (type === 'StatusCart') checkObject(body, 'StatusCart', checkStatusCart, errors);
  else if (type === 'PurchasedItems') checkObject(body, 'PurchasedItems', checkPurchasedItems, errors);
  return errors;
}

/**
 * @param {Record<string, unknown>} info
 * @param {TrackerEventName | undefined} type
 * @param {string[]} errors
 */
function checkGeneralInfo(info, type, errors) {
  const path = 'GeneralInfo';
  exactKeys(info, GENERAL_INFO_KEYS, `${path}.`, errors);
  check(info, 'eventName', (v) => TRACKER_EVENTS.includes(/** @type {TrackerEventName} */ (v)),
    `one of ${TRACKER_EVENTS.join(', ')}`, errors, path);
  check(info, 'siteId', isNonEmptyString, 'non-empty string', errors, path);
  check(info, 'datetime', (v) => Number.isSafeInteger(v) && /** @type {number} */ (v) >= EPOCH_2020,
    'integer ms timestamp after 2020-01-01', errors, path);
  for (const key of TRACKER_CONTACT_KEYS) optional(info, key, isNonEmptyString, 'non-empty string', errors, path);
  check(info, 'cookies', isObject, 'object {sc}', errors, path);
  if (isObject(info.cookies)) {
    exactKeys(info.cookies, ['sc'], `${path}.cookies.`, errors);
    check(info.cookies, 'sc', isNonEmptyString, 'non-empty string', errors, `${path}.cookies`);
  }
  if (type === 'CustomerData' && !TRACKER_CONTACT_KEYS.some((key) => Object.hasOwn(info, key))) {
    errors.push(`${path}: expected at least one of ${TRACKER_CONTACT_KEYS.join(', ')} for CustomerData, got none`);
  }
}

/**
 * `ProductPage: {Product: {productKey, price, isInStock?, tag_*?}}`: one product per event.
 * @param {Record<string, unknown>} page
 * @param {string[]} errors
 */
function checkProductPage(page, errors) {
  exactKeys(page, ['Product'], 'ProductPage.', errors);
  checkObject(page, 'Product', (product, errs) => {
    const path = 'ProductPage.Product';
    for (const key of Object.keys(product)) {
      if (!['productKey', 'price', 'isInStock'].includes(key) && !/^tag_./.test(key)) {
        errs.push(`${path}.${key}: unexpected key`);
      }
    }
    check(product, 'productKey', isNonEmptyString, 'non-empty string', errs, path);
    // The reference example and the field table agree: price is a string ("754").
    check(product, 'price', isNumericString, 'numeric string >= 0', errs, path);
    optional(product, 'isInStock', (v) => v === '1' || v === '0', '"1" or "0"', errs, path);
    for (const key of Object.keys(product)) {
      if (/^tag_./.test(key)) check(product, key, isStringArray, 'array of strings', errs, path);
    }
  }, errors, 'ProductPage');
}

/**
 * `StatusCart: {GUID, Products}`: the whole cart, empty when it was emptied.
 * @param {Record<string, unknown>} cart
 * @param {string[]} errors
 */
function checkStatusCart(cart, errors) {
  const path = 'StatusCart';
  exactKeys(cart, ['GUID', 'Products'], `${path}.`, errors);
  check(cart, 'GUID', isNonEmptyString, 'non-empty string', errors, path);
  checkArray(cart, 'Products', { mayBeEmpty: true }, path, errors, (product, at, errs) => {
    exactKeys(product, CART_PRODUCT_KEYS, `${at}.`, errs);
    check(product, 'productKey', isNonEmptyString, 'non-empty string', errs, at);
    // The docs' examples mix strings and numbers; the field table says price
    // is a string and quantity an int, and we follow the table.
    check(product, 'price', isNumericString, 'numeric string >= 0', errs, at);
    optional(product, 'discount', isNumericString, 'numeric string >= 0', errs, at);
    check(product, 'quantity', isCount, 'integer >= 1', errs, at);
    optional(product, 'price_currency_code', isCurrency, 'string /^[A-Z]{3}$/', errs, at);
  });
}

/**
 * `PurchasedItems: {Products, OrderNumber, GUID?}`. The field table lists
 * Products and OrderNumber; eSputnik's JS SDK also sends the GUID of the last
 * StatusCart, which ties the order to the cart it closes
 * (reference/esputnik.md §1, "the purchase belongs to the last one").
 * @param {Record<string, unknown>} order
 * @param {string[]} errors
 */
function checkPurchasedItems(order, errors) {
  const path = 'PurchasedItems';
  exactKeys(order, ['Products', 'OrderNumber', 'GUID'], `${path}.`, errors);
  checkArray(order, 'Products', { mayBeEmpty: false }, path, errors, (product, at, errs) => {
    exactKeys(product, PURCHASED_PRODUCT_KEYS, `${at}.`, errs);
    check(product, 'product_id', isNonEmptyString, 'non-empty string', errs, at);
    // Field table: unit_price a string, quantity an int (examples mix them).
    check(product, 'unit_price', isNumericString, 'numeric string >= 0', errs, at);
    check(product, 'quantity', isCount, 'integer >= 1', errs, at);
  });
  check(order, 'OrderNumber', isNonEmptyString, 'non-empty string', errors, path);
  optional(order, 'GUID', isNonEmptyString, 'non-empty string', errors, path);
}

// ---------------------------------------------------------------------------
// Generate event v2 (reference/esputnik.md §2, seeds 001 and 002)

/**
 * The tag's four, and the two the store's back office sends through the relay (orderUpdated, orderDelivered).
 * @type {EventTypeKey[]}
 */
const EVENT_TYPES = ['productViewed', 'cartUpdated', 'orderCreated', 'orderCancelled', 'orderUpdated', 'orderDelivered'];
/** @type {EventTypeKey[]} the order events, which must name their contact (seed 001) */
const ORDER_EVENTS = ['orderCreated', 'orderCancelled', 'orderUpdated', 'orderDelivered'];
/**
 * The contact locators, in the priority eSputnik takes keyValue from them
 * (reference: contactId → externalCustomerId → email → phone → pushToken;
 * the tag knows no contactId or pushToken).
 */
const CONTACT_PARAMS = ['externalCustomerId', 'email', 'phone'];
/** @type {Record<EventTypeKey, string[]>} the event's own params; contacts are allowed on every type */
const EVENT_PARAMS = {
  productViewed: ['product', 'currencyCode'],
  cartUpdated: ['products', 'currencyCode', 'recycleStateId'],
  // recycleStateId: the bought cart's, linking the order to its cart events (seed 002).
  orderCreated: ['externalOrderId', 'totalCost', 'status', 'date', 'currency', 'items', 'recycleStateId'],
  orderCancelled: ['externalOrderId'],
  orderUpdated: ['externalOrderId', 'totalCost', 'status', 'date', 'currency', 'items', 'recycleStateId'],
  orderDelivered: ['externalOrderId'],
};
const ORDER_STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART'];
const VIEWED_PRODUCT_KEYS = ['productId', 'price', 'isInStock'];
const CART_LINE_KEYS = ['productId', 'quantity', 'price', 'name', 'category', 'discount'];
const ORDER_ITEM_KEYS = ['externalItemId', 'name', 'quantity', 'cost', 'url', 'imageUrl'];
/**
 * An amount in whole cents, as eSputnik compares an order's lines with its totalCost: each line (cost × quantity)
 * rounded to the cent before they are added up (issue 14).
 * @param {number} amount
 */
const toCents = (amount) => Math.round(amount * 100);

/**
 * The event type, e.g. 'orderCreated'; 'unknown' when the body has none.
 * @param {unknown} body
 * @returns {string}
 */
export function classifyEsputnikEvent(body) {
  return isObject(body) && isNonEmptyString(body.eventTypeKey) ? body.eventTypeKey : 'unknown';
}

/**
 * @param {unknown} body a parsed JSON body
 * @returns {string[]} readable errors, `path: expected …, got …`; empty when valid
 */
export function validateEsputnikEvent(body) {
  if (!isObject(body)) return [`body: expected object, got ${describe(body)}`];
  /** @type {string[]} */
  const errors = [];
  exactKeys(body, ['eventTypeKey', 'keyValue', 'params'], '', errors);
  check(body, 'eventTypeKey', (v) => EVENT_TYPES.includes(/** @type {EventTypeKey} */ (v)),
    `one of ${EVENT_TYPES.join(', ')}`, errors);
  // eSputnik makes keyValue optional (it falls back on the params); the tag
  // always sets it, so a body without one did not come from the tag.
  check(body, 'keyValue', isNonEmptyString, 'non-empty string', errors);
  // With an unknown type only the type error and the generic rules apply.
  const type = EVENT_TYPES.find((key) => key === body.eventTypeKey);
  check(body, 'params', Array.isArray, 'array', errors);
  if (!Array.isArray(body.params)) return errors;

  const params = readParams(body.params, type, errors);
  for (const name of CONTACT_PARAMS) params.check(name, 'optional', isNonEmptyString, 'non-empty string');
  if (type === 'productViewed') checkProductViewed(params);
  else if (type === 'cartUpdated') checkCartUpdated(params);
  else if (type === 'orderCreated') checkOrderCreated(params, errors);
  else if (type === 'orderUpdated') checkOrderCreated(params, errors, 'optional');
  else if (type === 'orderCancelled' || type === 'orderDelivered') params.check('externalOrderId', 'required', isNonEmptyString, 'non-empty string');
  // A contact is a usable one: an empty or non-string value (reported above) identifies no one.
  const contact = CONTACT_PARAMS.find((name) => isNonEmptyString(params.value(name)));
  if (type !== undefined && ORDER_EVENTS.includes(type) && contact === undefined) {
    errors.push(`params: expected at least one of ${CONTACT_PARAMS.join(', ')} for ${type}, got none`);
  }

  // keyValue is the highest-priority contact param present: that is what
  // eSputnik would take by itself, and what the tag sets. (eSputnik would
  // accept any keyValue; seed 001's example uses the phone while it also
  // sends an externalCustomerId, which this rule rejects.)
  if (contact !== undefined && typeof body.keyValue === 'string' && body.keyValue !== params.value(contact)) {
    errors.push(`keyValue: expected ${describe(params.value(contact))} (the ${contact} param), got ${describe(body.keyValue)}`);
  }
  return errors;
}

/**
 * @typedef {object} Params
 * @property {(name: string) => string | undefined} value  its value when it is a string
 * @property {(name: string, rule: 'required' | 'optional', test: (value: string) => boolean, expected: string) => void} check
 * @property {(name: string, rule: 'required' | 'optional', shape: 'object' | 'array') => unknown} json
 *   the parsed value when it is a JSON string of that shape, else undefined (errors pushed)
 * @property {string[]} errors
 */

/**
 * Checks the generic rules of every param (`{name, value}`, unique names,
 * every value a string, names the type allows) and returns a reader of the
 * values by name for the per-type rules.
 *
 * Every value is a string: the field tables say so ("Значения items
 * необходимо передавать json строкой"; product/products typed String, JSON
 * inside), while seed 001 also shows params whose value is a raw array or
 * object (its orderCreated example sends items unescaped). We follow the
 * tables.
 * @param {unknown[]} list
 * @param {EventTypeKey | undefined} type
 * @param {string[]} errors
 * @returns {Params}
 */
function readParams(list, type, errors) {
  const allowed = type === undefined ? undefined : [...CONTACT_PARAMS, ...EVENT_PARAMS[type]];
  /** @type {Map<string, unknown>} */
  const values = new Map();
  /** @type {Map<string, number>} */
  const firstAt = new Map();
  list.forEach((param, i) => {
    const path = `params[${i}]`;
    if (!isObject(param)) {
      errors.push(`${path}: expected object {name, value}, got ${describe(param)}`);
      return;
    }
    exactKeys(param, ['name', 'value'], `${path}.`, errors);
    check(param, 'name', isNonEmptyString, 'non-empty string', errors, path);
    check(param, 'value', (v) => typeof v === 'string', 'string (structured values as JSON strings)', errors, path);
    const name = param.name;
    if (!isNonEmptyString(name)) return;
    const first = firstAt.get(name);
    if (first !== undefined) {
      errors.push(`${path}.name: expected unique name, got ${describe(name)} again (also params[${first}])`);
      return;
    }
    firstAt.set(name, i);
    if (allowed !== undefined && !allowed.includes(name)) {
      errors.push(`${path}.name: expected one of ${allowed.join(', ')}, got ${describe(name)}`);
      return;
    }
    values.set(name, param.value);
  });

  /** @type {Params} */
  const params = {
    errors,
    value: (name) => {
      const value = values.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    check(name, rule, test, expected) {
      const value = values.get(name);
      if (!values.has(name)) {
        if (rule === 'required') errors.push(`params.${name}: missing (expected ${expected})`);
      } else if (typeof value === 'string' && !test(value)) {
        // A non-string value was reported above as params[i].value.
        errors.push(`params.${name}: expected ${expected}, got ${describe(value)}`);
      }
    },
    json(name, rule, shape) {
      const expected = shape === 'object' ? 'JSON string of an object' : 'JSON string of an array';
      const value = values.get(name);
      if (!values.has(name)) {
        if (rule === 'required') errors.push(`params.${name}: missing (expected ${expected})`);
        return undefined;
      }
      if (typeof value !== 'string') return undefined;
      const parsed = parseJson(value);
      if (parsed === undefined) {
        errors.push(`params.${name}: expected ${expected}, got ${describe(value)} (not JSON)`);
        return undefined;
      }
      if (shape === 'object' ? !isObject(parsed) : !Array.isArray(parsed)) {
        errors.push(`params.${name}: expected ${expected}, got JSON ${describe(parsed)}`);
        return undefined;
      }
      return parsed;
    },
  };
  return params;
}

/**
 * Seed 002: `product` is a JSON string of `{productId, price, isInStock?}`,
 * price a Double and isInStock an Int 0/1. The seed's `someProductProperty`
 * arrays are extensions the tag never sends, so they are unexpected here.
 * @param {Params} params
 */
function checkProductViewed(params) {
  const product = params.json('product', 'required', 'object');
  if (isObject(product)) {
    const path = 'params.product';
    exactKeys(product, VIEWED_PRODUCT_KEYS, `${path}.`, params.errors);
    check(product, 'productId', isNonEmptyString, 'non-empty string', params.errors, path);
    check(product, 'price', isAmount, 'number >= 0', params.errors, path);
    optional(product, 'isInStock', (v) => v === 0 || v === 1, '0 or 1', params.errors, path);
  }
  params.check('currencyCode', 'optional', isCurrency, 'string /^[A-Z]{3}$/');
}

/**
 * Seed 002: `products` is a JSON string of the whole cart, `[]` when emptied
 * (the seed calls it required only for a non-empty cart; the tag always sends
 * it); quantity and price are Doubles, name and category Strings.
 * @param {Params} params
 */
function checkCartUpdated(params) {
  const products = params.json('products', 'required', 'array');
  if (Array.isArray(products)) {
    eachObject(products, 'params.products', params.errors, (line, at, errs) => {
      exactKeys(line, CART_LINE_KEYS, `${at}.`, errs);
      check(line, 'productId', isNonEmptyString, 'non-empty string', errs, at);
      check(line, 'quantity', (v) => isAmount(v) && /** @type {number} */ (v) > 0, 'number > 0', errs, at);
      check(line, 'price', isAmount, 'number >= 0', errs, at);
      optional(line, 'name', (v) => typeof v === 'string', 'string', errs, at);
      optional(line, 'category', (v) => typeof v === 'string', 'string', errs, at);
      // Seed 002's table types discount as String while it types quantity
      // and price as Double, and no example shows one: we follow the table,
      // so a discount is a numeric string ("100"), never a number.
      optional(line, 'discount', isNumericString, 'numeric string >= 0', errs, at);
    });
  }
  params.check('currencyCode', 'optional', isCurrency, 'string /^[A-Z]{3}$/');
  params.check('recycleStateId', 'required', isNonEmptyString, 'non-empty string');
}

/**
 * Seed 001: externalOrderId, totalCost, status and date required; currency
 * and items optional; items a JSON string whose Σ cost × quantity equals
 * totalCost ("must match"), each line rounded to the cent first, as eSputnik
 * adds them up (issue 14). `cost` is read as the unit price: the seed says "the discount
 * must be counted in items.cost for each item", a per-unit notion, and its
 * example has quantity 1, so nothing there contradicts it. The seed lists
 * url and imageUrl among the items' "required" fields; the tag has them only
 * when the store passes them, so they are optional here (but typed); an order whose items lack one is one the stand-in
 * eSputnik takes and then ignores, as the real one does (esputnik-state.mjs). orderUpdated has the same params, all
 * optional but externalOrderId (`rule` 'optional').
 * @param {Params} params
 * @param {string[]} errors
 * @param {'required' | 'optional'} [rule]
 */
function checkOrderCreated(params, errors, rule = 'required') {
  params.check('externalOrderId', 'required', isNonEmptyString, 'non-empty string');
  // The example's "258.0" and the table agree: totalCost is a numeric string.
  params.check('totalCost', rule, isNumericString, 'numeric string >= 0');
  params.check('status', rule, (v) => ORDER_STATUSES.includes(v), `one of ${ORDER_STATUSES.join(', ')}`);
  params.check('date', rule, isLocalDateTime, 'date YYYY-MM-DDTHH:mm:ss');
  params.check('currency', 'optional', isCurrency, 'string /^[A-Z]{3}$/');
  params.check('recycleStateId', 'optional', isNonEmptyString, 'non-empty string');
  const items = params.json('items', 'optional', 'array');
  if (!Array.isArray(items)) return;
  if (items.length === 0) {
    errors.push(`params.items: expected JSON string of a non-empty array, got ${describe(params.value('items'))}`);
    return;
  }
  let cents = 0;
  let summable = true;
  eachObject(items, 'params.items', errors, (item, at, errs) => {
    exactKeys(item, ORDER_ITEM_KEYS, `${at}.`, errs);
    check(item, 'externalItemId', isNonEmptyString, 'non-empty string', errs, at);
    check(item, 'name', (v) => typeof v === 'string', 'string', errs, at);
    check(item, 'quantity', isCount, 'integer >= 1', errs, at);
    check(item, 'cost', isAmount, 'number >= 0', errs, at);
    optional(item, 'url', (v) => typeof v === 'string', 'string', errs, at);
    optional(item, 'imageUrl', (v) => typeof v === 'string', 'string', errs, at);
    if (isCount(item.quantity) && isAmount(item.cost)) cents += toCents(Number(item.cost) * Number(item.quantity));
    else summable = false;
  });
  if (!items.every(isObject)) summable = false;
  const total = params.value('totalCost');
  if (summable && total !== undefined && isNumericString(total) && cents !== toCents(Number(total))) {
    errors.push(`params.items: expected Σ cost × quantity = totalCost ${total} (each line to the cent), got ${cents / 100}`);
  }
}

// ---------------------------------------------------------------------------
// Helpers (the same conventions as calltouch-schema.mjs)


/**
 * Like check, for a key that may be absent.
 * @param {Record<string, unknown>} object
 * @param {string} key
 * @param {(value: unknown) => boolean} test
 * @param {string} expected
 * @param {string[]} errors
 * @param {string} [path]
 */
function optional(object, key, test, expected, errors, path = '') {
  if (Object.hasOwn(object, key)) check(object, key, test, expected, errors, path);
}

/**
 * Checks that `object[key]` is an object and hands it to `inner`.
 * @param {Record<string, unknown>} object
 * @param {string} key
 * @param {(value: Record<string, unknown>, errors: string[]) => void} inner
 * @param {string[]} errors
 * @param {string} [path]
 */
function checkObject(object, key, inner, errors, path = '') {
  check(object, key, isObject, 'object', errors, path);
  const value = object[key];
  if (isObject(value)) inner(value, errors);
}

/**
 * Checks that `object[key]` is an array of objects (non-empty unless allowed)
 * and hands each to `each` with its path.
 * @param {Record<string, unknown>} object
 * @param {string} key
 * @param {{mayBeEmpty: boolean}} rules
 * @param {string} path
 * @param {string[]} errors
 * @param {(item: Record<string, unknown>, path: string, errors: string[]) => void} each
 */
function checkArray(object, key, { mayBeEmpty }, path, errors, each) {
  check(object, key, Array.isArray, mayBeEmpty ? 'array' : 'non-empty array', errors, path);
  const list = object[key];
  if (!Array.isArray(list)) return;
  if (list.length === 0 && !mayBeEmpty) errors.push(`${path}.${key}: expected non-empty array, got []`);
  eachObject(list, `${path}.${key}`, errors, each);
}

/**
 * @param {unknown[]} list
 * @param {string} path
 * @param {string[]} errors
 * @param {(item: Record<string, unknown>, path: string, errors: string[]) => void} each
 */
function eachObject(list, path, errors, each) {
  list.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (isObject(item)) each(item, at, errors);
    else errors.push(`${at}: expected object, got ${describe(item)}`);
  });
}




/**
 * A price or total as eSputnik's tables type it, a string: plain decimal
 * notation, no sign, no exponent, no spaces ("754", "150.5", "258.0").
 * @param {unknown} v
 */
function isNumericString(v) {
  return typeof v === 'string' && /^\d+(\.\d+)?$/.test(v);
}

/** @param {unknown} v a JSON number >= 0 */
function isAmount(v) {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** @param {unknown} v an integer quantity >= 1 */
function isCount(v) {
  return Number.isSafeInteger(v) && /** @type {number} */ (v) >= 1;
}

/** @param {unknown} v ISO 4217 */
function isCurrency(v) {
  return typeof v === 'string' && /^[A-Z]{3}$/.test(v);
}

/** @param {unknown} v */
function isStringArray(v) {
  return Array.isArray(v) && v.every((item) => typeof item === 'string');
}

/**
 * Seed 001's `YYYY-MM-ddTHH:mm:ss` (no zone, no fraction), and a date that
 * exists: 2020-02-30 or 24:00:00 is not one.
 * @param {string} v
 */
function isLocalDateTime(v) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

/** @param {string} raw @returns {unknown} undefined when not JSON */
function parseJson(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

