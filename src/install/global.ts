import { createCore } from '../tag';
import { isRecord } from '../call/validate';
import { savedCallsKey, type Globals } from './stub';

/** A saved call older than this belongs to another visit: its shopper, session and cart have moved on. */
const SAVED_FOR_MS = 864e5;

/**
 * Replays the calls a page saved when it went before the bundle came (stub.ts), unless they are a day old. They
 * leave storage before they are read, so that nothing there, however garbled, is read twice.
 */
const replaySavedCalls = (win: Window, name: string, handle: (args: ArrayLike<unknown>) => unknown) => {
  try {
    const key = savedCallsKey(name);
    const saved = win.localStorage[key];
    if (!saved) return;
    delete win.localStorage[key];
    const [time, ...calls] = JSON.parse(saved);
    if (time > Date.now() - SAVED_FOR_MS) for (const call of calls) if (isRecord(call)) handle(Object.values(call));
  } catch {
    // Storage refused, or not the stub's list: nothing more to replay.
  }
};

/**
 * What the bundle does when it runs: take over the stub named by its script tag, replay the calls a page before
 * saved and those queued so far, in order, then handle calls as they come. Without a stub (the `data-name`
 * install for pages whose CSP forbids inline scripts) it creates the global itself. A second copy of the bundle
 * finds the handler in place and does nothing; a name held by another script is left alone, and said so once.
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
    // Shaped like the stub's global, whose queue's push becomes the handler below.
    f = (win as Globals)[name] = Object.assign((...args: unknown[]) => f!.q.push(args), { ecomtag: 1 as const, q: [] as ArrayLike<unknown>[], c: config });
  }
  if (!f.ecomtag) return console.error(`ecomtag: window.${name} is taken by another script; ecomtag is not installed`);
  if (f.h) return;
  const core = createCore(win, f.c, name);
  const handle = (args: ArrayLike<unknown>) => core.handle(Array.from(args));
  replaySavedCalls(win, name, handle);
  while (f.q.length) handle(f.q.shift()!);
  // Every global pushes its calls onto `q` (the stub's, Tag Manager's): they reach the handler from now on.
  (f.q as { push: typeof handle }).push = handle;
  f.h = handle;
  f.flush = core.flush;
};
