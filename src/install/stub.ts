/**
 * The loader stub (dist/snippet.min.js), pasted into every page: it owns `window[n]` until the bundle comes,
 * queueing every call, and never takes a name another script holds. The bundle reuses it for the
 * `data-name` install, where no URL is given and nothing is loaded.
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
  if (u) {
    const s = d.createElement('script');
    s.async = true;
    s.src = u;
    s.setAttribute('data-name', n);
    d.head.appendChild(s);
  }
};
