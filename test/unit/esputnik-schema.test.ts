// The collector's eSputnik schemas, checked against the bodies the tag sends
// (valid), the reference documents' own examples (judged as the fixtures
// document: where an example and a field table disagree we follow the table)
// and the mistakes a tag could make (invalid, with the exact error text).
import { describe, expect, it } from 'vitest';
import {
  CONTACT, eventCartUpdated, eventOrderCancelled, eventOrderCreated, eventProductViewed, referenceProductPage,
  seedCartUpdatedEscaped, seedCartUpdatedText, seedOrderCreated, seedOrderCreatedItemsEscaped,
  seedProductViewedEscaped, seedProductViewedText, trackerCustomerData, trackerProductPage, trackerPurchasedItems,
  trackerStatusCart,
} from '../support/esputnik-fixtures.mjs';
import {
  classifyEsputnikEvent, classifyEsputnikTracker, validateEsputnikEvent, validateEsputnikTracker,
} from '../support/esputnik-schema.mjs';

type Body = Record<string, unknown>;
interface Tracker {
  GeneralInfo: Body & { cookies: Body };
  ProductPage: { Product: Body } & Body;
  StatusCart: { GUID: unknown; Products: Body[] } & Body;
  PurchasedItems: { Products: Body[]; OrderNumber: unknown } & Body;
  [key: string]: unknown;
}
interface Param { name: unknown; value: unknown; [key: string]: unknown }
interface Event { eventTypeKey: unknown; keyValue: unknown; params: Param[]; [key: string]: unknown }

/** A deep copy of a tracker body changed by `edit`, so fixtures stay intact. */
function tracker(base: object, edit: (body: Tracker) => void): Body {
  const body = structuredClone(base) as Tracker;
  edit(body);
  return body;
}

/** A deep copy of a Generate event body changed by `edit`. */
function event(base: object, edit: (body: Event) => void): Body {
  const body = structuredClone(base) as Event;
  edit(body);
  return body;
}

function param(body: Event, name: string): Param {
  const found = body.params.find((p) => p.name === name);
  if (!found) throw new Error(`fixture has no param ${name}`);
  return found;
}

/** Replaces a param's value (the param keeps its place). */
function setParam(body: Event, name: string, value: unknown) {
  param(body, name).value = value;
}

function dropParam(body: Event, name: string) {
  body.params = body.params.filter((p) => p.name !== name);
}

/** Edits the parsed JSON inside a param and writes it back with JSON.stringify. */
function editJson<T>(body: Event, name: string, edit: (value: T) => void) {
  const value = JSON.parse(String(param(body, name).value)) as T;
  edit(value);
  setParam(body, name, JSON.stringify(value));
}

const TRACKER_EVENTS = 'one of ProductPage, StatusCart, PurchasedItems, CustomerData';
const EVENT_TYPES = 'one of productViewed, cartUpdated, orderCreated, orderCancelled, orderUpdated, orderDelivered';
const VALUE = 'string (structured values as JSON strings)';

