// The strict shape of a body POSTed to Calltouch's ecommerce.php, in its two
// kinds (reference/calltouch.md, seed 000). Strict on purpose: Calltouch's
// script only logs mistakes and its offline API says "all field types must
// follow the example strictly" (seed 000 l.271, l.410, l.415), so anything
// loose here would let the tag ship bodies that Calltouch silently drops.
//
// Every rule names the line of seed 000 (reference/seeds/000_*.txt) or the
// part of reference/calltouch.md it follows. Where the two kinds' sources
// disagree the rule follows the source of that kind's body
// (reference/README.md): the site body types a product id as the field table
// does (a string, l.143-146), the offline body as its own example does (a
// number where the id is one, l.256).

import { check, describe, exactKeys, isNonEmptyString, isObject } from './schema-rules.mjs';

/** @typedef {'site' | 'offline'} CalltouchKind */

const EVENT_TYPES = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];
// l.86: "for the purchase and refund events sending offline is also supported".
const OFFLINE_EVENT_TYPES = ['purchase', 'refund'];
// reference/calltouch.md, "What the script sends": the site body, key for key.
const SITE_KEYS = ['siteId', 'sessionId', 'modId', 'ctClientId', 'eventType', 'id', 'products',
  'manager', 'fio', 'email', 'phoneNumber', 'comment', 'addTags'];
// l.250-266: the offline purchase example's keys.
const OFFLINE_KEYS = ['siteId', 'eventType', 'id', 'products'];
// l.106-146: the product field table (id, name, price, brand, category, variant, margin, quantity).
const PRODUCT_KEYS = ['id', 'name', 'price', 'brand', 'category', 'variant', 'margin', 'quantity'];
const NULLABLE_STRINGS = ['fio', 'email', 'phoneNumber', 'comment'];
const MANAGER_MAX = 50; // reference/calltouch.md: the script cuts `manager` to 50 characters

/**
 * Which of the two bodies this is: only the site script knows a session.
 * @param {unknown} body
 * @returns {CalltouchKind}
 */
export function classifyCalltouch(body) {
  return isObject(body) && Object.hasOwn(body, 'sessionId') ? 'site' : 'offline';
}

/**
 * @param {unknown} body a parsed JSON body
 * @returns {string[]} readable errors, `path: expected …, got …`; empty when valid
 */
export function validateCalltouch(body) {
  if (!isObject(body)) return [`body: expected object, got ${describe(body)}`];
  /** @type {string[]} */
  const errors = [];
  const site = classifyCalltouch(body) === 'site';
  const eventTypes = site ? EVENT_TYPES : OFFLINE_EVENT_TYPES;
  exactKeys(body, site ? SITE_KEYS : OFFLINE_KEYS, '', errors);

  // l.251 "siteId": 12345, l.268 required: a number, never "12345".
  check(body, 'siteId', isPositiveInteger, 'positive integer', errors);
  // l.252, l.296: eventType names the method.
  check(body, 'eventType', (v) => eventTypes.includes(v), `one of ${eventTypes.join(', ')}`, errors);
  // With an unknown eventType the per-type rules below cannot be judged;
  // they relax to "check it if present" rather than pile up noise.
  const type = eventTypes.includes(body.eventType) ? body.eventType : undefined;
  const transaction = type === 'purchase' || type === 'refund';

  if (site) {
    // reference/calltouch.md: sessionId a number, modId the 8-character mod_id, ctClientId the _ct cookie.
    check(body, 'sessionId', isPositiveInteger, 'positive integer', errors);
    check(body, 'modId', (v) => typeof v === 'string' && /^[0-9a-z]{8}$/.test(v), 'string /^[0-9a-z]{8}$/', errors);
    check(body, 'ctClientId', isNonEmptyString, 'non-empty string', errors);
    for (const key of NULLABLE_STRINGS) check(body, key, isNullOrString, 'null or string', errors);
    check(body, 'addTags', (v) => Array.isArray(v) && v.every((t) => typeof t === 'string'),
      'array of strings', errors);
    checkIf(type === undefined ? 'optional' : type === 'purchase' ? 'required' : 'forbidden',
      body, 'manager', (v) => v === null || (typeof v === 'string' && v.length <= MANAGER_MAX),
      `null or string of at most ${MANAGER_MAX} chars`, errors);
  }
  // l.253 "id": "5609" and l.268 (offline: required); l.238-241, l.390-395: purchase and refund need the
  // transaction id; reference/calltouch.md: only they carry it.
  checkIf(!site || transaction ? 'required' : type === undefined ? 'optional' : 'forbidden',
    body, 'id', isNonEmptyString, 'non-empty string', errors);

  checkProducts(body, {
    site,
    // l.175, l.206, l.238, l.357, l.388: "the product list must not be empty", but for a refund (l.298, l.409: a
    // full refund's products are []).
    mayBeEmpty: type === 'refund' || type === undefined,
    // l.39-40: quantity is required for refund only; l.269-270, l.414: offline, every product needs it.
    needQuantity: !site || type === 'refund',
  }, errors);
  return errors;
}

