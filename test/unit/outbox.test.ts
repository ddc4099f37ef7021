import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createOutbox } from '../../src/deliver/outbox';
import { createStore } from '../../src/deliver/storage';
import type { Outcome, Transport } from '../../src/deliver/transport';

// The outbox against a scripted transport: what is posted, beaconed and kept, and by which "tab".
const URL_A = 'https://a.test/collect';

interface Attempt {
  tab: string;
  via: 'post' | 'beacon';
  body: string;
}

let attempts: Attempt[];
let outcomes: Outcome[];
let hold: Promise<void> | undefined;

const tab = (pageId: string, name = 'ob') => {
  const transport: Transport = {
    post: async (_, body) => {
      attempts.push({ tab: pageId, via: 'post', body });
      await hold;
      return outcomes.shift() || 'sent';
    },
    beacon: (_, body) => (attempts.push({ tab: pageId, via: 'beacon', body }), true),
  };
  const store = createStore(name, window);
  return { store, outbox: createOutbox(window, store, transport, 'ecomtag:' + name, pageId, () => undefined) };
};

const stored = (name = 'ob') => Object.keys(localStorage).filter((key) => key.startsWith(`ecomtag:${name}:o:`)).length;

beforeEach(() => {
  attempts = [];
  outcomes = [];
  hold = undefined;
  localStorage.clear();
});

afterEach(() => vi.useRealTimers());

describe('backoffDelay', () => {
  it.each([
    [0, 0, 500],
    [0, 1, 1000],
    [1, 0.5, 1500],
    [3, 1, 8000],
    [10, 1, 60000],
  ])('after %i tries with jitter %f waits %i ms', (tries, random, ms) => {
    expect(backoffDelay(tries, random)).toBe(ms);
  });
});

describe('outbox', () => {
  it('two tabs flushing one outbox send every letter once, in order', async () => {
    const a = tab('tabA');
    const b = tab('tabB');
    a.outbox.add(URL_A, '1', false);
    b.outbox.add(URL_A, '2', false);
    a.outbox.add(URL_A, '3', true);
    await Promise.all([a.outbox.flush(), b.outbox.flush(), a.outbox.flush(), b.outbox.flush()]);
    expect(attempts.map((x) => x.body)).toEqual(['1', '2', '3']);
    expect(stored()).toBe(0);
  });

  it('keeps a letter that failed, backs its collector off, and sends it on a later page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    outcomes = ['retry'];
    const first = tab('page1');
    first.outbox.add(URL_A, 'purchase', true);
    first.outbox.add(URL_A, 'detail', false);
    await first.outbox.flush();
    expect(attempts.map((x) => x.body)).toEqual(['purchase']);
    // The page goes while the collector is failing: nothing is beaconed into it.
    first.outbox.hide(true);
    expect(stored()).toBe(2);
    vi.advanceTimersByTime(1000);
    const second = tab('page2');
    await second.outbox.flush();
    expect(attempts.map((x) => `${x.tab}:${x.via}:${x.body}`)).toEqual(['page1:post:purchase', 'page2:post:purchase', 'page2:post:detail']);
    expect(stored()).toBe(0);
  });

  it('on unload counts a keepalive request in flight as sent and beacons the rest', async () => {
    let answer = () => undefined as void;
    hold = new Promise((resolve) => (answer = resolve));
    const page = tab('page');
    page.outbox.add(URL_A, 'in flight', true);
    page.outbox.add(URL_A, 'queued', false);
    await vi.waitFor(() => expect(attempts).toHaveLength(1));
    page.outbox.hide(true);
    answer();
    await page.outbox.flush();
    expect(attempts.map((x) => `${x.via}:${x.body}`)).toEqual(['post:in flight', 'beacon:queued']);
    expect(stored()).toBe(0);
  });

  it('never sends a collector’s next letter while another tab is sending the one before it', async () => {
    let answer = () => undefined as void;
    hold = new Promise((resolve) => (answer = resolve));
    const a = tab('tabA');
    const b = tab('tabB');
    a.outbox.add(URL_A, '1', false);
    await vi.waitFor(() => expect(attempts).toHaveLength(1));
    // Only A's first request hangs; it took the pending promise when it started.
    hold = undefined;
    b.outbox.add(URL_A, '2', false);
    b.outbox.add('https://b.test/other', 'other collector', false);
    await b.outbox.flush();
    expect(attempts.map((x) => `${x.tab}:${x.body}`)).toEqual(['tabA:1', 'tabB:other collector']);
    answer();
    await a.outbox.flush();
    expect(attempts.map((x) => `${x.tab}:${x.body}`)).toEqual(['tabA:1', 'tabB:other collector', 'tabA:2']);
  });

  it('leaves letters another tab has claimed when this one hides', async () => {
    hold = new Promise(() => undefined);
    const a = tab('tabA');
    a.outbox.add(URL_A, 'claimed by A', false);
    await vi.waitFor(() => expect(attempts).toHaveLength(1));
    tab('tabB').outbox.hide(true);
    expect(attempts.map((x) => x.tab)).toEqual(['tabA']);
    expect(stored()).toBe(1);
  });

  it('when full, evicts the oldest cart event and never a purchase or refund', () => {
    hold = new Promise(() => undefined);
    const { outbox, store } = tab('page');
    for (let i = 0; i < 60; i++) outbox.add(URL_A, `keep${i}`, true);
    for (let i = 0; i < 40; i++) outbox.add(URL_A, `cart${i}`, false);
    outbox.add(URL_A, 'cart40', false);
    outbox.add(URL_A, 'keep60', true);
    const bodies = store.keys('o:').map((key) => store.get<{ body: string }>(key)!.body);
    expect(bodies).toHaveLength(100);
    expect(bodies.filter((body) => body.startsWith('keep'))).toHaveLength(61);
    expect(bodies).not.toContain('cart0');
    expect(bodies).not.toContain('cart1');
  });
});