describe('validateEsputnikTracker: valid bodies', () => {
  it.each([
    ['canonical ProductPage', trackerProductPage, 'ProductPage'],
    ['canonical StatusCart', trackerStatusCart, 'StatusCart'],
    ['canonical PurchasedItems', trackerPurchasedItems, 'PurchasedItems'],
    ['canonical CustomerData', trackerCustomerData, 'CustomerData'],
    ['reference/esputnik.md ProductPage example, verbatim', referenceProductPage, 'ProductPage'],
    ['emptied cart', tracker(trackerStatusCart, (b) => { b.StatusCart.Products = []; }), 'StatusCart'],
    ['PurchasedItems without GUID, as the field table lists it', tracker(trackerPurchasedItems, (b) => { delete b.PurchasedItems.GUID; }), 'PurchasedItems'],
    ['ProductPage without isInStock', tracker(trackerProductPage, (b) => { delete b.ProductPage.Product.isInStock; }), 'ProductPage'],
    ['ProductPage with tag_* arrays', tracker(trackerProductPage, (b) => { b.ProductPage.Product.tag_color = ['red', 'black']; }), 'ProductPage'],
    ['cart line with price_currency_code', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[0].price_currency_code = 'RUB'; }), 'StatusCart'],
    ['CustomerData with only a name', tracker(trackerCustomerData, (b) => {
      b.GeneralInfo = { eventName: 'CustomerData', siteId: 'x', datetime: 1760033600000, user_name: 'Анна', cookies: { sc: 'y' } };
    }), 'CustomerData'],
  ])('%s', (_name, body, kind) => {
    expect(validateEsputnikTracker(body)).toEqual([]);
    expect(classifyEsputnikTracker(body)).toBe(kind);
  });

  it('canonical bodies keep the tag key order: GeneralInfo first, its keys in the documented order', () => {
    const order = ['eventName', 'siteId', 'datetime', 'externalCustomerId', 'user_phone', 'user_email', 'user_name', 'cookies'];
    for (const body of [trackerProductPage, trackerStatusCart, trackerPurchasedItems, trackerCustomerData]) {
      expect(Object.keys(body)[0]).toBe('GeneralInfo');
      const keys = Object.keys(body.GeneralInfo);
      expect(keys).toEqual(order.filter((key) => keys.includes(key)));
    }
  });
});

