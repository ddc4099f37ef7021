import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/tag';

// What a call costs in storage (issue 17), counted in operations on localStorage, never in time: none in the
// caller's task, and as many for the work behind it and its delivery whatever waits in the outbox. Calltouch's
// session is unknown here, so its letters wait; eSputnik's tracker takes its letters at once.
const CALLTOUCH = 'https://collector.test/calltouch/ecommerce.php';
const TRACKER = 'https://collector.test/esputnik/tracker';
const CONFIG = {
  // The second account's letters are the ones that wait: Calltouch's, without eSputnik's.
  accounts: [{ modId: 'abcd1234', calltouch: { siteId: 12345 }, esputnik: { siteId: '8A412DC' } }, { modId: 'wait0000', calltouch: {} }],
  calltouch: { endpoint: CALLTOUCH, global: 'ctw', sessionWaitMs: 3600000 },
  esputnik: { endpoint: TRACKER },
};

/** Every operation on localStorage: reads, writes, deletes, lookups and listings, by key. */
let operations: string[];
let names = 0;

const counting = (storage: Storage) =>
  new Proxy(storage, {
    get: (target, key) => (typeof key == 'string' && operations.push(`get ${key}`), Reflect.get(target, key)),
    set: (target, key, value) => (operations.push(`set ${String(key)}`), Reflect.set(target, key, value)),
    deleteProperty: (target, key) => (operations.push(`delete ${String(key)}`), Reflect.deleteProperty(target, key)),
    has: (target, key) => (operations.push(`has ${String(key)}`), Reflect.has(target, key)),
    ownKeys: (target) => (operations.push('keys'), Reflect.ownKeys(target)),
  });

/** A page of the tag whose outbox holds `waiting` Calltouch letters, after a call that set everything up. */
const pageWith = async (waiting: number) => {
  const core = createCore(window, CONFIG, `cost${names++}`);
  const ct = (...args: unknown[]) => core.handle(args);
  ct('send_ecommerce', 'addToCart', { products: [{ id: 'first', price: 10, quantity: 1 }] });
  for (let i = 0; i < waiting; i++) ct('wait0000', 'send_ecommerce', 'addToCart', { products: [{ id: `w${i}`, price: 10, quantity: 1 }] });
  await core.flush();
  return { ct, flush: core.flush };
};

/** The operations of one addToCart: in the caller's task, and in all that follows until it is delivered. */
const costOfACall = async ({ ct, flush }: Awaited<ReturnType<typeof pageWith>>) => {
  const storage = localStorage;
  vi.spyOn(window, 'localStorage', 'get').mockReturnValue(counting(storage));
  operations = [];
  ct('send_ecommerce', 'addToCart', { products: [{ id: 'measured', price: 150.5, quantity: 1 }] });
  const inTheCall = operations;
  operations = [];
  await flush();
  const after = operations.map((operation) => operation.replace(/:o:\d+[a-z0-9]+$/, ':o:<letter>'));
  vi.mocked(Object.getOwnPropertyDescriptor(window, 'localStorage')!.get!).mockRestore();
  return { inTheCall, after };
};

beforeEach(() => {
  localStorage.clear();
  vi.spyOn(window, 'fetch').mockImplementation(async () => new Response('{}'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the cost of a call', () => {
  it('is no storage operation in the caller’s task, and the same after it with 90 letters waiting as with none', async () => {
    const empty = await pageWith(0);
    const full = await pageWith(90);
    expect(Object.keys(localStorage).filter((key) => key.startsWith(`ecomtag:cost${names - 1}:o:`))).toHaveLength(91);

    const withNone = await costOfACall(empty);
    const with91 = await costOfACall(full);
    expect(withNone.inTheCall).toEqual([]);
    expect(with91.inTheCall).toEqual([]);
    // Calltouch's letter, the cart and eSputnik's letter are written once each at the end of the work, and
    // eSputnik's is deleted once its collector took it; nothing is read.
    expect(withNone.after.map((operation) => operation.replace(/cost\d+/, 'cost'))).toEqual([
      'set ecomtag:cost:o:<letter>',
      'set ecomtag:cost:cart:abcd1234',
      'set ecomtag:cost:o:<letter>',
      'delete ecomtag:cost:o:<letter>',
    ]);
    expect(with91.after.map((operation) => operation.replace(/cost\d+/, 'cost'))).toEqual(withNone.after.map((operation) => operation.replace(/cost\d+/, 'cost')));
  });
});
