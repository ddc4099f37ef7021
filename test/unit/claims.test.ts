import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClaims, type MayTake } from '../../src/deliver/claims';

// Who may take a stored record, from a scripted Web Locks: which pages hold their page lock, who leads.
const fakeWindow = (held: string[], grantLeader: boolean) => {
  const requested: string[] = [];
  const locks = {
    request: (name: string, callback: () => Promise<void>) => {
      requested.push(name);
      if (!name.endsWith(':leader') || grantLeader) callback();
      return new Promise(() => undefined);
    },
    query: async () => ({ held: held.map((name) => ({ name })) }),
  };
  return { win: { navigator: { locks } } as unknown as Window, requested };
};

const rule = (claims: ReturnType<typeof createClaims>, unloading?: boolean) =>
  new Promise<MayTake>((resolve) => claims.take(resolve, unloading));

afterEach(() => vi.useRealTimers());

describe('createClaims', () => {
  it('holds a page lock and asks for the leader lock', () => {
    const { win, requested } = fakeWindow([], false);
    createClaims(win, 'ecomtag:ct', 'me');
    expect(requested).toEqual(['ecomtag:ct:page:me', 'ecomtag:ct:leader']);
  });

  it('lets the leader adopt a gone page’s records a second after it first saw it gone, never a live page’s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { win } = fakeWindow(['ecomtag:ct:page:me', 'ecomtag:ct:page:live'], true);
    const claims = createClaims(win, 'ecomtag:ct', 'me');
    const first = await rule(claims);
    expect([first('me', 0), first('live', 0), first('gone', 0)]).toEqual([true, false, false]);
    vi.advanceTimersByTime(1000);
    const later = await rule(claims);
    expect([later('live', 0), later('gone', 0)]).toEqual([false, true]);
  });

  it('never lets a tab that does not lead adopt', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const claims = createClaims(fakeWindow([], false).win, 'ecomtag:ct', 'me');
    await rule(claims);
    vi.advanceTimersByTime(5000);
    expect((await rule(claims))('gone', 0)).toBe(false);
  });

  it('at unload takes only this page’s records, synchronously', () => {
    const claims = createClaims(fakeWindow([], true).win, 'ecomtag:ct', 'me');
    let mayTake: MayTake | undefined;
    claims.take((rule) => (mayTake = rule), true);
    expect([mayTake!('me', 0), mayTake!('gone', 0)]).toEqual([true, false]);
  });

  it('without Web Locks takes its own records and those an hour old', async () => {
    const claims = createClaims({ navigator: {} } as unknown as Window, 'ecomtag:ct', 'me');
    const mayTake = await rule(claims);
    expect([mayTake('me', Date.now()), mayTake('other', Date.now()), mayTake('other', Date.now() - 3600e3)]).toEqual([true, false, true]);
  });
});