describe('validateEsputnikTracker: invalid bodies', () => {
  it.each([
    ['not an object', [], ['body: expected object, got []']],
    ['no GeneralInfo', tracker(trackerProductPage, (b) => { delete (b as Body).GeneralInfo; }),
      ['GeneralInfo: missing (expected object)']],
    ['a second event object', tracker(trackerProductPage, (b) => { b.StatusCart = trackerStatusCart.StatusCart; }),
      ['StatusCart: unexpected key']],
    ['CustomerData with an event object', tracker(trackerCustomerData, (b) => { b.ProductPage = trackerProductPage.ProductPage; }),
      ['ProductPage: unexpected key']],
    ['eventName that names another object', tracker(trackerProductPage, (b) => { b.GeneralInfo.eventName = 'StatusCart'; }),
      ['ProductPage: unexpected key', 'StatusCart: missing (expected object)']],
    ['an event the tag does not send', tracker(trackerProductPage, (b) => {
      b.GeneralInfo.eventName = 'AddToWishlist';
      b.AddToWishlist = b.ProductPage;
      delete (b as Body).ProductPage;
    }), [`GeneralInfo.eventName: expected ${TRACKER_EVENTS}, got "AddToWishlist"`]],
    ['no eventName', tracker(trackerProductPage, (b) => { delete b.GeneralInfo.eventName; }),
      [`GeneralInfo.eventName: missing (expected ${TRACKER_EVENTS})`]],
    ['unknown GeneralInfo key', tracker(trackerProductPage, (b) => { b.GeneralInfo.user_city = 'Москва'; }),
      ['GeneralInfo.user_city: unexpected key']],
    ['numeric siteId', tracker(trackerProductPage, (b) => { b.GeneralInfo.siteId = 8412; }),
      ['GeneralInfo.siteId: expected non-empty string, got 8412']],
    ['datetime in seconds', tracker(trackerProductPage, (b) => { b.GeneralInfo.datetime = 1760033600; }),
      ['GeneralInfo.datetime: expected integer ms timestamp after 2020-01-01, got 1760033600']],
    ['datetime as a string', tracker(trackerProductPage, (b) => { b.GeneralInfo.datetime = '1760033600000'; }),
      ['GeneralInfo.datetime: expected integer ms timestamp after 2020-01-01, got "1760033600000"']],
    ['no cookies', tracker(trackerProductPage, (b) => { delete (b.GeneralInfo as Body).cookies; }),
      ['GeneralInfo.cookies: missing (expected object {sc})']],
    ['empty sc', tracker(trackerProductPage, (b) => { b.GeneralInfo.cookies.sc = ''; }),
      ['GeneralInfo.cookies.sc: expected non-empty string, got ""']],
    ['another cookie besides sc', tracker(trackerProductPage, (b) => { b.GeneralInfo.cookies._ga = 'GA1.1'; }),
      ['GeneralInfo.cookies._ga: unexpected key']],
    ['empty contact field', tracker(trackerStatusCart, (b) => { b.GeneralInfo.user_email = ''; }),
      ['GeneralInfo.user_email: expected non-empty string, got ""']],
    ['numeric externalCustomerId', tracker(trackerCustomerData, (b) => { b.GeneralInfo.externalCustomerId = 42; }),
      ['GeneralInfo.externalCustomerId: expected non-empty string, got 42']],
    ['CustomerData without a contact', tracker(trackerCustomerData, (b) => {
      for (const key of ['externalCustomerId', 'user_phone', 'user_email', 'user_name']) delete b.GeneralInfo[key];
    }), ['GeneralInfo: expected at least one of externalCustomerId, user_phone, user_email, user_name for CustomerData, got none']],
    ['numeric price, as some doc examples show', tracker(trackerProductPage, (b) => { b.ProductPage.Product.price = 150.5; }),
      ['ProductPage.Product.price: expected numeric string >= 0, got 150.5']],
    ['negative price', tracker(trackerProductPage, (b) => { b.ProductPage.Product.price = '-1'; }),
      ['ProductPage.Product.price: expected numeric string >= 0, got "-1"']],
    ['price with a decimal comma', tracker(trackerProductPage, (b) => { b.ProductPage.Product.price = '150,50'; }),
      ['ProductPage.Product.price: expected numeric string >= 0, got "150,50"']],
    ['numeric isInStock', tracker(trackerProductPage, (b) => { b.ProductPage.Product.isInStock = 1; }),
      ['ProductPage.Product.isInStock: expected "1" or "0", got 1']],
    ['numeric productKey', tracker(trackerProductPage, (b) => { b.ProductPage.Product.productKey = 1003; }),
      ['ProductPage.Product.productKey: expected non-empty string, got 1003']],
    ['unknown product key', tracker(trackerProductPage, (b) => { b.ProductPage.Product.name = 'USB'; }),
      ['ProductPage.Product.name: unexpected key']],
    ['tag_* that is not an array of strings', tracker(trackerProductPage, (b) => { b.ProductPage.Product.tag_color = 'red'; }),
      ['ProductPage.Product.tag_color: expected array of strings, got "red"']],
    ['several products on one ProductPage', tracker(trackerProductPage, (b) => {
      b.ProductPage.Products = [b.ProductPage.Product];
      delete (b.ProductPage as Body).Product;
    }), ['ProductPage.Products: unexpected key', 'ProductPage.Product: missing (expected object)']],
    ['quantity 0', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[0].quantity = 0; }),
      ['StatusCart.Products[0].quantity: expected integer >= 1, got 0']],
    ['quantity 1.5', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[0].quantity = 1.5; }),
      ['StatusCart.Products[0].quantity: expected integer >= 1, got 1.5']],
    ['quantity as a string', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[1].quantity = '1'; }),
      ['StatusCart.Products[1].quantity: expected integer >= 1, got "1"']],
    ['empty GUID', tracker(trackerStatusCart, (b) => { b.StatusCart.GUID = ''; }),
      ['StatusCart.GUID: expected non-empty string, got ""']],
    ['no GUID', tracker(trackerStatusCart, (b) => { delete (b.StatusCart as Body).GUID; }),
      ['StatusCart.GUID: missing (expected non-empty string)']],
    ['numeric discount', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[1].discount = 100; }),
      ['StatusCart.Products[1].discount: expected numeric string >= 0, got 100']],
    ['lower-case currency code', tracker(trackerStatusCart, (b) => { b.StatusCart.Products[0].price_currency_code = 'rub'; }),
      ['StatusCart.Products[0].price_currency_code: expected string /^[A-Z]{3}$/, got "rub"']],
    ['Products as an object', tracker(trackerStatusCart, (b) => { (b.StatusCart as Body).Products = {}; }),
      ['StatusCart.Products: expected array, got object']],
    ['a cart line that is not an object', tracker(trackerStatusCart, (b) => { (b.StatusCart.Products as unknown[])[0] = '1003'; }),
      ['StatusCart.Products[0]: expected object, got "1003"']],
    ['empty Products in PurchasedItems', tracker(trackerPurchasedItems, (b) => { b.PurchasedItems.Products = []; }),
      ['PurchasedItems.Products: expected non-empty array, got []']],
    ['cart field names in PurchasedItems', tracker(trackerPurchasedItems, (b) => {
      b.PurchasedItems.Products[0] = { productKey: '1003', unit_price: '150.5', quantity: 2 };
    }), ['PurchasedItems.Products[0].productKey: unexpected key', 'PurchasedItems.Products[0].product_id: missing (expected non-empty string)']],
    ['numeric unit_price', tracker(trackerPurchasedItems, (b) => { b.PurchasedItems.Products[1].unit_price = 1900; }),
      ['PurchasedItems.Products[1].unit_price: expected numeric string >= 0, got 1900']],
    ['numeric OrderNumber', tracker(trackerPurchasedItems, (b) => { b.PurchasedItems.OrderNumber = 10031004; }),
      ['PurchasedItems.OrderNumber: expected non-empty string, got 10031004']],
    ['an empty GUID in PurchasedItems (reference §1: the last StatusCart\'s)', tracker(trackerPurchasedItems, (b) => { b.PurchasedItems.GUID = ''; }),
      ['PurchasedItems.GUID: expected non-empty string, got ""']],
    ['a cart GUID in PurchasedItems\' products', tracker(trackerPurchasedItems, (b) => { b.PurchasedItems.Products[0].GUID = 'x'; }),
      ['PurchasedItems.Products[0].GUID: unexpected key']],
  ])('%s', (_name, body, errors) => {
    expect(validateEsputnikTracker(body)).toEqual(errors);
  });

  it('lists every problem of a body, not just the first', () => {
    const body = tracker(trackerStatusCart, (b) => {
      b.GeneralInfo.datetime = 0;
      b.StatusCart.Products[0].price = 150.5;
      b.StatusCart.Products[1].quantity = 0;
    });
    expect(validateEsputnikTracker(body)).toEqual([
      'GeneralInfo.datetime: expected integer ms timestamp after 2020-01-01, got 0',
      'StatusCart.Products[0].price: expected numeric string >= 0, got 150.5',
      'StatusCart.Products[1].quantity: expected integer >= 1, got 0',
    ]);
  });

  it('classifies a body without an eventName as unknown', () => {
    expect(classifyEsputnikTracker({})).toBe('unknown');
    expect(classifyEsputnikTracker({ GeneralInfo: { eventName: 7 } })).toBe('unknown');
  });
});

