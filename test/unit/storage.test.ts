import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/deliver/storage';

// One namespace of localStorage, and memory where storage throws.
beforeEach(() => localStorage.clear());
afterEach(() => vi.restoreAllMocks());

describe('createStore', () => {
  it('keeps JSON records under ecomtag:<name>: and lists keys by prefix', () => {
    const store = createStore('ct', window);
    store.set('o:1', { a: 1 });
    store.set('o:2', [2]);
    store.set('b:x', 3);
    localStorage.setItem('other', 'untouched');
    expect(localStorage.getItem('ecomtag:ct:o:1')).toBe('{"a":1}');
    expect(store.keys('o:').sort()).toEqual(['o:1', 'o:2']);
    expect(store.get('o:2')).toEqual([2]);
    store.remove('o:1');
    expect(store.get('o:1')).toBeUndefined();
  });

  it('reads a record someone else broke as missing', () => {
    localStorage.setItem('ecomtag:ct:o:1', '{not json');
    expect(createStore('ct', window).get('o:1')).toBeUndefined();
  });

  it('goes on in memory, with what it could still read, once a write throws (quota)', () => {
    const store = createStore('ct', window);
    store.set('o:1', 'kept');
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    store.set('o:2', 'in memory');
    expect(store.keys('o:').sort()).toEqual(['o:1', 'o:2']);
    expect([store.get('o:1'), store.get('o:2')]).toEqual(['kept', 'in memory']);
    store.remove('o:1');
    expect(store.keys('o:')).toEqual(['o:2']);
  });

  it('works in memory where even reading localStorage throws', () => {
    const win = Object.defineProperty({}, 'localStorage', {
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    }) as Window;
    const store = createStore('ct', win);
    store.set('o:1', 1);
    expect([store.keys('o:'), store.get('o:1')]).toEqual([['o:1'], 1]);
  });
});
