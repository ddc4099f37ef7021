/**
 * The loader stub (dist/snippet.min.js), pasted into every page: it owns `window[n]` until the bundle comes,
 * queueing every call, and never takes a name another script holds. A page that goes before the bundle came
 * saves its queue for the next page's bundle (global.ts), as `[time, ...arguments]` under `savedCallsKey(n)`.
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

/** The stub writes this key out in full: it is cut out of this file alone, without what it would import. */
export const savedCallsKey = (name: string) => 'ecomtag:' + name + ':q';

export const stub = function (w: Globals, d: Document, n: string, c?: unknown, u?: string) {
  let f = w[n];
  if (f) {
    if (!f.ecomtag) console.error('ecomtag: window.' + n + ' is taken by another script; ecomtag is not installed');
    return;
  }
  f = w[n] = function () {
    // Looked up on every call, so a reference kept from before the bundle loaded still reaches it.
    return f!.h ? f!.h(arguments) : void f!.q.push(arguments);
  } as Stub;
  f.ecomtag = 1;
  f.q = [];
  f.c = c;
  // Without this, a call made just before a navigation would be lost whenever the bundle is slower than the
  // shopper. Never while the store waits for consent: nothing is stored before it is given.
  w.addEventListener('pagehide', () => {
    try {
      const s = w.localStorage;
      const k = 'ecomtag:' + n + ':q';
      const g = ((c || 0) as { consent?: unknown }).consent;
      if (f!.q.length && (!g || g == 'granted')) {
        // The latest 50: a bundle that never loads (a blocker) must not fill the store's localStorage.
        s[k] = JSON.stringify(JSON.parse(s[k] || '[]').concat(f!.q.map((a) => [Date.now(), ...(a as unknown[])])).slice(-50));
        f!.q = [];
      }
    } catch {
      // Storage refused (private mode, quota, sandbox): the calls stay in memory, as without this.
    }
  });
  if (u) {
    const s = d.createElement('script');
    s.async = true;
    s.src = u;
    s.setAttribute('data-name', n);
    d.head.appendChild(s);
  }
};
