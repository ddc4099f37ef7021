import { describe, expect, it } from 'vitest';
import { toEvent } from '../../src/call/validate';
import { nextCart, type Cart } from '../../src/esputnik/cart';

// The cart model of the eSputnik issue: what the cart holds after each call, as [id, quantity, price] lines.
type Call = [method: string, products: Array<Record<string, unknown>>];

/** `perState`: the tracker's GUID, new for every state of the cart; else the event format's recycleStateId. */
const run = (calls: Call[], start: Cart = { id: 'r1', lines: [] }, perState = false) => {
  let ids = 1;
  return calls.reduce((cart, [method, products]) => nextCart(cart, toEvent(method, { id: 'o1', products }), () => `r${++ids}`, perState), start);
};
const lines = (cart: Cart) => cart.lines.map((line) => [line.id, line.quantity, line.price]);

describe('nextCart', () => {
  it.each<[string, Call[], Array<[string, number, number | undefined]>]>([
    ['adding a new product adds a line, one unit by default', [['addToCart', [{ id: 1, price: 10 }]]], [['1', 1, 10]]],
    ['adding again sums the units', [['addToCart', [{ id: 1, price: 10, quantity: 2 }]], ['addToCart', [{ id: 1, price: 10, quantity: 3 }]]], [['1', 5, 10]]],
    ['the latest price wins', [['addToCart', [{ id: 1, price: 10 }]], ['addToCart', [{ id: 1, price: '12.50' }]]], [['1', 2, 12.5]]],
    ['lines keep the order they were added in', [['addToCart', [{ id: 2, price: 1 }, { id: 1, price: 2 }]], ['addToCart', [{ id: 2, price: 1 }]]], [['2', 2, 1], ['1', 1, 2]]],
    ['removing some units keeps the line and its price', [['addToCart', [{ id: 1, price: 10, quantity: 3 }]], ['removeFromCart', [{ id: 1, quantity: 1, price: 99 }]]], [['1', 2, 10]]],
    ['removing without a quantity removes the line', [['addToCart', [{ id: 1, price: 10, quantity: 3 }, { id: 2, price: 5 }]], ['removeFromCart', [{ id: 1 }]]], [['2', 1, 5]]],
    ['removing more units than there are removes the line, never below zero', [['addToCart', [{ id: 1, price: 10, quantity: 2 }]], ['removeFromCart', [{ id: 1, quantity: 5 }]]], []],
    ['removing what is not in the cart changes nothing', [['addToCart', [{ id: 1, price: 10 }]], ['removeFromCart', [{ id: 9, quantity: 1 }]]], [['1', 1, 10]]],
    ['adding zero units of a new product adds no line', [['addToCart', [{ id: 1, price: 10, quantity: 0 }]]], []],
    ['a checkout states the whole cart', [['addToCart', [{ id: 1, price: 10 }]], ['checkout', [{ id: 2, price: 5, quantity: 2 }, { id: 3, price: 1 }, { id: 4, price: 1, quantity: 0 }]]], [['2', 2, 5], ['3', 1, 1]]],
    ['a purchase empties the cart', [['addToCart', [{ id: 1, price: 10 }]], ['purchase', [{ id: 1, price: 10 }]]], []],
    ['and the next change starts from empty', [['addToCart', [{ id: 1, price: 10 }]], ['purchase', [{ id: 1, price: 10 }]], ['addToCart', [{ id: 2, price: 3 }]]], [['2', 1, 3]]],
  ])('%s', (_, calls, expected) => {
    expect(lines(run(calls))).toEqual(expected);
  });

  // seed 002 l.280-281: recycleStateId, "a unique id connecting the cart events and the purchase".
  it.each<[string, Call[], string[], boolean]>([
    ['recycleStateId is kept for the life of the cart', [['addToCart', [{ id: 1, price: 10 }]], ['removeFromCart', [{ id: 1 }]], ['checkout', [{ id: 2, price: 1 }]]], ['r1', 'r1', 'r1'], false],
    ['the purchase keeps the bought cart’s id, and the next change starts a new one', [['addToCart', [{ id: 1, price: 10 }]], ['purchase', [{ id: 1, price: 10 }]], ['addToCart', [{ id: 2, price: 3 }]], ['addToCart', [{ id: 3, price: 3 }]]], ['r1', 'r1', 'r2', 'r2'], false],
    ['two purchases with no change between have an id each', [['purchase', [{ id: 1, price: 10 }]], ['purchase', [{ id: 1, price: 10 }]]], ['r1', 'r2'], false],
    // reference/esputnik.md §1: "each cart state gets a new GUID"; the purchase "belongs to the last one".
    ['tracker: a new GUID for every state, and the purchase keeps the last', [['addToCart', [{ id: 1, price: 10 }]], ['addToCart', [{ id: 2, price: 1 }]], ['purchase', [{ id: 1, price: 10 }]], ['addToCart', [{ id: 2, price: 3 }]]], ['r2', 'r3', 'r3', 'r4'], true],
  ])('%s', (_, calls, ids, perState) => {
    // The id after each call, one id maker for the whole run (r2, r3, …).
    let made = 1;
    const after: string[] = [];
    calls.reduce((cart, [method, products]) => {
      const next = nextCart(cart, toEvent(method, { id: 'o1', products }), () => `r${++made}`, perState);
      after.push(next.id);
      return next;
    }, { id: perState ? '' : 'r1', lines: [] } as Cart);
    expect(after).toEqual(ids);
  });

  it('marks a bought cart, so that a purchase’s cart is empty and its id goes with the order', () => {
    expect(run([['addToCart', [{ id: 1, price: 10 }]], ['purchase', [{ id: 1, price: 10 }]]])).toEqual({ id: 'r1', lines: [], bought: 1 });
  });

  it('keeps the other fields of a line and takes the latest ones on adding', () => {
    const cart = run([['addToCart', [{ id: 1, price: 10, name: 'A', discount: 1 }]], ['addToCart', [{ id: 1, price: 11, category: 'c' }]]]);
    expect(cart.lines).toEqual([{ id: '1', price: 11, name: 'A', discount: 1, category: 'c', quantity: 2 }]);
  });

  it('never changes the cart it is given', () => {
    const start: Cart = { id: 'r1', lines: [{ id: '1', price: 10, quantity: 2 }] };
    const frozen = JSON.stringify(start);
    run([['addToCart', [{ id: 1, price: 12 }]], ['removeFromCart', [{ id: 1 }]], ['purchase', [{ id: 1, price: 1 }]]], start);
    expect(JSON.stringify(start)).toBe(frozen);
  });
});