describe('validateEsputnikEvent: valid bodies', () => {
  it.each([
    ['canonical productViewed', eventProductViewed, 'productViewed'],
    ['canonical cartUpdated', eventCartUpdated, 'cartUpdated'],
    ['canonical orderCreated', eventOrderCreated, 'orderCreated'],
    ['canonical orderCancelled', eventOrderCancelled, 'orderCancelled'],
    ['seed 002 cartUpdated example, products escaped into a JSON string', seedCartUpdatedEscaped, 'cartUpdated'],
    ['emptied cart', event(eventCartUpdated, (b) => { setParam(b, 'products', '[]'); }), 'cartUpdated'],
    ['productViewed without contact params or currency', event(eventProductViewed, (b) => {
      b.params = b.params.filter((p) => p.name === 'product');
    }), 'productViewed'],
    ['orderCreated without items or currency', event(eventOrderCreated, (b) => {
      dropParam(b, 'items');
      dropParam(b, 'currency');
    }), 'orderCreated'],
    ['totalCost off by less than half a cent', event(eventOrderCreated, (b) => { setParam(b, 'totalCost', '2201.004'); }), 'orderCreated'],
    // Issue 14: eSputnik rounds each line to the cent before it adds them up.
    ['lines rounded to the cent, then added: 0.125 + 0.125 is 0.26', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items.splice(0, 2, { ...items[0], cost: 0.125, quantity: 1 }, { ...items[1], cost: 0.125, quantity: 1 }); });
      setParam(b, 'totalCost', '0.26');
    }), 'orderCreated'],
    ['cart line quantity as a Double, as the table types it', event(eventCartUpdated, (b) => {
      editJson<Body[]>(b, 'products', (lines) => { lines[0].quantity = 0.5; });
    }), 'cartUpdated'],
    ['params in another order', event(eventOrderCreated, (b) => { b.params.reverse(); }), 'orderCreated'],
  ])('%s', (_name, body, kind) => {
    expect(validateEsputnikEvent(body)).toEqual([]);
    expect(classifyEsputnikEvent(body)).toBe(kind);
  });

  it('canonical bodies lead with the contact params, keyValue the first of them', () => {
    const contacts = ['externalCustomerId', 'email', 'phone'];
    for (const body of [eventProductViewed, eventCartUpdated, eventOrderCreated, eventOrderCancelled]) {
      const names = body.params.map((p) => p.name);
      const leading = names.slice(0, names.findIndex((name) => !contacts.includes(name)));
      expect(leading.length).toBeGreaterThan(0);
      expect(leading).toEqual(contacts.filter((name) => leading.includes(name)));
      expect(body.keyValue).toBe(body.params[0].value);
      for (const p of body.params) expect(typeof p.value).toBe('string');
    }
  });
});

