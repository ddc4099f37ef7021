import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../src/call/event';
import { toEvent } from '../../src/call/validate';
import { nextCart, type Cart } from '../../src/esputnik/cart';
import { pendingEvents, withContact } from '../../src/esputnik/event';
import { storeTime } from '../../src/time';
import { validateEsputnikEvent } from '../support/esputnik-schema.mjs';
import { forwarded } from './relay-view';

// Generate event v2 (seeds 001, 002), as the tag posts it to the relay. The seeds' own examples lead each kind:
// their values, every param value a JSON string as the field tables ask (seed 001's example shows `items` as a
// raw array), the contact's one locator first (the one keyValue is), and items whose cost adds up to totalCost
// (seed 001's example has cost 990 against totalCost 258.0). Each body is also judged by eSputnik's stand-in as
// the relay forwards it (relay-view.ts).

/** 2020-05-14 07:11 UTC: 10:11 in Moscow, seed 001's example date (l.54 "2020-05-14T10:11:00"). */
const NOW = Date.UTC(2020, 4, 14, 7, 11, 0);
const MOSCOW = { currency: 'RUB', timeZone: 'Europe/Moscow' };
const cart: Cart = { id: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60', lines: [] };
let shopperZone: string | undefined;

beforeAll(() => {
  shopperZone = process.env.TZ;
  // The shopper's clock is set to somewhere else than the store: nothing may depend on it.
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  process.env.TZ = shopperZone;
});

/** The bodies one call makes, as JSON, once `contact` is known. */
const bodies = (method: string, params: Record<string, unknown>, contact: Contact, settings = MOSCOW, before = cart) => {
  const event = toEvent(method, params);
  const after = method == 'detail' || method == 'refund' ? before : nextCart(before, event, () => 'new-cart', false);
  return pendingEvents(event, after, settings, NOW).map((pending) => JSON.stringify(withContact(pending, contact)));
};

describe('pendingEvents + withContact', () => {
  it.each<[string, string, Record<string, unknown>, Contact, string, Cart, string[]]>([
    [
      'seed 002’s productViewed (l.195-216): the email is keyValue and the one contact param',
      'detail',
      { products: [{ id: 'WS01-L-Green', price: 45.5, isInStock: 1 }] },
      { email: 'example@email.com', phone: '411786452' },
      'USD',
      cart,
      [
        '{"eventTypeKey":"productViewed","keyValue":"example@email.com","params":[{"name":"email","value":"example@email.com"},{"name":"product","value":"{\\"productId\\":\\"WS01-L-Green\\",\\"price\\":45.5,\\"isInStock\\":1}"},{"name":"currencyCode","value":"USD"}]}',
      ],
    ],
    [
      'seed 002’s cartUpdated (l.283-308)',
      'addToCart',
      { products: [{ id: 'WS01-L-Green', quantity: 1, price: 45.5 }] },
      { email: 'example@email.com', phone: '73456712' },
      'USD',
      cart,
      [
        '{"eventTypeKey":"cartUpdated","keyValue":"example@email.com","params":[{"name":"email","value":"example@email.com"},{"name":"products","value":"[{\\"productId\\":\\"WS01-L-Green\\",\\"quantity\\":1,\\"price\\":45.5}]"},{"name":"currencyCode","value":"USD"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"}]}',
      ],
    ],
    [
      'cartUpdated carries the whole cart with names, categories and per-unit discounts as strings (l.262-279)',
      'addToCart',
      { products: [{ id: 2, price: '5.00', name: 'Кабель', category: 'кабели', discount: 0.5 }] },
      { externalCustomerId: '42', email: 'a@b.ru' },
      'RUB',
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 2 }] },
      [
        '{"eventTypeKey":"cartUpdated","keyValue":"42","params":[{"name":"externalCustomerId","value":"42"},{"name":"products","value":"[{\\"productId\\":\\"1\\",\\"quantity\\":2,\\"price\\":10},{\\"productId\\":\\"2\\",\\"quantity\\":1,\\"price\\":5,\\"name\\":\\"Кабель\\",\\"category\\":\\"кабели\\",\\"discount\\":\\"0.5\\"}]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"r1"}]}',
      ],
    ],
    [
      'an emptied cart is an empty list (l.252)',
      'removeFromCart',
      { products: [{ id: 1 }] },
      { phone: '79001234567' },
      'RUB',
      { id: 'r1', lines: [{ id: '1', price: 10, quantity: 2 }] },
      ['{"eventTypeKey":"cartUpdated","keyValue":"79001234567","params":[{"name":"phone","value":"79001234567"},{"name":"products","value":"[]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"r1"}]}'],
    ],
    [
      'seed 001’s orderCreated (l.54) under the bought cart’s recycleStateId (seed 002 l.280-281), then that cart emptied',
      'purchase',
      { id: '12345679', products: [{ id: '200600', name: 'Super Device', category: 'devices', quantity: 1, price: 258, url: 'http://example.com/item/200600', imageUrl: 'http://example.com/item/200600/image.png' }] },
      { externalCustomerId: 'AV13760', phone: '380501234567' },
      'UAH',
      { id: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60', lines: [{ id: '200600', price: 258, quantity: 1 }] },
      [
        '{"eventTypeKey":"orderCreated","keyValue":"AV13760","params":[{"name":"externalCustomerId","value":"AV13760"},{"name":"externalOrderId","value":"12345679"},{"name":"totalCost","value":"258"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2020-05-14T10:11:00"},{"name":"currency","value":"UAH"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"},{"name":"items","value":"[{\\"externalItemId\\":\\"200600\\",\\"name\\":\\"Super Device\\",\\"quantity\\":1,\\"cost\\":258,\\"url\\":\\"http://example.com/item/200600\\",\\"imageUrl\\":\\"http://example.com/item/200600/image.png\\"}]"}]}',
        '{"eventTypeKey":"cartUpdated","keyValue":"AV13760","params":[{"name":"externalCustomerId","value":"AV13760"},{"name":"products","value":"[]"},{"name":"currencyCode","value":"UAH"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"}]}',
      ],
    ],
    [
      'cost is price − the unit’s discount (seed 002 l.274-275, seed 001 l.52), each line to the cent, totalCost their exact sum',
      'purchase',
      {
        id: 'D-3',
        products: [
          { id: 1, name: 'a', url: 'u', imageUrl: 'i', price: 33.333, discount: 3.335, quantity: 3 },
          { id: 2, name: 'b', url: 'u', imageUrl: 'i', price: 0.1, quantity: 3 },
          { id: 3, name: 'c', url: 'u', imageUrl: 'i', price: '19.999', discount: '0.004', quantity: 2 },
          { id: 4, name: 'd', url: 'u', imageUrl: 'i', price: 5, discount: 7 },
        ],
      },
      { email: 'a@b.ru' },
      'RUB',
      cart,
      [
        '{"eventTypeKey":"orderCreated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"externalOrderId","value":"D-3"},{"name":"totalCost","value":"130.3"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2020-05-14T10:11:00"},{"name":"currency","value":"RUB"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"},{"name":"items","value":"[{\\"externalItemId\\":\\"1\\",\\"name\\":\\"a\\",\\"quantity\\":3,\\"cost\\":30,\\"url\\":\\"u\\",\\"imageUrl\\":\\"i\\"},{\\"externalItemId\\":\\"2\\",\\"name\\":\\"b\\",\\"quantity\\":3,\\"cost\\":0.1,\\"url\\":\\"u\\",\\"imageUrl\\":\\"i\\"},{\\"externalItemId\\":\\"3\\",\\"name\\":\\"c\\",\\"quantity\\":2,\\"cost\\":20,\\"url\\":\\"u\\",\\"imageUrl\\":\\"i\\"},{\\"externalItemId\\":\\"4\\",\\"name\\":\\"d\\",\\"quantity\\":1,\\"cost\\":0,\\"url\\":\\"u\\",\\"imageUrl\\":\\"i\\"}]"}]}',
        '{"eventTypeKey":"cartUpdated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"products","value":"[]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"}]}',
      ],
    ],
    [
      'an order whose lines lack seed 001’s descriptive item fields (l.50) still goes, with every order param (l.49); the relay leaves its items out',
      'purchase',
      { id: 'A-1', products: [{ id: 1, price: 0.1, quantity: 3 }, { id: 2, price: '0.20', name: 'b' }, { id: 3, price: 1, quantity: 0 }] },
      { email: 'a@b.ru' },
      'RUB',
      cart,
      [
        '{"eventTypeKey":"orderCreated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"externalOrderId","value":"A-1"},{"name":"totalCost","value":"0.5"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2020-05-14T10:11:00"},{"name":"currency","value":"RUB"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"},{"name":"items","value":"[{\\"externalItemId\\":\\"1\\",\\"quantity\\":3,\\"cost\\":0.1},{\\"externalItemId\\":\\"2\\",\\"name\\":\\"b\\",\\"quantity\\":1,\\"cost\\":0.2}]"}]}',
        '{"eventTypeKey":"cartUpdated","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"products","value":"[]"},{"name":"currencyCode","value":"RUB"},{"name":"recycleStateId","value":"d59c6e6d-4123-4b0e-8c32-15f0656a8c60"}]}',
      ],
    ],
    [
      'a full refund cancels the order (seed 001 l.72-74), with the signed identity beside it (SPEC §6)',
      'refund',
      { id: '12345679' },
      { email: 'a@b.ru', identity: 'eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjF9.c2lnbmF0dXJl' },
      'RUB',
      cart,
      ['{"eventTypeKey":"orderCancelled","keyValue":"a@b.ru","params":[{"name":"email","value":"a@b.ru"},{"name":"externalOrderId","value":"12345679"}],"identity":"eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjF9.c2lnbmF0dXJl"}'],
    ],
    ['a partial refund has no event (seed 001: orderCancelled cancels the whole order)', 'refund', { id: '12345679', products: [{ id: 1, quantity: 1 }] }, { email: 'a@b.ru' }, 'RUB', cart, []],
  ])('%s', (_, method, params, contact, currency, before, wire) => {
    const sent = bodies(method, params, contact, { currency, timeZone: 'Europe/Moscow' }, before);
    expect(sent).toEqual(wire);
    for (const body of sent) expect(validateEsputnikEvent(forwarded(body))).toEqual([]);
  });

  it('a purchase with nothing bought is no order, and nothing else', () => {
    expect(bodies('purchase', { id: 'Z', products: [{ id: 1, price: 1, quantity: 0 }] }, { email: 'a@b.ru' })).toEqual([]);
  });

  it('the next change after a purchase starts a new recycleStateId', () => {
    const bought = nextCart({ id: 'r1', lines: [{ id: '1', price: 1, quantity: 1 }] }, toEvent('purchase', { id: 'o', products: [{ id: 1, price: 1 }] }), () => 'r2', false);
    const next = toEvent('addToCart', { products: [{ id: 2, price: 3 }] });
    expect(pendingEvents(next, nextCart(bought, next, () => 'r2', false), MOSCOW, NOW)[0].params.recycleStateId).toBe('r2');
  });

  // Seed 001 l.44-47: an order names its contact by externalCustomerId, email or phone; reference/esputnik.md §2:
  // keyValue falls back on them in that order. The relay signs the same precedence into `sub` (SPEC §6), and
  // refuses any locator the identity does not sign: so exactly one goes.
  it.each<[Contact, string | undefined, string[]]>([
    [{}, undefined, []],
    [{ name: 'Анна', identity: 'a.b' }, undefined, []],
    [{ phone: '79001234567' }, '79001234567', ['phone']],
    [{ phone: '79001234567', email: 'a@b.ru' }, 'a@b.ru', ['email']],
    [{ phone: '79001234567', email: 'a@b.ru', externalCustomerId: '42', name: 'Анна' }, '42', ['externalCustomerId']],
  ])('keyValue of %j is %s, and the one contact param: externalCustomerId, else email, else phone', (contact, keyValue, locators) => {
    const body = withContact({ eventTypeKey: 'orderCancelled', params: { externalOrderId: '1' } }, contact);
    expect(body?.keyValue).toBe(keyValue);
    expect(body ? body.params.map((param) => param.name) : []).toEqual(body ? [...locators, 'externalOrderId'] : []);
  });
});

describe('storeTime', () => {
  it.each([
    ['Europe/Moscow', '2020-05-14T10:11:00'],
    ['Asia/Yekaterinburg', '2020-05-14T12:11:00'],
    ['UTC', '2020-05-14T07:11:00'],
    ['America/New_York', '2020-05-14T03:11:00'],
  ])('writes YYYY-MM-ddTHH:mm:ss (seed 001 l.60) in %s, whatever the shopper’s zone', (zone, date) => {
    for (const shopper of ['America/Los_Angeles', 'Asia/Tokyo', 'UTC', 'Pacific/Kiritimati']) {
      process.env.TZ = shopper;
      expect(storeTime(NOW, zone)).toBe(date);
    }
    process.env.TZ = 'America/Los_Angeles';
  });

  it('writes midnight as 00, not 24, and the day it is in the store', () => {
    expect(storeTime(Date.UTC(2020, 11, 31, 21, 0, 0), 'Europe/Moscow')).toBe('2021-01-01T00:00:00');
  });
});
