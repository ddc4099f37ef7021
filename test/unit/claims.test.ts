import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClaims, type Owned } from '../../src/deliver/claims';
import { createStore } from '../../src/deliver/storage';

// Which page acts on a shared record: its owner; a gone or silent owner's records are adopted, then settle.
const store = () => createStore('cl', window);
const record = (from: string): Owned => ({ from });
const stored = (key: string) => store().get<Owned>(key);

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => vi.useRealTimers());

describe('createClaims', () => {
  it('lets a page act on what it stored, and says it lives while it does', () => {
    const a = createClaims(store(), 'A');
    expect(a.mine('o:1', record('A'), true, Date.now())).toBe(true);
    expect(store().get('h:A')).toBe(Date.now());
  });

  it('never takes a record from a page that lives', () => {
    const a = createClaims(store(), 'A');
    a.beat();
    const b = createClaims(store(), 'B');
    store().set('o:1', record('A'));
    expect(b.mine('o:1', record('A'), true, Date.now())).toBe(false);
    expect(stored('o:1')).toEqual({ from: 'A' });
    expect(b.delay(record('A'))).toBe(120000);
  });

  it('adopts the records of a page that left, and acts on them only after they settle', () => {
    const a = createClaims(store(), 'A');
    a.beat();
    a.leave(true);
    const b = createClaims(store(), 'B');
    store().set('o:1', record('A'));
    expect(b.mine('o:1', stored('o:1')!, true, Date.now())).toBe(false);
    expect(stored('o:1')).toEqual({ from: 'B', adopted: Date.now() });
    expect(b.delay(stored('o:1')!)).toBe(1000);
    vi.advanceTimersByTime(1000);
    expect(b.mine('o:1', stored('o:1')!, true, Date.now())).toBe(true);
  });

  it('adopts from a page silent for two minutes', () => {
    createClaims(store(), 'A').beat();
    vi.advanceTimersByTime(120001);
    const b = createClaims(store(), 'B');
    store().set('o:1', record('A'));
    b.mine('o:1', stored('o:1')!, true, Date.now());
    expect(stored('o:1')!.from).toBe('B');
    expect(store().get('h:A')).toBeUndefined();
  });

  it('of two pages adopting at once, only the owner written last acts', () => {
    const b = createClaims(store(), 'B');
    const c = createClaims(store(), 'C');
    store().set('o:1', record('gone'));
    const seenByB = stored('o:1')!;
    const seenByC = stored('o:1')!;
    b.mine('o:1', seenByB, true, Date.now());
    c.mine('o:1', seenByC, true, Date.now());
    vi.advanceTimersByTime(1000);
    expect([b.mine('o:1', stored('o:1')!, true, Date.now()), c.mine('o:1', stored('o:1')!, true, Date.now())]).toEqual([false, true]);
  });

  it('adopts nothing while unloading', () => {
    const b = createClaims(store(), 'B');
    store().set('o:1', record('gone'));
    expect(b.mine('o:1', stored('o:1')!, false, Date.now())).toBe(false);
    expect(stored('o:1')).toEqual({ from: 'gone' });
  });
});
