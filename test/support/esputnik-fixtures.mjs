// eSputnik bodies for unit, browser and demo tests, in two groups:
//
// - the reference documents' own examples, verbatim, each with how it fares
//   against the strict schema (esputnik-schema.mjs) and why: the documents'
//   examples disagree with their field tables, and where they do we follow
//   the tables (reference/README.md);
// - one canonical VALID body per kind, in exactly the shape the tag sends:
//   tracker bodies with GeneralInfo first and its keys in the order eventName,
//   siteId, datetime, externalCustomerId, user_phone, user_email, user_name,
//   cookies, prices as strings ("150.5"), quantities integers; Generate event
//   bodies with the contact params first (externalCustomerId, email, phone),
//   keyValue the first of them, then the event's params, structured values
//   made with JSON.stringify. Tests compare wire bodies as exact JSON strings,
//   so the key order matters.
//
// Everything is deeply frozen: take a structuredClone to make a variant.

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------
// The reference documents' examples

/**
 * reference/esputnik.md §1, the tracker's ProductPage example, verbatim.
 * VALID: price is a string ("754") and isInStock "1", as the field table
 * says; datetime 1579622183208 is 2020-01-21, after the schema's 2020 floor.
 */
export const referenceProductPage = deepFreeze({
  GeneralInfo: {
    eventName: 'ProductPage', siteId: '8A412DC', datetime: 1579622183208,
    externalCustomerId: '1234509876', user_phone: '1-541-754-3010',
    user_email: 'user@mail.com', user_name: 'Gregori Boczynski',
    cookies: { sc: 'CDA68358-94FB-4D83-9655-3FEB3C4114A3' },
  },
  ProductPage: { Product: { productKey: '72354', price: '754', isInStock: '1' } },
});

/**
 * Seed 002's productViewed example as printed. NOT JSON: the value of
 * `product` is meant to be a JSON string but its inner quotes are not
 * escaped (and it ends in a stray `]}`). The collector answers 400 "body is
 * not JSON" before any schema runs.
 */
export const seedProductViewedText = String.raw`{
"eventTypeKey": "productViewed",
"keyValue": "example@email.com",
"params": [
{
"name": "phone",
"value": "411786452"
},
{
"name": "email",
"value": "example@email.com"
},
{
"name": "product",
"value": "{"productId":"WS01-L-Green","price":45.5,"isInStock":1,"someProductProperty":["green"]}]}"
},
{
"name": "currencyCode",
"value": "USD"
}
]
}`;

/**
 * Seed 002's productViewed example with the one repair the printing lost:
 * `product`'s value escaped into a JSON string, characters unchanged.
 * INVALID: that string is still not JSON, because of the stray `]}` after
 * the object (`params.product: … (not JSON)`). Without the `]}` it would fail
 * on `someProductProperty`, an extension the tag never sends.
 */
export const seedProductViewedEscaped = deepFreeze({
  eventTypeKey: 'productViewed',
  keyValue: 'example@email.com',
  params: [
    { name: 'phone', value: '411786452' },
    { name: 'email', value: 'example@email.com' },
    { name: 'product', value: '{"productId":"WS01-L-Green","price":45.5,"isInStock":1,"someProductProperty":["green"]}]}' },
    { name: 'currencyCode', value: 'USD' },
  ],
});

/**
 * Seed 002's cartUpdated example as printed. NOT JSON for the same reason:
 * `products`' value is unescaped JSON inside quotes.
 */
export const seedCartUpdatedText = String.raw`{
"eventTypeKey": "cartUpdated",
"keyValue": "example@email.com",
"params": [
{
"name": "phone",
"value": "73456712"
},
{
"name": "email",
"value": "example@email.com"
},
{
"name": "products",
"value": "[{"productId":"WS01-L-Green","quantity":1,"price":45.5}]"
},
{
"name": "currencyCode",
"value": "USD"
},
{
"name": "recycleStateId",
"value": "d59c6e6d-4123-4b0e-8c32-15f0656a8c60"
}
]
}`;

