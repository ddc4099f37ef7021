import { beforeEach, describe, expect, it } from 'vitest';
import type { Transaction } from '../../src/call/event';
import { toEvent } from '../../src/call/validate';
import { createLedger } from '../../src/deliver/once';
import { createStore } from '../../src/deliver/storage';

// SPEC §3: a purchase goes once per (account, transaction id); a refund is a repeat only when the same account, id
// and lines come again (seed 000 l.276: "a partial return or a refusal"; l.312-326: partial refunds name lines).
const call = (method: string, params: Record<string, unknown>) => toEvent(method, params) as Transaction;

beforeEach(() => localStorage.clear());

describe('createLedger', () => {
  it.each<[string, Array<[string, string, Record<string, unknown>]>, boolean[]]>([
    ['a purchase once per account and id, whatever its lines', [['A', 'purchase', { id: 'T', products: [{ id: 1 }] }], ['A', 'purchase', { id: 'T', products: [{ id: 2 }] }], ['B', 'purchase', { id: 'T', products: [{ id: 1 }] }]], [true, false, true]],
    ['a full refund once', [['A', 'refund', { id: 'T' }], ['A', 'refund', { id: 'T', products: [] }]], [true, false]],
    ['another set of lines is another refund', [['A', 'refund', { id: 'T', products: [{ id: 1, quantity: 1 }] }], ['A', 'refund', { id: 'T', products: [{ id: 1, quantity: 2 }] }], ['A', 'refund', { id: 'T', products: [{ id: 2, quantity: 1 }] }]], [true, true, true]],
    ['the full refund after partial ones', [['A', 'refund', { id: 'T', products: [{ id: 1, quantity: 1 }] }], ['A', 'refund', { id: 'T' }]], [true, true]],
    ['the same lines in any order are a repeat', [['A', 'refund', { id: 'T', products: [{ id: 1, quantity: 1 }, { id: 2, quantity: 3 }] }], ['A', 'refund', { id: 'T', products: [{ id: 2, quantity: 3 }, { id: 1, quantity: 1 }] }]], [true, false]],
    ['ids that only look alike are not the same lines', [['A', 'refund', { id: 'T', products: [{ id: 'a 1', quantity: 1 }] }], ['A', 'refund', { id: 'T', products: [{ id: 'a', quantity: 1 }, { id: '1', quantity: 1 }] }]], [true, true]],
    ['a refund is not its purchase', [['A', 'purchase', { id: 'T', products: [{ id: 1 }] }], ['A', 'refund', { id: 'T' }]], [true, true]],
  ])('%s', (_, calls, firsts) => {
    const firstTime = createLedger(createStore('ledger', window));
    expect(calls.map(([account, method, params]) => firstTime(account, call(method, params)))).toEqual(firsts);
  });

  it('keeps a purchase’s key as before, so a thank-you page sent by an earlier version is not sent again', () => {
    localStorage['ecomtag:ledger:sent'] = JSON.stringify(['A purchase T']);
    expect(createLedger(createStore('ledger', window))('A', call('purchase', { id: 'T', products: [{ id: 1 }] }))).toBe(false);
  });
});
