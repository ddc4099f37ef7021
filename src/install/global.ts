import { createCore } from '../tag';
import { savedCallsKey, type Globals } from './stub';

/** A saved call older than this belongs to another visit: its shopper, session and cart have moved on. */
const SAVED_FOR_MS = 864e5;

/**
 * Replays the calls pages saved when they went before the bundle came (stub.ts), oldest first. They leave
 * storage before they are read, so that nothing there, however garbled, stays in the stub's way.
 */
const replaySavedCalls = (win: Window, name: string, handle: (args: unknown[]) => unknown) => {
  try {
    const key = savedCallsKey(name);
    const saved = win.localStorage[key];
    if (!saved) return;
    win.localStorage.removeItem(key);
    for (const [time, ...args] of JSON.parse(saved)) if (time > Date.now() - SAVED_FOR_MS) handle(args);
  } catch {
    // Storage refused, or not the stub's list: nothing more to replay.
  }
};

/**
 * What the bundle does when it runs: take over the stub named by its script tag, replay the calls earlier pages
 * saved and those queued so far, in order, then handle calls as they come. Without a stub (the `data-name` install for pages whose CSP
 * forbids inline scripts) it creates the global itself. A second copy of the bundle finds the handler in
 * place and does nothing; a name held by another script is left alone.
 *
 * Google Tag Manager's template installs the global with `createArgumentsQueue`, whose function pushes onto
 * `q` and never looks at `h`, and it cannot set attributes on the script it injects: it names the global in
 * the URL's fragment (`ecomtag.js#ecom`) instead of `data-name`.
 */
export const installGlobal = (win: Window, script: HTMLOrSVGScriptElement | null) => {
  const name = (script && (script.getAttribute('data-name') || (script.getAttribute('src') || '').split('#')[1])) || 'ct';
  let f = (win as Globals)[name];
  if (!f) {
    const json = script && script.getAttribute('data-config');
    let config: unknown = json;
    try {
      config = JSON.parse(json!);
    } catch {
      // Kept as the string it is, which the configuration check then names.
    }
    // Shaped like the stub's global, which queues until the handler is in place.
    f = (win as Globals)[name] = Object.assign((...args: unknown[]) => (f!.h ? f!.h(args) : void f!.q.push(args)), { ecomtag: 1 as const, q: [] as ArrayLike<unknown>[], c: config });
  }
  if (!f.ecomtag) return console.error(`ecomtag: window.${name} is taken by another script; ecomtag is not installed`);
  if (f.h) return;
  const core = createCore(win, f.c, name);
  const handle = (args: ArrayLike<unknown>) => core.handle(Array.from(args));
  replaySavedCalls(win, name, handle);
  while (f.q.length) handle(f.q.shift()!);
  // A queue function that only pushes (Tag Manager's) reaches the handler from now on.
  (f.q as { push: typeof handle }).push = handle;
  f.h = handle;
  f.flush = core.flush;
};
