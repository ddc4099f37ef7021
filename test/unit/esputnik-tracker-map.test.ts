import { describe, expect, it } from 'vitest';
import { toEvent } from '../../src/call/validate';
import { nextCart, type Cart } from '../../src/esputnik/cart';
import { customerData, trackerBodies, type TrackerContext } from '../../src/esputnik/tracker';
import { validateEsputnikTracker } from '../support/esputnik-schema.mjs';

// reference/esputnik.md §1: its ProductPage example is the first row, byte for byte. Prices are strings and
// quantities integers, as the field tables type them (the examples mix in numbers).
const SC = 'CDA68358-94FB-4D83-9655-3FEB3C4114A3';
const REFERENCE_CONTACT = { externalCustomerId: '1234509876', phone: '1-541-754-3010', email: 'user@mail.com', name: 'Gregori Boczynski' };
const context = (contact = {}): TrackerContext => ({ siteId: '8A412DC', sc: SC, contact, now: 1579622183208 });
const general = (eventName: string) => `"GeneralInfo":{"eventName":"${eventName}","siteId":"8A412DC","datetime":1579622183208,"cookies":{"sc":"${SC}"}}`;
const emptyCart: Cart = { id: 'r1', lines: [] };

/** The bodies as JSON: what goes on the wire (fields left undefined are not there). */
const bodies = (method: string, params: Record<string, unknown>, cart: Cart = emptyCart, contact = {}) => {
  const event = toEvent(method, params);
  const after = method == 'detail' || method == 'refund' ? cart : nextCart(cart, event, () => 'GUID-1', true);
  return trackerBodies(event, after, context(contact)).map((body) => JSON.stringify(body));
};

describe('trackerBodies', () => {
  it.each<[string, string, Record<string, unknown>, Cart, object, string[]]>([
    [
      'reference/esputnik.md’s ProductPage example',
      'detail',
      { products: [{ id: '72354', price: '754', isInStock: 1 }] },
      emptyCart,
      REFERENCE_CONTACT,
      [
        `{"GeneralInfo":{"eventName":"ProductPage","siteId":"8A412DC","datetime":1579622183208,"externalCustomerId":"1234509876","user_phone":"1-541-754-3010","user_email":"user@mail.com","user_name":"Gregori Boczynski","cookies":{"sc":"${SC}"}},"ProductPage":{"Product":{"productKey":"72354","price":"754","isInStock":"1"}}}`,
      ],
    ],
    [
      'a two-product detail: one ProductPage each',
      'detail',
      { products: [{ id: 1003, price: 150.5, isInStock: false, name: 'USB' }, { id: 'sku-2', price: '2000.00' }] },
      emptyCart,
      {},
      [`{${general('ProductPage')},"ProductPage":{"Product":{"productKey":"1003","price":"150.5","isInStock":"0"}}}`, `{${general('ProductPage')},"ProductPage":{"Product":{"productKey":"sku-2","price":"2000"}}}`],
    ],
    [
      'addToCart: the whole cart after the change',
      'addToCart',
      { products: [{ id: 2, price: 5, quantity: 2, discount: '0.5' }] },
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 1 }] },
      {},
      [`{${general('StatusCart')},"StatusCart":{"GUID":"GUID-1","Products":[{"productKey":"1","price":"10","quantity":1},{"productKey":"2","price":"5","discount":"0.5","quantity":2}]}}`],
    ],
    [
      'removeFromCart down to an empty cart: "Products": []',
      'removeFromCart',
      { products: [{ id: 1 }] },
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 3 }] },
      {},
      [`{${general('StatusCart')},"StatusCart":{"GUID":"GUID-1","Products":[]}}`],
    ],
    [
      'checkout: its products are the cart',
      'checkout',
      { products: [{ id: 7, price: 3, quantity: 4 }] },
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 3 }] },
      {},
      [`{${general('StatusCart')},"StatusCart":{"GUID":"GUID-1","Products":[{"productKey":"7","price":"3","quantity":4}]}}`],
    ],
    [
      'purchase: PurchasedItems with the order number, one unit by default, under the last StatusCart’s GUID (reference §1)',
      'purchase',
      { id: '123/2017', products: [{ id: 1, price: '99.90', quantity: 2 }, { id: 2, price: 1 }] },
      { id: 'GUID-0', lines: [{ id: '1', price: 99.9, quantity: 2 }] },
      { email: 'a@b.ru' },
      [
        `{"GeneralInfo":{"eventName":"PurchasedItems","siteId":"8A412DC","datetime":1579622183208,"user_email":"a@b.ru","cookies":{"sc":"${SC}"}},"PurchasedItems":{"Products":[{"product_id":"1","unit_price":"99.9","quantity":2},{"product_id":"2","unit_price":"1","quantity":1}],"OrderNumber":"123/2017","GUID":"GUID-0"}}`,
      ],
    ],
    [
      'purchase: a unit’s price is what it cost after its per-unit discount (seed 002’s cart table), to the cent',
      'purchase',
      { id: 'D-1', products: [{ id: 1, price: 33.333, discount: 3.335, quantity: 3 }, { id: 2, price: 5, discount: 7 }] },
      { id: 'GUID-0', lines: [] },
      {},
      [`{${general('PurchasedItems')},"PurchasedItems":{"Products":[{"product_id":"1","unit_price":"30","quantity":3},{"product_id":"2","unit_price":"0","quantity":1}],"OrderNumber":"D-1","GUID":"GUID-0"}}`],
    ],
    [
      'purchase after a purchase, with no cart state between: a GUID of its own',
      'purchase',
      { id: 'O-2', products: [{ id: 1, price: 1 }] },
      { id: 'GUID-0', lines: [], bought: 1 },
      {},
      [`{${general('PurchasedItems')},"PurchasedItems":{"Products":[{"product_id":"1","unit_price":"1","quantity":1}],"OrderNumber":"O-2","GUID":"GUID-1"}}`],
    ],
    [
      'the contact in the tracker’s fields, a phone in international digits (reference §3)',
      'detail',
      { products: [{ id: 5, price: 1 }] },
      emptyCart,
      { phone: '79001234567', email: 'anna@example.com', name: 'Анна', identity: 'never.sent' },
      [`{"GeneralInfo":{"eventName":"ProductPage","siteId":"8A412DC","datetime":1579622183208,"user_phone":"79001234567","user_email":"anna@example.com","user_name":"Анна","cookies":{"sc":"${SC}"}},"ProductPage":{"Product":{"productKey":"5","price":"1"}}}`],
    ],
    ['refund: the tracker has no event for it', 'refund', { id: '123/2017' }, emptyCart, {}, []],
  ])('%s', (_, method, params, cart, contact, wire) => {
    const sent = bodies(method, params, cart, contact);
    expect(sent).toEqual(wire);
    for (const body of sent) expect(validateEsputnikTracker(JSON.parse(body))).toEqual([]);
  });

  it('customerData: GeneralInfo with the contact fields alone, never the signed identity (the tracker is keyless)', () => {
    const body = JSON.stringify(customerData(context({ email: 'a@b.ru', externalCustomerId: '42', name: 'Анна', identity: 'eyJzdWIiOiJ4In0.c2ln' })));
    expect(body).toBe(
      `{"GeneralInfo":{"eventName":"CustomerData","siteId":"8A412DC","datetime":1579622183208,"externalCustomerId":"42","user_email":"a@b.ru","user_name":"Анна","cookies":{"sc":"${SC}"}}}`,
    );
    expect(validateEsputnikTracker(JSON.parse(body))).toEqual([]);
  });
});