/**
 * Seed 002's cartUpdated example with `products` escaped into a JSON string.
 * VALID: numbers where the table says Double, recycleStateId present, and
 * keyValue is the email, the highest-priority contact param present (the
 * phone comes first in the list, but the order of params does not matter).
 */
export const seedCartUpdatedEscaped = deepFreeze({
  eventTypeKey: 'cartUpdated',
  keyValue: 'example@email.com',
  params: [
    { name: 'phone', value: '73456712' },
    { name: 'email', value: 'example@email.com' },
    { name: 'products', value: '[{"productId":"WS01-L-Green","quantity":1,"price":45.5}]' },
    { name: 'currencyCode', value: 'USD' },
    { name: 'recycleStateId', value: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60' },
  ],
});

/**
 * Seed 001's orderCreated example, verbatim (it is valid JSON). INVALID, twice:
 * - `items` is a raw array, while the field table says "Значения items
 *   необходимо передавать json строкой" (pass items as a JSON string); we
 *   follow the table (`params[7].value: expected string …`);
 * - keyValue is the phone although an externalCustomerId is present; the tag
 *   sets keyValue to the highest-priority contact, as eSputnik itself would.
 */
export const seedOrderCreated = deepFreeze({
  eventTypeKey: 'orderCreated',
  keyValue: '380501234567',
  params: [
    { name: 'phone', value: '380501234567' },
    { name: 'externalOrderId', value: '12345679' },
    { name: 'externalCustomerId', value: 'AV13760' },
    { name: 'totalCost', value: '258.0' },
    { name: 'status', value: 'INITIALIZED' },
    { name: 'date', value: '2020-05-14T10:11:00' },
    { name: 'currency', value: 'UAH' },
    {
      name: 'items',
      value: [{
        externalItemId: '200600', name: 'Super Device', category: 'devices', quantity: 1, cost: 990,
        url: 'http://example.com/item/200600', imageUrl: 'http://example.com/item/200600/image.png',
        description: 'High quality',
      }],
    },
  ],
});

/**
 * Seed 001's orderCreated example with `items` made a JSON string as the
 * table asks (JSON.stringify of the same array) and keyValue left as printed.
 * INVALID: `category` and `description` are item keys the tag never sends,
 * Σ cost × quantity is 990 while totalCost is "258.0" (the seed's own note:
 * "the price of the items must match totalCost"), and keyValue as above.
 */
export const seedOrderCreatedItemsEscaped = deepFreeze({
  ...structuredClone(seedOrderCreated),
  params: seedOrderCreated.params.map((param) =>
    param.name === 'items' ? { name: 'items', value: JSON.stringify(param.value) } : { ...param }),
});

// ---------------------------------------------------------------------------
// Canonical bodies, exactly as the tag sends them

export const SITE_ID = '8A412DC';
/** A visitor cookie in the format of eSputnik's `sc`. */
export const SC = 'CDA68358-94FB-4D83-9655-3FEB3C4114A3';
/** 2025-10-09T18:13:20.000Z */
export const DATETIME = 1760033600000;
/** The contact of SPEC §3's set_contact example. */
export const CONTACT = deepFreeze({ externalCustomerId: '42', email: 'a@b.ru', phone: '79001234567', name: 'Анна' });
export const GUID = '5f0c2a9e-3b7d-4c1e-9a4f-8d2b6e1c7a30';
export const RECYCLE_STATE_ID = 'b1d4e6f8-2a3c-4e5f-8a7b-9c0d1e2f3a4b';
export const ORDER_ID = '10031004';

/** detail, anonymous visitor: no contact fields yet. */
export const trackerProductPage = deepFreeze({
  GeneralInfo: { eventName: 'ProductPage', siteId: SITE_ID, datetime: DATETIME, cookies: { sc: SC } },
  ProductPage: { Product: { productKey: '1003', price: '150.5', isInStock: '1' } },
});

/** addToCart after set_contact: the whole cart, contact fields on GeneralInfo. */
export const trackerStatusCart = deepFreeze({
  GeneralInfo: {
    eventName: 'StatusCart', siteId: SITE_ID, datetime: DATETIME,
    externalCustomerId: CONTACT.externalCustomerId, user_phone: CONTACT.phone, user_email: CONTACT.email,
    user_name: CONTACT.name, cookies: { sc: SC },
  },
  StatusCart: {
    GUID,
    Products: [
      { productKey: '1003', price: '150.5', quantity: 2 },
      { productKey: '1005', price: '2000', discount: '100', quantity: 1 },
    ],
  },
});

/**
 * purchase, with only an email known: each unit at its price less its discount (2000 − 100), under the GUID of
 * the cart state it bought (trackerStatusCart's).
 */
export const trackerPurchasedItems = deepFreeze({
  GeneralInfo: {
    eventName: 'PurchasedItems', siteId: SITE_ID, datetime: DATETIME, user_email: CONTACT.email, cookies: { sc: SC },
  },
  PurchasedItems: {
    Products: [
      { product_id: '1003', unit_price: '150.5', quantity: 2 },
      { product_id: '1005', unit_price: '1900', quantity: 1 },
    ],
    OrderNumber: ORDER_ID,
    GUID,
  },
});

/** set_contact: GeneralInfo alone. */
export const trackerCustomerData = deepFreeze({
  GeneralInfo: {
    eventName: 'CustomerData', siteId: SITE_ID, datetime: DATETIME,
    externalCustomerId: CONTACT.externalCustomerId, user_phone: CONTACT.phone, user_email: CONTACT.email,
    user_name: CONTACT.name, cookies: { sc: SC },
  },
});

/** detail, contact known by email and phone: keyValue is the email. */
export const eventProductViewed = deepFreeze({
  eventTypeKey: 'productViewed',
  keyValue: CONTACT.email,
  params: [
    { name: 'email', value: CONTACT.email },
    { name: 'phone', value: CONTACT.phone },
    { name: 'product', value: JSON.stringify({ productId: '1003', price: 150.5, isInStock: 1 }) },
    { name: 'currencyCode', value: 'RUB' },
  ],
});

/** A cart change, whole cart, every contact known: keyValue is the externalCustomerId. */
export const eventCartUpdated = deepFreeze({
  eventTypeKey: 'cartUpdated',
  keyValue: CONTACT.externalCustomerId,
  params: [
    { name: 'externalCustomerId', value: CONTACT.externalCustomerId },
    { name: 'email', value: CONTACT.email },
    { name: 'phone', value: CONTACT.phone },
    {
      name: 'products',
      value: JSON.stringify([
        { productId: '1003', quantity: 2, price: 150.5, name: 'USB-удлинитель', category: 'кабели' },
        { productId: '1005', quantity: 1, price: 2000, name: 'Наушники', discount: '100' },
      ]),
    },
    { name: 'currencyCode', value: 'RUB' },
    { name: 'recycleStateId', value: RECYCLE_STATE_ID },
  ],
});

/** purchase: totalCost "2201" = 150.5 × 2 + 1900 × 1, cost being the (discounted) unit price. */
export const eventOrderCreated = deepFreeze({
  eventTypeKey: 'orderCreated',
  keyValue: CONTACT.externalCustomerId,
  params: [
    { name: 'externalCustomerId', value: CONTACT.externalCustomerId },
    { name: 'email', value: CONTACT.email },
    { name: 'phone', value: CONTACT.phone },
    { name: 'externalOrderId', value: ORDER_ID },
    { name: 'totalCost', value: '2201' },
    { name: 'status', value: 'INITIALIZED' },
    { name: 'date', value: '2025-10-09T21:13:20' },
    { name: 'currency', value: 'RUB' },
    {
      name: 'items',
      value: JSON.stringify([
        { externalItemId: '1003', name: 'USB-удлинитель', quantity: 2, cost: 150.5,
          url: 'https://shop.example/p/1003', imageUrl: 'https://shop.example/p/1003.jpg' },
        { externalItemId: '1005', name: 'Наушники', quantity: 1, cost: 1900 },
      ]),
    },
  ],
});

/** A full refund, contact known by phone only. */
export const eventOrderCancelled = deepFreeze({
  eventTypeKey: 'orderCancelled',
  keyValue: CONTACT.phone,
  params: [
    { name: 'phone', value: CONTACT.phone },
    { name: 'externalOrderId', value: ORDER_ID },
  ],
});
