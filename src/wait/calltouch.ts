import type { Contact, EcomEvent } from '../call/event';
import type { Account, Settings } from '../install/config';
import type { Outbox } from '../deliver/outbox';
import { calltouchOfflineEvent, calltouchSiteEvent } from '../map/calltouch';
import { readCalltouchSession } from './calltouch-session';
import { isTransaction, type Parking } from './parking';

/**
 * Calltouch's half of delivery. A site event needs the visitor's Calltouch session, which its script creates
 * seconds after load: until then events wait in the parking. Purchases and refunds of an account with a
 * `siteId` go out in the offline format once `sessionWaitMs` has passed, or at once when the page unloads
 * (where Calltouch's own script would lose them); other events wait for a later page's session.
 */
export interface CalltouchStage {
  send(account: Account, event: EcomEvent): void;
  /** Looks again for sessions; `unloading` sends waiting purchases and refunds offline. */
  release(unloading: boolean): void;
}

const POLL_MS = 500;

export const createCalltouchStage = (win: Window, settings: Settings, outbox: Outbox, parking: Parking<EcomEvent>, contact: () => Contact): CalltouchStage => {
  let pollUntil = Date.now() + settings.sessionWaitMs;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Maps and posts `event` if the account's session is known; false when it must wait. */
  const post = (account: Account, event: EcomEvent, unloading: boolean, waitedSince: number): boolean => {
    const session = readCalltouchSession(win, settings.calltouchGlobal, account.modId);
    const siteId = account.calltouch && account.calltouch.siteId;
    const body = session
      ? calltouchSiteEvent(event, session, contact())
      : isTransaction(event) && siteId && (unloading || Date.now() >= waitedSince + settings.sessionWaitMs)
        ? calltouchOfflineEvent(event, siteId)
        : undefined;
    if (body) outbox.add(settings.calltouchEndpoint, JSON.stringify(body), isTransaction(event));
    return !!body;
  };

  const release = (unloading: boolean) =>
    parking.review(
      (item) => {
        const account = settings.accounts.find((candidate) => candidate.key === item.account);
        return !account || !account.calltouch || post(account, item.event, unloading, item.at);
      },
      unloading,
    );

  /** Looks for the session every half second, but only for `sessionWaitMs` after the last event that had to wait. */
  const poll = () => {
    clearTimeout(timer);
    release(false);
    const left = pollUntil - Date.now();
    // The last look lands on the deadline itself, where a waiting purchase turns offline.
    if (left >= 0) timer = setTimeout(() => parking.has() && poll(), Math.min(POLL_MS, left));
  };

  const send = (account: Account, event: EcomEvent) => {
    // Behind events already waiting for this account it waits too, so Calltouch receives them in call order.
    if (!parking.has(account.key) && post(account, event, false, Date.now())) return;
    parking.park(account.key, event);
    pollUntil = Date.now() + settings.sessionWaitMs;
    poll();
  };

  if (parking.has()) poll();
  return { send, release };
};
