import { isRecord } from '../call/validate';
import { readCookie } from '../cookie';

/**
 * Calltouch's visitor session for one account, as its own script knows it (reference/calltouch.md):
 * `calltracking_params` on its global once loaded, else the cookies it leaves behind.
 */
export interface CalltouchSession {
  siteId: number;
  sessionId: number;
  modId: string;
  ctClientId: string;
}

type CalltouchGlobal = ((...args: unknown[]) => unknown) & { loaded?: boolean };

/** Calltouch's ids are numbers on the wire; its cookies and some script versions give them as strings. */
const positive = (value: unknown): number => (+(value as number) > 0 && +(value as number) % 1 == 0 ? +(value as number) : 0);

const toSession = (params: unknown): CalltouchSession | undefined => {
  const p = Array.isArray(params) ? params[0] : params;
  if (!isRecord(p)) return;
  const session = { siteId: positive(p.siteId), sessionId: positive(p.sessionId), modId: p.modId as string, ctClientId: p.ctClientId == null ? '' : '' + p.ctClientId };
  return session.siteId && session.sessionId && typeof session.modId == 'string' && session.modId && session.ctClientId ? session : undefined;
};

/** `_ct_ids` holds `modId:siteId:sessionId` per counter, joined by `_`; the single-counter cookies serve a mod_id it lacks. */
export const sessionFromCookies = (cookies: string, modId: string | undefined): CalltouchSession | undefined => {
  const counters = (readCookie(cookies, '_ct_ids') || '').split('_').map((entry) => entry.split(':')).filter((parts) => parts.length == 3);
  const counter = counters.find((parts) => !modId || parts[0] == modId) || (!counters.length && modId ? [modId, readCookie(cookies, '_ct_site_id'), readCookie(cookies, '_ct_session_id')] : []);
  return toSession({ modId: counter[0], siteId: counter[1], sessionId: counter[2], ctClientId: readCookie(cookies, '_ct') });
};

/** Calltouch's script under `globalName`, stub or loaded; never an ecomtag install that holds the name. */
export const findCalltouch = (win: Window, globalName: string): CalltouchGlobal | undefined => {
  const calltouch = (win as unknown as Record<string, CalltouchGlobal | undefined>)[globalName];
  return typeof calltouch == 'function' && !('ecomtag' in calltouch) ? calltouch : undefined;
};

/** The Calltouch script's stub has `loaded === false`; asking it would only queue calls, so only its dispatcher is asked. */
export const readCalltouchSession = (win: Window, globalName: string, modId: string | undefined): CalltouchSession | undefined => {
  const calltouch = findCalltouch(win, globalName);
  try {
    const session = calltouch && calltouch.loaded !== false && toSession(calltouch('calltracking_params', modId));
    if (session && (!modId || session.modId == modId)) return session;
  } catch {
    // A throwing Calltouch script must not stop the cookies from being read.
  }
  try {
    return sessionFromCookies(win.document.cookie, modId);
  } catch {
    return undefined;
  }
};
