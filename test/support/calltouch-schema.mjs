// The strict shape of a body POSTed to Calltouch's ecommerce.php, in its two
// kinds (reference/calltouch.md, seed 000). Strict on purpose: Calltouch's
// script only logs mistakes and its offline API says "all field types must
// follow the example strictly", so anything loose here would let the tag ship
// bodies that Calltouch silently drops.

import { check, describe, exactKeys, isNonEmptyString, isObject } from './schema-rules.mjs';

/** @typedef {'site' | 'offline'} CalltouchKind */

const EVENT_TYPES = ['detail', 'addToCart', 'removeFromCart', 'checkout', 'purchase', 'refund'];
const OFFLINE_EVENT_TYPES = ['purchase', 'refund'];
const SITE_KEYS = ['siteId', 'sessionId', 'modId', 'ctClientId', 'eventType', 'id', 'products',
  'manager', 'fio', 'email', 'phoneNumber', 'comment', 'addTags'];
const OFFLINE_KEYS = ['siteId', 'eventType', 'id', 'products'];
const PRODUCT_KEYS = ['id', 'name', 'price', 'brand', 'category', 'variant', 'margin', 'quantity'];
const NULLABLE_STRINGS = ['fio', 'email', 'phoneNumber', 'comment'];
const MANAGER_MAX = 50; // Calltouch's script cuts `manager` to 50 characters

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

  check(body, 'siteId', isPositiveInteger, 'positive integer', errors);
  check(body, 'eventType', (v) => eventTypes.includes(v), `one of ${eventTypes.join(', ')}`, errors);
  // With an unknown eventType the per-type rules below cannot be judged;
  // they relax to "check it if present" rather than pile up noise.
  const type = eventTypes.includes(body.eventType) ? body.eventType : undefined;
  const transaction = type === 'purchase' || type === 'refund';

  if (site) {
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
  checkIf(!site || transaction ? 'required' : type === undefined ? 'optional' : 'forbidden',
    body, 'id', isNonEmptyString, 'non-empty string', errors);

  checkProducts(body, {
    mayBeEmpty: type === 'refund' || type === undefined,
    needQuantity: !site || type === 'refund',
  }, errors);
  return errors;
}

/**
 * @param {Record<string, unknown>} body
 * @param {{mayBeEmpty: boolean, needQuantity: boolean}} rules
 * @param {string[]} errors
 */
function checkProducts(body, { mayBeEmpty, needQuantity }, errors) {
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
    // The seed's field table types id as string ("10012") while its call
    // examples pass numbers (id: 1003); we follow the table, as
    // reference/README.md rules, so a numeric id here is an error.
    check(product, 'id', isNonEmptyString, 'non-empty string', errors, path);
    if (needQuantity || Object.hasOwn(product, 'quantity')) {
      check(product, 'quantity', (v) => Number.isInteger(v) && v >= 0, 'integer >= 0', errors, path);
    }
    for (const key of ['name', 'brand', 'category', 'variant']) {
      if (Object.hasOwn(product, key)) check(product, key, (v) => typeof v === 'string', 'string', errors, path);
    }
    if (Object.hasOwn(product, 'price')) {
      check(product, 'price', (v) => Number.isFinite(v) && v >= 0, 'finite number >= 0', errors, path);
    }
    if (Object.hasOwn(product, 'margin')) {
      check(product, 'margin', Number.isFinite, 'finite number', errors, path);
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

