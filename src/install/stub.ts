/**
 * The loader stub (dist/snippet.min.js), pasted into every page: it owns `window[n]` until the bundle comes,
 * queueing every call, and never takes a name another script holds (the bundle, loaded all the same, says so
 * once: global.ts). A page that goes before the bundle came saves its queue for the next page's bundle, as
 * `[time, ...calls]` under `savedCallsKey(n)`, each call its arguments object. Every byte here is in every
 * page's HTML: 400 at most.
 */
export interface Stub {
  (...args: unknown[]): unknown;
  ecomtag: 1;
  /** Calls made before the bundle took over, in order. */
  q: ArrayLike<unknown>[];
  /** The configuration the snippet was given. */
  c?: unknown;
  /** The bundle's handler, once installed. */
  h?: (args: ArrayLike<unknown>) => unknown;
  flush?: () => Promise<void>;
}

export type Globals = Window & Record<string, Stub | undefined>;

/**
 * The stub writes this key out in full: it is cut out of this file alone, without what it would import. The
 * bundle's own keys are under `ecomtag:<name>:`.
 */
export const savedCallsKey = (name: string) => 'ecomtag:' + name;

export const stub = function (w: Globals, d: Document, n: string, c?: unknown, u?: string) {
  let f = w[n];
  // Pasted twice: the first copy has it all in hand.
  if (f && f.ecomtag) return;
  if (!f) {
    // Looked up on every call, so a reference kept from before the bundle loaded still reaches it.
    f = w[n] = function () {
      return f!.h ? f!.h(arguments) : void f!.q.push(arguments);
    } as Stub;
    f.ecomtag = 1;
    f.q = [];
    f.c = c;
    // Without this, a call made just before a navigation would be lost whenever the bundle is slower than the
    // shopper. Only this page's calls: a page before it that also went early is overwritten, which keeps a
    // bundle that never loads (a blocker) from filling the store's storage.
    w.addEventListener('pagehide', () => {
      try {
        // Never while the store waits for consent or was refused it ('pending', 'denied'): nothing is stored
        // before consent is given.
        if (f!.q[0] && !/^[dp]/.test(((c || 0) as { consent?: string }).consent!)) {
          // An arguments object is written as {"0": …, "1": …}: global.ts reads it back with Object.values.
          w.localStorage['ecomtag:' + n] = JSON.stringify([Date.now(), ...f!.q]);
          f!.q = [];
        }
      } catch {
        // Storage refused (private mode, quota, sandbox): the calls stay in memory, as without this.
      }
    });
  }
  if (u) {
    // Inserted scripts load asynchronously without being told.
    const s = d.createElement('script');
    s.src = u;
    s.dataset.name = n;
    d.head.append(s);
  }
};
