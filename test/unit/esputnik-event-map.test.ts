import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toEvent } from '../../src/call/validate';
import { localDate, pendingEvents, withContact } from '../../src/map/esputnik-event';
import { nextCart, type Cart } from '../../src/state/cart';
import { validateEsputnikEvent } from '../support/esputnik-schema.mjs';

// Generate event v2 (seeds 001, 002). The seeds' own examples lead each kind: their values, with every param
// value a JSON string as the field tables ask (seed 001's example shows `items` as a raw array), the contact's
// locators first in the order keyValue is chosen from, and items whose cost adds up to totalCost (seed 001's
// example has cost 990 against totalCost 258.0).
const NOW = Date.UTC(2020, 4, 14, 10, 11, 0);
const cart: Cart = { id: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60', lines: [] };
let zone: string | undefined;

beforeAll(() => {
  zone = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  process.env.TZ = zone;
});

const body = (method: string, params: Record<string, unknown>, contact: Record<string, string>, currency = 'USD', before = cart) => {
  const event = toEvent(method, params, 'event');
  return pendingEvents(event, nextCart(before, event, () => 'new-cart'), currency, NOW).map((pending) => withContact(pending, contact));
};

describe('pendingEvents + withContact', () => {
  it.each<[string, string, Record<string, unknown>, Record<string, string>, string, Cart, string[]]>([
    [
      'seed 002’s productViewed',
      'detail',
      { products: [{ id: 'WS01-L-Green', price: 45.5, isInStock: 1 }] },
      { email: 'example@email.com', phone: '411786452' },
      'USD',
      cart,
      [
        '{"eventTypeKey":"productViewed","keyValue":"example@email.com","params":[{"name":"email","value":"example@email.com"},{"name":"phone","value":"411786452"},{"name":"product","value":"{\\"productId\\":\\"WS01-L-Green\\",\\"price\\":45.5,\\"isInStock\\":1}"},{"name":"currencyCode","value":"USD"}]}',
      ],
    ],
    [
      'seed 002’s cartUpdated',
      'addToCart',
      { products: [{ id: 'WS01-L-Green', quantity: 1, price: 45.5 }] },
      { email: 'example@email.com', phone: '73456712' },
      'USD',
      cart,
      [
        '{"eventTypeKey":"cartUpdated","keyValue":"example@email.com","params":[{"name":"email","value":"example@email.com"},{"name":"phone","value":"73456712"},{"name":"products","value":"[{\\"productId\\":\\"WS01-L-Green\\",\\"quantity\\":1,\\"price\\":45.5}]"},{"name":"currencyCode","value":"USD"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"}]}',
      ],
    ],
    [
      'cartUpdated carries the whole cart with names, categories and discounts',
      'addToCart',
      { products: [{ id: 2, price: '5.00', name: 'Кабель', category: 'кабели', discount: 0.5 }] },
      { externalCustomerId: '42', email: 'a@b.ru' },
      'RUB',
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 2 }] },
      [
        '{"eventTypeKey":"cartUpdated","keyValue":"42","params":[{"name":"externalCustomerId","value":"42"},{"name":"email","value":"a@b.ru"},{"name":"products","value":"[{\\"productId\\":\\"1\\",\\"quantity\\":2,\\"price\\":10},{\\"productId\\":\\"2\\",\\"quantity\\":1,\\"price\\":5,\\"name\\":\\"Кабель\\",\\"category\\":\\"кабели\\",\\"discount\\":\\"0.5\\"}]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"r1"}]}',
      ],
    ],
    [
      'an emptied cart is an empty list',
      'removeFromCart',
      { products: [{ id: 1 }] },
      { phone: '79001234567' },
      'RUB',
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 2 }] },
      ['{"eventTypeKey":"cartUpdated","keyValue":"79001234567","params":[{"name":"phone","value":"79001234567"},{"name":"products","value":"[]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"r1"}]}'],
    ],
    [
      'seed 001’s orderCreated',
      'purchase',
      { id: '12345679', products: [{ id: '200600', name: 'Super Device', category: 'devices', quantity: 1, price: 258, url: 'http://example.com/item/200600', imageUrl: 'http://example.com/item/200600/image.png' }] },
      { externalCustomerId: 'AV13760', phone: '380501234567' },
      'UAH',
      cart,
      [
        '{"eventTypeKey":"orderCreated","keyValue":"AV13760","params":[{"name":"externalCustomerId","value":"AV13760"},{"name":"phone","value":"380501234567"},{"name":"externalOrderId","value":"12345679"},{"name":"totalCost","value":"258"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2020-05-14T10:11:00"},{"name":"currency","value":"UAH"},{"name":"items","value":"[{\\"externalItemId\\":\\"200600\\",\\"name\\":\\"Super Device\\",\\"quantity\\":1,\\"cost\\":258,\\"url\\":\\"http://example.com/item/200600\\",\\"imageUrl\\":\\"http://example.com/item/200600/image.png\\"}]"}]}',
      ],
    ],
    [
      'totalCost is Σ price × quantity, in cents',
      'purchase',
      { id: 'A-1', products: [{ id: 1, name: 'a', price: 0.1, quantity: 3 }, { id: 2, name: 'b', price: '0.20' }] },
      { email: 'a@b.ru' },
      'RUB',
      cart,
      [
        '{"eventTypeKey":"orderCreated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"externalOrderId","value":"A-1"},{"name":"totalCost","value":"0.5"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2020-05-14T10:11:00"},{"name":"currency","value":"RUB"},{"name":"items","value":"[{\\"externalItemId\\":\\"1\\",\\"name\\":\\"a\\",\\"quantity\\":3,\\"cost\\":0.1},{\\"externalItemId\\":\\"2\\",\\"name\\":\\"b\\",\\"quantity\\":1,\\"cost\\":0.2}]"}]}',
      ],
    ],
    [
      'a full refund cancels the order',
      'refund',
      { id: '12345679' },
      { email: 'a@b.ru' },
      'RUB',
      cart,
      ['{"eventTypeKey":"orderCancelled","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"externalOrderId","value":"12345679"}]}'],
    ],
    ['a partial refund has no event', 'refund', { id: '12345679', products: [{ id: 1, quantity: 1 }] }, { email: 'a@b.ru' }, 'RUB', cart, []],
  ])('%s', (_, method, params, contact, currency, before, wire) => {
    const sent = body(method, params, contact, currency, before);
    expect(sent.map((b) => JSON.stringify(b))).toEqual(wire);
    for (const b of sent) expect(validateEsputnikEvent(b)).toEqual([]);
  });

  it('renews recycleStateId after the purchase', () => {
    const event = toEvent('purchase', { id: 'o', products: [{ id: 1, price: 1, name: 'a' }] }, 'event');
    const after = nextCart({ id: 'r1', lines: [{ id: '1', price: 1, quantity: 1 }] }, event, () => 'r2');
    const next = toEvent('addToCart', { products: [{ id: 2, price: 3 }] }, 'event');
    const params = pendingEvents(next, nextCart(after, next, () => 'r3'), 'RUB', NOW)[0].params;
    expect(params.recycleStateId).toBe('r2');
  });

  it.each([
    [{}, undefined],
    [{ name: 'Анна' }, undefined],
    [{ phone: '7900' }, '7900'],
    [{ phone: '7900', email: 'a@b.ru' }, 'a@b.ru'],
    [{ phone: '7900', email: 'a@b.ru', externalCustomerId: '42' }, '42'],
  ])('keyValue of %j is %s: externalCustomerId, else email, else phone; no locator, no body', (contact, keyValue) => {
    const pending = { eventTypeKey: 'orderCancelled' as const, params: { externalOrderId: '1' } };
    expect(withContact(pending, contact)?.keyValue).toBe(keyValue);
  });
});

describe('localDate', () => {
  it('writes YYYY-MM-ddTHH:mm:ss in the shopper’s time zone', () => {
    expect(localDate(NOW)).toBe('2020-05-14T10:11:00');
    process.env.TZ = 'Europe/Moscow';
    expect(localDate(NOW)).toBe('2020-05-14T13:11:00');
    process.env.TZ = 'UTC';
  });
});
