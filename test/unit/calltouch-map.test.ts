import { describe, expect, it } from 'vitest';
import { toEvent } from '../../src/call/validate';
import { calltouchOfflineEvent, calltouchSiteEvent } from '../../src/map/calltouch';
import { validateCalltouch } from '../support/calltouch-schema.mjs';

const session = { siteId: 12345, sessionId: 987654321, modId: 'abcd1234', ctClientId: '1300000000412345678' };
const product = { id: 1003, name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5, quantity: 1 };
const wireProduct = '{"id":"1003","name":"USB-удлинитель","price":150.5,"brand":"xiaomi","category":"кабели, шнуры, переходники","variant":"длина шнура: 5м","margin":150.5,"quantity":1}';
const envelope = '"siteId":12345,"sessionId":987654321,"modId":"abcd1234","ctClientId":"1300000000412345678"';
const noContact = '"fio":null,"email":null,"phoneNumber":null,"comment":null,"addTags":[]';

// reference/calltouch.md's body, key for key; product ids are strings as seed 000's field table types them.
describe('calltouchSiteEvent', () => {
  it.each([
    ['purchase', { id: '10031004', products: [product] }, {}, `{${envelope},"eventType":"purchase","id":"10031004","products":[${wireProduct}],"manager":null,${noContact}}`],
    ['detail', { products: [product, { id: '1005', name: 'Наушники', price: '2000.00' }] }, {}, `{${envelope},"eventType":"detail","products":[${wireProduct},{"id":"1005","name":"Наушники","price":2000}],${noContact}}`],
    ['addToCart', { products: [{ id: 7, quantity: 2, url: 'https://s.ru/7', isInStock: true }] }, {}, `{${envelope},"eventType":"addToCart","products":[{"id":"7","quantity":2}],${noContact}}`],
    ['refund', { id: 'R1', products: [{ id: 1003, quantity: 1 }] }, {}, `{${envelope},"eventType":"refund","id":"R1","products":[{"id":"1003","quantity":1}],${noContact}}`],
    [
      'checkout',
      { products: [{ id: 1 }] },
      { name: 'Анна', email: 'a@b.ru', phone: '79001234567', externalCustomerId: '42' },
      `{${envelope},"eventType":"checkout","products":[{"id":"1"}],"fio":"Анна","email":"a@b.ru","phoneNumber":"79001234567","comment":null,"addTags":[]}`,
    ],
  ])('%s', (method, params, contact, wire) => {
    const body = calltouchSiteEvent(toEvent(method, params), session, contact);
    expect(JSON.stringify(body)).toBe(wire);
    expect(validateCalltouch(body)).toEqual([]);
  });
});

// Seed 000's offline examples, with the field table's string ids.
describe('calltouchOfflineEvent', () => {
  it.each([
    [
      'the seed’s purchase',
      'purchase',
      { id: '5609', products: [{ id: 3, name: 'USB-удлинитель', price: 101, brand: 'xiaomi', category: 'Элкабели, шнуры', variant: '3 м', margin: 100.25, quantity: 10 }] },
      12345,
      '{"siteId":12345,"eventType":"purchase","id":"5609","products":[{"id":"3","name":"USB-удлинитель","price":101,"brand":"xiaomi","category":"Элкабели, шнуры","variant":"3 м","margin":100.25,"quantity":10}]}',
    ],
    ['a purchase line without quantity counts one', 'purchase', { id: 5610, products: [{ id: 3 }] }, 12345, '{"siteId":12345,"eventType":"purchase","id":"5610","products":[{"id":"3","quantity":1}]}'],
    ['the seed’s full refund', 'refund', { id: '1000012' }, 25775, '{"siteId":25775,"eventType":"refund","id":"1000012","products":[]}'],
    ['a partial refund', 'refund', { id: '1000013', products: [{ id: 3, quantity: 1 }] }, 25775, '{"siteId":25775,"eventType":"refund","id":"1000013","products":[{"id":"3","quantity":1}]}'],
  ])('%s', (_, method, params, siteId, wire) => {
    const event = toEvent(method, params) as Parameters<typeof calltouchOfflineEvent>[0];
    const body = calltouchOfflineEvent(event, siteId);
    expect(JSON.stringify(body)).toBe(wire);
    expect(validateCalltouch(body)).toEqual([]);
  });
});
