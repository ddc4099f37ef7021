import { describe, expect, it } from 'vitest';
import { toEvent } from '../../src/call/validate';
import { customerData, trackerBodies, type TrackerContext } from '../../src/map/esputnik-tracker';
import { nextCart, type Cart } from '../../src/state/cart';
import { validateEsputnikTracker } from '../support/esputnik-schema.mjs';

// reference/esputnik.md §1: its ProductPage example is the first row, byte for byte. Prices are strings and
// quantities integers, as the field tables type them (the examples mix in numbers).
const SC = 'CDA68358-94FB-4D83-9655-3FEB3C4114A3';
const REFERENCE_CONTACT = { externalCustomerId: '1234509876', phone: '1-541-754-3010', email: 'user@mail.com', name: 'Gregori Boczynski' };
const context = (contact = {}): TrackerContext => ({ siteId: '8A412DC', sc: SC, contact, now: 1579622183208 });
const general = (eventName: string) => `"GeneralInfo":{"eventName":"${eventName}","siteId":"8A412DC","datetime":1579622183208,"cookies":{"sc":"${SC}"}}`;
const emptyCart: Cart = { id: 'r1', lines: [] };

const bodies = (method: string, params: Record<string, unknown>, cart: Cart = emptyCart, contact = {}) => {
  const event = toEvent(method, params, 'tracker');
  return trackerBodies(event, nextCart(cart, event, () => 'r2'), () => 'GUID-1', context(contact));
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
      'purchase: PurchasedItems with the order number, one unit by default',
      'purchase',
      { id: '123/2017', products: [{ id: 1, price: '99.90', quantity: 2 }, { id: 2, price: 1 }] },
      emptyCart,
      { email: 'a@b.ru' },
      [
        `{"GeneralInfo":{"eventName":"PurchasedItems","siteId":"8A412DC","datetime":1579622183208,"user_email":"a@b.ru","cookies":{"sc":"${SC}"}},"PurchasedItems":{"Products":[{"product_id":"1","unit_price":"99.9","quantity":2},{"product_id":"2","unit_price":"1","quantity":1}],"OrderNumber":"123/2017"}}`,
      ],
    ],
    ['refund: the tracker has no event for it', 'refund', { id: '123/2017' }, emptyCart, {}, []],
  ])('%s', (_, method, params, cart, contact, wire) => {
    const sent = bodies(method, params, cart, contact);
    expect(sent.map((body) => JSON.stringify(body))).toEqual(wire);
    for (const body of sent) expect(validateEsputnikTracker(body)).toEqual([]);
  });

  it('customerData: GeneralInfo with the contact fields alone', () => {
    const body = customerData(context({ email: 'a@b.ru', externalCustomerId: '42', name: 'Анна' }));
    expect(JSON.stringify(body)).toBe(
      `{"GeneralInfo":{"eventName":"CustomerData","siteId":"8A412DC","datetime":1579622183208,"externalCustomerId":"42","user_email":"a@b.ru","user_name":"Анна","cookies":{"sc":"${SC}"}}}`,
    );
    expect(validateEsputnikTracker(body)).toEqual([]);
  });
});
