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
    const area: Record<string, string> = { 'ecomtag:ct:o:1': '"kept"', other: '1' };
    let full = false;
    // A storage area as a full localStorage behaves: reads work, writes throw.
    const localStorage = new Proxy(area, {
      set: (target, key: string, value) => {
        if (full) throw new DOMException('full', 'QuotaExceededError');
        target[key] = value;
        return true;
      },
    });
    const store = createStore('ct', { localStorage } as unknown as Window);
    store.set('o:3', 'stored');
    full = true;
    store.set('o:2', 'in memory');
    expect(store.keys('o:').sort()).toEqual(['o:1', 'o:2', 'o:3']);
    expect([store.get('o:1'), store.get('o:2'), store.get('o:3')]).toEqual(['kept', 'in memory', 'stored']);
    expect(Object.keys(area)).toEqual(['ecomtag:ct:o:1', 'other', 'ecomtag:ct:o:3']);
    store.remove('o:1');
    expect(store.keys('o:').sort()).toEqual(['o:2', 'o:3']);
  });

  it('never reaches through a Storage.prototype the page patched', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new Error('patched by the page');
    });
    const store = createStore('ct', window);
    store.set('o:1', 1);
    expect(localStorage.getItem('ecomtag:ct:o:1')).toBe('1');
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
