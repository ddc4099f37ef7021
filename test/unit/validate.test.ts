import { describe, expect, it } from 'vitest';
import { toContact, toEvent } from '../../src/call/validate';

// SPEC §3, rule by rule. Product fields follow seed 000's field table; numbers may arrive as numeric strings.
describe('toEvent accepts', () => {
  it.each([
    [
      'the seed’s detail call',
      'detail',
      { products: [{ id: 1003, name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5 }] },
      { type: 'detail', products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, brand: 'xiaomi', category: 'кабели, шнуры, переходники', variant: 'длина шнура: 5м', margin: 150.5 }] },
    ],
    ['numeric strings as numbers', 'addToCart', { products: [{ id: '7', price: '150.50', margin: '-3', quantity: '2' }] }, { type: 'addToCart', products: [{ id: '7', price: 150.5, margin: -3, quantity: 2 }] }],
    ['a purchase id as a number', 'purchase', { id: 10031004, products: [{ id: 1, quantity: 1 }] }, { type: 'purchase', id: '10031004', products: [{ id: '1', quantity: 1 }] }],
    ['a full refund without products', 'refund', { id: 'R-1' }, { type: 'refund', id: 'R-1', products: [] }],
    ['a partial refund', 'refund', { id: 'R-1', products: [{ id: 3, quantity: 1 }] }, { type: 'refund', id: 'R-1', products: [{ id: '3', quantity: 1 }] }],
    [
      'eSputnik’s extra fields',
      'detail',
      { products: [{ id: 'A', url: 'https://s.ru/a', imageUrl: 'https://s.ru/a.jpg', discount: '10', isInStock: 1 }] },
      { type: 'detail', products: [{ id: 'A', url: 'https://s.ru/a', imageUrl: 'https://s.ru/a.jpg', discount: 10, isInStock: true }] },
    ],
    ['unknown fields dropped, null fields skipped', 'checkout', { products: [{ id: 1, color: 'red', name: null }], coupon: 'X' }, { type: 'checkout', products: [{ id: '1' }] }],
    ['a quantity of zero', 'removeFromCart', { products: [{ id: 1, quantity: 0 }] }, { type: 'removeFromCart', products: [{ id: '1', quantity: 0 }] }],
    ['a currency', 'detail', { products: [{ id: 1 }], currency: 'USD' }, { type: 'detail', products: [{ id: '1' }], currency: 'USD' }],
    // Seed 000 l.39-40 asks nothing of a product but its id: what eSputnik needs more is eSputnik's to check.
    ['a purchase without prices or names', 'purchase', { id: 'P', products: [{ id: 1, quantity: 2 }] }, { type: 'purchase', id: 'P', products: [{ id: '1', quantity: 2 }] }],
  ])('%s', (_, method, params, expected) => {
    expect(toEvent(method, params)).toEqual(expected);
  });

  it('never copies a __proto__ key onto the product', () => {
    const product = JSON.parse('{"id": 1, "__proto__": {"polluted": true}}');
    const event = toEvent('detail', { products: [product] });
    expect(Object.getPrototypeOf(event.products[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('toEvent refuses', () => {
  const cyclic: Record<string, unknown> = { id: 1 };
  cyclic.self = cyclic;
  it.each([
    ['an unknown method', 'view', { products: [{ id: 1 }] }, 'the method must be detail, addToCart, removeFromCart, checkout, purchase, refund, got "view"'],
    ['a symbol as method', Symbol('x'), {}, 'the method must be detail, addToCart, removeFromCart, checkout, purchase, refund, got Symbol(x)'],
    ['params that are not an object', 'detail', null, 'params must be an object, got null'],
    ['params that are an array', 'detail', [], 'params must be an object, got an array'],
    ['no products', 'detail', {}, 'products must not be empty'],
    ['empty products', 'purchase', { id: 1, products: [] }, 'products must not be empty'],
    ['products that are not an array', 'detail', { products: { id: 1 } }, 'products must be an array, got an object'],
    ['a product that is not an object', 'detail', { products: [42] }, 'products[0] must be an object, got 42'],
    ['a product without id', 'detail', { products: [{ name: 'x' }] }, 'products[0].id is required'],
    ['a blank id', 'detail', { products: [{ id: '  ' }] }, 'products[0].id is required'],
    ['a purchase without id', 'purchase', { products: [{ id: 1 }] }, 'id is required'],
    ['a refund without id', 'refund', {}, 'id is required'],
    ['a refund line without quantity', 'refund', { id: 1, products: [{ id: 1 }] }, 'products[0].quantity is required in a refund'],
    ['NaN', 'detail', { products: [{ id: 1, price: NaN }] }, 'products[0].price must be a number >= 0, got NaN'],
    ['Infinity', 'detail', { products: [{ id: 1, margin: Infinity }] }, 'products[0].margin must be a number, got Infinity'],
    ['a negative price', 'detail', { products: [{ id: 1, price: -1 }] }, 'products[0].price must be a number >= 0, got -1'],
    ['a negative quantity', 'addToCart', { products: [{ id: 1, quantity: -1 }] }, 'products[0].quantity must be a whole number >= 0, got -1'],
    ['a fractional quantity', 'addToCart', { products: [{ id: 1, quantity: '1.5' }] }, 'products[0].quantity must be a whole number >= 0, got "1.5"'],
    ['a comma decimal', 'detail', { products: [{ id: 1, price: '150,50' }] }, 'products[0].price must be a number >= 0, got "150,50"'],
    ['a function as name', 'detail', { products: [{ id: 1, name: () => 1 }] }, 'products[0].name must be a string, got () => 1'],
    ['an object as id', 'detail', { products: [{ id: {} }] }, 'products[0].id must be a string, got an object'],
    ['a currency that is not ISO 4217', 'detail', { products: [{ id: 1 }], currency: 'usd' }, 'currency must be an ISO 4217 code, got "usd"'],
    ['a bad stock flag', 'detail', { products: [{ id: 1, isInStock: 'yes' }] }, 'products[0].isInStock must be true or false, got "yes"'],
    ['a 100 KB name', 'detail', { products: [{ id: 1, name: 'x'.repeat(100000) }] }, 'the event is 101075 bytes, over the 64 KB limit'],
  ])('%s', (_, method, params, reason) => {
    expect(() => toEvent(method, params)).toThrow(reason);
  });

  it('5000 products as too large, not by crashing', () => {
    const products = Array.from({ length: 5000 }, (_, i) => ({ id: i, name: 'Товар ' + i, price: 100, quantity: 1 }));
    expect(() => toEvent('purchase', { id: 1, products })).toThrow(/over the 64 KB limit/);
  });

  it('a cyclic product only through the fields it reads', () => {
    expect(toEvent('detail', { products: [cyclic] })).toEqual({ type: 'detail', products: [{ id: '1' }] });
  });
});

const IDENTITY = 'eyJzdWIiOiJlbWFpbDphQGIucnUiLCJleHAiOjE4OTM0NTYwMDB9.' + 'A'.repeat(43);

describe('toContact', () => {
  it.each([
    [{ email: ' a@b.ru ', phone: 79001234567, externalCustomerId: 42, name: 'Анна' }, { email: 'a@b.ru', phone: '79001234567', externalCustomerId: '42', name: 'Анна' }],
    // reference/esputnik.md §3: phones "in international format", digits only; eSputnik compares them exactly.
    [{ phone: '+7 (900) 123-45-67', extra: 1 }, { phone: '79001234567' }],
    // SPEC §6: the signed identity's sub is the trimmed, lower-cased email.
    [{ email: '  Anna.Petrova@Example.RU ' }, { email: 'anna.petrova@example.ru' }],
    [{ email: 'a@b.ru', identity: IDENTITY }, { email: 'a@b.ru', identity: IDENTITY }],
    // A phone without a digit is no phone: the contact's other fields still count.
    [{ email: 'a@b.ru', phone: '—' }, { email: 'a@b.ru', phone: '' }],
  ])('keeps %j as %j', (input, expected) => {
    expect(toContact(input)).toEqual(expected);
  });

  it.each([
    [undefined, 'contact must be an object, got undefined'],
    [{}, 'the contact needs one of email, phone, externalCustomerId, name, identity'],
    [{ phone: 'n/a' }, 'the contact needs one of email, phone, externalCustomerId, name, identity'],
    [{ email: 'not-an-email' }, 'contact.email must be an address, got "not-an-email"'],
    [{ name: ['x'] }, 'name must be a string, got an array'],
    // base64url(JSON) "." base64url(HMAC-SHA256): a sane length and charset, the relay checks the rest.
    [{ email: 'a@b.ru', identity: 'not signed' }, 'contact.identity must be a signed identity, got "not signed"'],
    [{ email: 'a@b.ru', identity: 'a.b' }, 'contact.identity must be a signed identity, got "a.b"'],
    [{ email: 'a@b.ru', identity: 'x'.repeat(1000) + '.' + 'A'.repeat(43) }, 'contact.identity must be a signed identity, got "' + 'x'.repeat(40) + '"'],
    [{ email: 'a@b.ru', identity: 42 }, 'contact.identity must be a signed identity, got 42'],
  ])('refuses %j', (input, reason) => {
    expect(() => toContact(input)).toThrow(reason);
  });
});