describe('reference examples, judged as esputnik-fixtures.mjs documents', () => {
  it('seed 002 productViewed and cartUpdated are not JSON as printed (unescaped JSON inside a string)', () => {
    expect(() => JSON.parse(seedProductViewedText)).toThrow(SyntaxError);
    expect(() => JSON.parse(seedCartUpdatedText)).toThrow(SyntaxError);
  });

  it.each([
    ['seed 002 productViewed, escaped: still not JSON inside (a stray "]}")', seedProductViewedEscaped,
      ['params.product: expected JSON string of an object, got "{\\"productId\\":\\"WS01-L-Green\\",\\"price\\":45.5…" (not JSON)']],
    ['seed 001 orderCreated, verbatim: items a raw array, keyValue not the top contact', seedOrderCreated, [
      `params[7].value: expected ${VALUE}, got array`,
      'keyValue: expected "AV13760" (the externalCustomerId param), got "380501234567"',
    ]],
    ['seed 001 orderCreated, items as a JSON string: extra item keys, 990 ≠ 258.0', seedOrderCreatedItemsEscaped, [
      'params.items[0].category: unexpected key',
      'params.items[0].description: unexpected key',
      'params.items: expected Σ cost × quantity = totalCost 258.0 (each line to the cent), got 990',
      'keyValue: expected "AV13760" (the externalCustomerId param), got "380501234567"',
    ]],
  ])('%s', (_name, body, errors) => {
    expect(validateEsputnikEvent(body)).toEqual(errors);
  });
});

