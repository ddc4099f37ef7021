import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../src/call/event';
import { toEvent } from '../../src/call/validate';
import { calltouchOfflineEvent, calltouchSiteEvent } from '../../src/calltouch/map';
import { validateCalltouch } from '../support/calltouch-schema.mjs';

const session = { siteId: 12345, sessionId: 987654321, modId: 'abcd1234', ctClientId: '1300000000412345678' };
const product = { id: 1003, name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5, quantity: 1 };
const wireProduct = '{"id":"1003","name":"USB-удлинитель","price":150.5,"brand":"xiaomi","category":"кабели, шнуры, переходники","variant":"длина шнура: 5м","margin":150.5,"quantity":1}';
const envelope = '"siteId":12345,"sessionId":987654321,"modId":"abcd1234","ctClientId":"1300000000412345678"';
const noContact = '"fio":null,"email":null,"phoneNumber":null,"comment":null,"addTags":[]';

/** The body as it goes on the wire, and as the stand-in judges it. */
const wire = (body: unknown) => JSON.stringify(body);

// reference/calltouch.md's body, key for key; product ids are strings as seed 000's field table types them
// (l.143-146), amounts to the cent as it writes them (l.133-136, "150.50").
describe('calltouchSiteEvent', () => {
  it.each([
    ['purchase (reference/calltouch.md)', 'purchase', { id: '10031004', products: [product] }, {}, `{${envelope},"eventType":"purchase","id":"10031004","products":[${wireProduct}],"manager":null,${noContact}}`],
    ['detail (seed 000 l.155-173)', 'detail', { products: [product, { id: '1005', name: 'Наушники', price: '2000.00' }] }, {}, `{${envelope},"eventType":"detail","products":[${wireProduct},{"id":"1005","name":"Наушники","price":2000}],${noContact}}`],
    ['addToCart leaves eSputnik’s fields behind (l.106-146)', 'addToCart', { products: [{ id: 7, quantity: 2, url: 'https://s.ru/7', isInStock: true }] }, {}, `{${envelope},"eventType":"addToCart","products":[{"id":"7","quantity":2}],${noContact}}`],
    ['refund (l.280-286)', 'refund', { id: 'R1', products: [{ id: 1003, quantity: 1 }] }, {}, `{${envelope},"eventType":"refund","id":"R1","products":[{"id":"1003","quantity":1}],${noContact}}`],
    [
      'checkout with the contact in fio, email and phoneNumber',
      'checkout',
      { products: [{ id: 1 }] },
      { name: 'Анна', email: 'a@b.ru', phone: '79001234567', externalCustomerId: '42', identity: 'x.y' },
      `{${envelope},"eventType":"checkout","products":[{"id":"1"}],"fio":"Анна","email":"a@b.ru","phoneNumber":"79001234567","comment":null,"addTags":[]}`,
    ],
    [
      'prices and margins to the cent (l.133-136 "150.50"): no 0.30000000000000004',
      'addToCart',
      { products: [{ id: 1, price: 0.1 + 0.2, margin: -1.005, quantity: 3 }, { id: 2, price: '10.005', margin: '33.333' }] },
      {},
      `{${envelope},"eventType":"addToCart","products":[{"id":"1","price":0.3,"margin":-1,"quantity":3},{"id":"2","price":10.01,"margin":33.33}],${noContact}}`,
    ],
  ])('%s', (_, method, params, contact, expected) => {
    const body = calltouchSiteEvent(toEvent(method, params), session, contact);
    expect(wire(body)).toBe(expected);
    expect(validateCalltouch(JSON.parse(wire(body)))).toEqual([]);
  });
});

// Seed 000's offline examples (l.250-266, l.294-299, l.316-326): "all field types must follow the example strictly"
// (l.271), and its example's product id is a number (l.256 "id": 3).
describe('calltouchOfflineEvent', () => {
  it.each([
    [
      'the seed’s purchase (l.250-266)',
      'purchase',
      { id: '5609', products: [{ id: 3, name: 'USB-удлинитель', price: 101, brand: 'xiaomi', category: 'Элкабели, шнуры', variant: '3 м', margin: 100.25, quantity: 10 }] },
      12345,
      '{"siteId":12345,"eventType":"purchase","id":"5609","products":[{"id":3,"name":"USB-удлинитель","price":101,"brand":"xiaomi","category":"Элкабели, шнуры","variant":"3 м","margin":100.25,"quantity":10}]}',
    ],
    ['a purchase line without quantity counts one (l.269-270: quantity required)', 'purchase', { id: 5610, products: [{ id: 3 }] }, 12345, '{"siteId":12345,"eventType":"purchase","id":"5610","products":[{"id":3,"quantity":1}]}'],
    ['the seed’s full refund (l.294-299)', 'refund', { id: '1000012' }, 25775, '{"siteId":25775,"eventType":"refund","id":"1000012","products":[]}'],
    ['the seed’s partial refund (l.316-326)', 'refund', { id: '1000013', products: [{ id: '3', quantity: 1 }] }, 25775, '{"siteId":25775,"eventType":"refund","id":"1000013","products":[{"id":3,"quantity":1}]}'],
    [
      'ids a number cannot hold stay strings (l.256 types digits only): a SKU, a leading zero, past 2^53',
      'purchase',
      { id: 'T', products: [{ id: 'WS01-L' }, { id: '007' }, { id: '9007199254740993' }, { id: '9007199254740991' }, { id: 0 }] },
      12345,
      '{"siteId":12345,"eventType":"purchase","id":"T","products":[{"id":"WS01-L","quantity":1},{"id":"007","quantity":1},{"id":"9007199254740993","quantity":1},{"id":9007199254740991,"quantity":1},{"id":0,"quantity":1}]}',
    ],
    ['prices to the cent (l.258 "price": 101)', 'purchase', { id: 'T', products: [{ id: 1, price: 33.333, margin: 0.1 + 0.2, quantity: 3 }] }, 12345, '{"siteId":12345,"eventType":"purchase","id":"T","products":[{"id":1,"price":33.33,"margin":0.3,"quantity":3}]}'],
  ])('%s', (_, method, params, siteId, expected) => {
    const body = calltouchOfflineEvent(toEvent(method, params) as Transaction, siteId);
    expect(wire(body)).toBe(expected);
    expect(validateCalltouch(JSON.parse(wire(body)))).toEqual([]);
  });
});