/**
 * @param {Record<string, unknown>} body
 * @param {{site: boolean, mayBeEmpty: boolean, needQuantity: boolean}} rules
 * @param {string[]} errors
 */
function checkProducts(body, { site, mayBeEmpty, needQuantity }, errors) {
  check(body, 'products', Array.isArray, 'array', errors);
  const products = body.products;
  if (!Array.isArray(products)) return;
  if (products.length === 0 && !mayBeEmpty) errors.push('products: expected non-empty array, got []');
  products.forEach((product, i) => {
    const path = `products[${i}]`;
    if (!isObject(product)) {
      errors.push(`${path}: expected object, got ${describe(product)}`);
      return;
    }
    exactKeys(product, PRODUCT_KEYS, `${path}.`, errors);
    if (site) {
      // l.143-146: "Идентификатор товара. Пример: "10012"", typed string (the call examples' `id: 1003` are
      // what a store writes, not the wire).
      check(product, 'id', isNonEmptyString, 'non-empty string', errors, path);
    } else {
      // l.256 "id": 3 and l.271 "all field types must be kept strictly as in the example": an id of digits
      // goes as that number, and an id a number cannot hold (a SKU) as a string.
      check(product, 'id', isOfflineId, 'a number for an id of digits, else a non-empty string', errors, path);
    }
    if (needQuantity || Object.hasOwn(product, 'quantity')) {
      // l.108-111 "quantity: int, example 1"; l.263 "quantity": 10.
      check(product, 'quantity', (v) => Number.isInteger(v) && v >= 0, 'integer >= 0', errors, path);
    }
    // l.118-141: name, brand, category, variant are strings.
    for (const key of ['name', 'brand', 'category', 'variant']) {
      if (Object.hasOwn(product, key)) check(product, key, (v) => typeof v === 'string', 'string', errors, path);
    }
    // l.133-136 "price: int | float, example 150.50" and l.258 "price": 101: an amount in cents.
    if (Object.hasOwn(product, 'price')) {
      check(product, 'price', (v) => isCents(v) && v >= 0, 'number >= 0 with at most 2 decimals', errors, path);
    }
    // l.113-116 "margin: int | float, example 150.50" and l.262 "margin": 100.25.
    if (Object.hasOwn(product, 'margin')) {
      check(product, 'margin', isCents, 'number with at most 2 decimals', errors, path);
    }
  });
}

/**
 * A key whose presence depends on eventType (`id`, `manager`).
 * @param {'required' | 'forbidden' | 'optional'} rule
 * @param {Record<string, unknown>} body
 * @param {string} key
 * @param {(value: unknown) => boolean} test
 * @param {string} expected
 * @param {string[]} errors
 */
function checkIf(rule, body, key, test, expected, errors) {
  const present = Object.hasOwn(body, key);
  if (rule === 'forbidden' && present) errors.push(`${key}: not allowed for eventType ${body.eventType}`);
  else if (rule === 'required' || (rule === 'optional' && present)) check(body, key, test, expected, errors);
}

/** @param {unknown} v */
function isPositiveInteger(v) {
  return Number.isSafeInteger(v) && /** @type {number} */ (v) > 0;
}

/** @param {unknown} v */
function isNullOrString(v) {
  return v === null || typeof v === 'string';
}

/**
 * A JSON number written with at most two decimals: 150.5, 101, 100.25; never 0.30000000000000004.
 * @param {unknown} v
 * @returns {v is number}
 */
function isCents(v) {
  return typeof v === 'number' && /^-?\d+(\.\d{1,2})?$/.test(String(v));
}

/**
 * Whether `id` as a string is an id of digits that a number holds exactly ("3", "1003"; not "007", not
 * "9007199254740993").
 * @param {string} id
 */
export function isNumericId(id) {
  return /^(0|[1-9]\d*)$/.test(id) && Number.isSafeInteger(Number(id));
}

/**
 * An offline product id: a safe integer >= 0, or a string that is not such an integer's digits.
 * @param {unknown} v
 */
function isOfflineId(v) {
  return typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : isNonEmptyString(v) && !isNumericId(v);
}