describe('validateEsputnikEvent: invalid bodies', () => {
  it.each([
    ['not an object', 'orderCreated', ['body: expected object, got "orderCreated"']],
    ['an event type the tag does not send', event(eventProductViewed, (b) => { b.eventTypeKey = 'pageViewed'; }),
      [`eventTypeKey: expected ${EVENT_TYPES}, got "pageViewed"`]],
    ['Generate event v1 field', event(eventProductViewed, (b) => { b.eventId = '1'; }),
      ['eventId: unexpected key']],
    ['no keyValue', event(eventProductViewed, (b) => { delete (b as Body).keyValue; }),
      ['keyValue: missing (expected non-empty string)']],
    ['keyValue a lower-priority contact', event(eventProductViewed, (b) => { b.keyValue = CONTACT.phone; }),
      ['keyValue: expected "a@b.ru" (the email param), got "79001234567"']],
    ['keyValue not the externalCustomerId', event(eventOrderCreated, (b) => { b.keyValue = CONTACT.email; }),
      ['keyValue: expected "42" (the externalCustomerId param), got "a@b.ru"']],
    ['numeric keyValue', event(eventOrderCancelled, (b) => { b.keyValue = 79001234567; }),
      ['keyValue: expected non-empty string, got 79001234567']],
    ['params as an object', event(eventProductViewed, (b) => { (b as Body).params = { product: '{}' }; }),
      ['params: expected array, got object']],
    ['a param with an extra key', event(eventProductViewed, (b) => { b.params[3].type = 'String'; }),
      ['params[3].type: unexpected key']],
    ['a param that is not an object', event(eventProductViewed, (b) => { (b.params as unknown[])[3] = 'RUB'; }),
      ['params[3]: expected object {name, value}, got "RUB"']],
    ['numeric param value', event(eventOrderCancelled, (b) => { setParam(b, 'externalOrderId', 10031004); }),
      [`params[1].value: expected ${VALUE}, got 10031004`]],
    ['product as a raw object', event(eventProductViewed, (b) => { setParam(b, 'product', { productId: '1003', price: 150.5 }); }),
      [`params[2].value: expected ${VALUE}, got object`]],
    ['duplicate param', event(eventProductViewed, (b) => { b.params.push({ name: 'email', value: 'b@c.ru' }); }),
      ['params[4].name: expected unique name, got "email" again (also params[0])']],
    ['a param the type does not take', event(eventProductViewed, (b) => { b.params.push({ name: 'page', value: '/p/1003' }); }),
      ['params[4].name: expected one of externalCustomerId, email, phone, product, currencyCode, got "page"']],
    ['contactId, which the tag never sends', event(eventOrderCancelled, (b) => { b.params.unshift({ name: 'contactId', value: '7' }); }),
      ['params[0].name: expected one of externalCustomerId, email, phone, externalOrderId, got "contactId"']],
    ['empty param name', event(eventProductViewed, (b) => { b.params[3].name = ''; }),
      ['params[3].name: expected non-empty string, got ""']],
    ['empty contact param', event(eventOrderCancelled, (b) => {
      setParam(b, 'phone', '');
      b.keyValue = '';
    }), [
      'keyValue: expected non-empty string, got ""',
      'params.phone: expected non-empty string, got ""',
      'params: expected at least one of externalCustomerId, email, phone for orderCancelled, got none',
    ]],
    ['product that is not JSON', event(eventProductViewed, (b) => { setParam(b, 'product', '{productId: 1003}'); }),
      ['params.product: expected JSON string of an object, got "{productId: 1003}" (not JSON)']],
    ['product as a JSON array', event(eventProductViewed, (b) => { setParam(b, 'product', '[{"productId":"1003","price":150.5}]'); }),
      ['params.product: expected JSON string of an object, got JSON array']],
    ['no product', event(eventProductViewed, (b) => { dropParam(b, 'product'); }),
      ['params.product: missing (expected JSON string of an object)']],
    ['product price as a string', event(eventProductViewed, (b) => {
      editJson<Body>(b, 'product', (p) => { p.price = '150.5'; });
    }), ['params.product.price: expected number >= 0, got "150.5"']],
    ['product isInStock as a string', event(eventProductViewed, (b) => {
      editJson<Body>(b, 'product', (p) => { p.isInStock = '1'; });
    }), ['params.product.isInStock: expected 0 or 1, got "1"']],
    ['product with a numeric productId and no price', event(eventProductViewed, (b) => {
      setParam(b, 'product', JSON.stringify({ productId: 1003 }));
    }), ['params.product.productId: expected non-empty string, got 1003', 'params.product.price: missing (expected number >= 0)']],
    ['product with someProductProperty', event(eventProductViewed, (b) => {
      editJson<Body>(b, 'product', (p) => { p.someProductProperty = ['green']; });
    }), ['params.product.someProductProperty: unexpected key']],
    ['lower-case currencyCode', event(eventProductViewed, (b) => { setParam(b, 'currencyCode', 'rub'); }),
      ['params.currencyCode: expected string /^[A-Z]{3}$/, got "rub"']],
    ['cart line quantity 0', event(eventCartUpdated, (b) => {
      editJson<Body[]>(b, 'products', (lines) => { lines[0].quantity = 0; });
    }), ['params.products[0].quantity: expected number > 0, got 0']],
    ['cart line price as a string', event(eventCartUpdated, (b) => {
      editJson<Body[]>(b, 'products', (lines) => { lines[0].price = '150.5'; });
    }), ['params.products[0].price: expected number >= 0, got "150.5"']],
    ['numeric discount (the table types it String)', event(eventCartUpdated, (b) => {
      editJson<Body[]>(b, 'products', (lines) => { lines[1].discount = 100; });
    }), ['params.products[1].discount: expected numeric string >= 0, got 100']],
    ['tracker field names in a cart line', event(eventCartUpdated, (b) => {
      editJson<Body[]>(b, 'products', (lines) => { lines[0] = { productKey: '1003', quantity: 2, price: 150.5 }; });
    }), ['params.products[0].productKey: unexpected key', 'params.products[0].productId: missing (expected non-empty string)']],
    ['products as a JSON object', event(eventCartUpdated, (b) => { setParam(b, 'products', '{}'); }),
      ['params.products: expected JSON string of an array, got JSON object']],
    ['no recycleStateId', event(eventCartUpdated, (b) => { dropParam(b, 'recycleStateId'); }),
      ['params.recycleStateId: missing (expected non-empty string)']],
    ['no products', event(eventCartUpdated, (b) => { dropParam(b, 'products'); }),
      ['params.products: missing (expected JSON string of an array)']],
    ['totals that do not add up', event(eventOrderCreated, (b) => { setParam(b, 'totalCost', '2200'); }),
      ['params.items: expected Σ cost × quantity = totalCost 2200 (each line to the cent), got 2201']],
    ['totals off by more than half a cent', event(eventOrderCreated, (b) => { setParam(b, 'totalCost', '2201.006'); }),
      ['params.items: expected Σ cost × quantity = totalCost 2201.006 (each line to the cent), got 2201']],
    ['a total summed before the lines were rounded', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items.splice(0, 2, { ...items[0], cost: 0.125, quantity: 1 }, { ...items[1], cost: 0.125, quantity: 1 }); });
      setParam(b, 'totalCost', '0.25');
    }), ['params.items: expected Σ cost × quantity = totalCost 0.25 (each line to the cent), got 0.26']],
    ['cost read as a line total', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items[0].cost = 301; });
    }), ['params.items: expected Σ cost × quantity = totalCost 2201 (each line to the cent), got 2502']],
    ['numeric totalCost', event(eventOrderCreated, (b) => { setParam(b, 'totalCost', 2201); }),
      [`params[4].value: expected ${VALUE}, got 2201`]],
    ['totalCost with a currency sign', event(eventOrderCreated, (b) => { setParam(b, 'totalCost', '2201 ₽'); }),
      ['params.totalCost: expected numeric string >= 0, got "2201 ₽"']],
    ['a date that does not exist', event(eventOrderCreated, (b) => { setParam(b, 'date', '2025-02-30T10:11:00'); }),
      ['params.date: expected date YYYY-MM-DDTHH:mm:ss, got "2025-02-30T10:11:00"']],
    ['hour 24', event(eventOrderCreated, (b) => { setParam(b, 'date', '2025-10-09T24:00:00'); }),
      ['params.date: expected date YYYY-MM-DDTHH:mm:ss, got "2025-10-09T24:00:00"']],
    ['an ISO date with zone and milliseconds', event(eventOrderCreated, (b) => { setParam(b, 'date', '2025-10-09T18:13:20.000Z'); }),
      ['params.date: expected date YYYY-MM-DDTHH:mm:ss, got "2025-10-09T18:13:20.000Z"']],
    ['unknown status', event(eventOrderCreated, (b) => { setParam(b, 'status', 'NEW'); }),
      ['params.status: expected one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART, got "NEW"']],
    ['no externalOrderId', event(eventOrderCreated, (b) => { dropParam(b, 'externalOrderId'); }),
      ['params.externalOrderId: missing (expected non-empty string)']],
    ['order without a contact', event(eventOrderCreated, (b) => {
      for (const name of ['externalCustomerId', 'email', 'phone']) dropParam(b, name);
    }), ['params: expected at least one of externalCustomerId, email, phone for orderCreated, got none']],
    ['item quantity 1.5', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items[1].quantity = 1.5; });
    }), ['params.items[1].quantity: expected integer >= 1, got 1.5']],
    ['item cost as a string', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items[0].cost = '150.5'; });
    }), ['params.items[0].cost: expected number >= 0, got "150.5"']],
    ['item without a name', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { delete items[1].name; });
    }), ['params.items[1].name: missing (expected string)']],
    ['numeric item url', event(eventOrderCreated, (b) => {
      editJson<Body[]>(b, 'items', (items) => { items[0].url = 1; });
    }), ['params.items[0].url: expected string, got 1']],
    ['no items in items', event(eventOrderCreated, (b) => { setParam(b, 'items', '[]'); }),
      ['params.items: expected JSON string of a non-empty array, got "[]"']],
    ['lower-case currency', event(eventOrderCreated, (b) => { setParam(b, 'currency', 'rub'); }),
      ['params.currency: expected string /^[A-Z]{3}$/, got "rub"']],
    ['currencyCode on an order (its param is currency)', event(eventOrderCreated, (b) => { setParam(b, 'currency', 'RUB'); param(b, 'currency').name = 'currencyCode'; }),
      ['params[7].name: expected one of externalCustomerId, email, phone, externalOrderId, totalCost, status, date, currency, items, recycleStateId, got "currencyCode"']],
    ['cancellation without a contact', event(eventOrderCancelled, (b) => { dropParam(b, 'phone'); }),
      ['params: expected at least one of externalCustomerId, email, phone for orderCancelled, got none']],
    ['cancellation with a status', event(eventOrderCancelled, (b) => { b.params.push({ name: 'status', value: 'CANCELLED' }); }),
      ['params[2].name: expected one of externalCustomerId, email, phone, externalOrderId, got "status"']],
  ])('%s', (_name, body, errors) => {
    expect(validateEsputnikEvent(body)).toEqual(errors);
  });

  it('lists every problem of a body, not just the first', () => {
    const body = event(eventOrderCreated, (b) => {
      b.keyValue = CONTACT.phone;
      setParam(b, 'status', 'PAID');
      editJson<Body[]>(b, 'items', (items) => { items[0].quantity = 0; });
    });
    expect(validateEsputnikEvent(body)).toEqual([
      'params.status: expected one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART, got "PAID"',
      'params.items[0].quantity: expected integer >= 1, got 0',
      'keyValue: expected "42" (the externalCustomerId param), got "79001234567"',
    ]);
  });

  it('classifies a body without an eventTypeKey as unknown', () => {
    expect(classifyEsputnikEvent({ keyValue: 'x', params: [] })).toBe('unknown');
    expect(classifyEsputnikEvent(null)).toBe('unknown');
  });
});
