import { isTransaction, type EcomEvent } from '../call/event';
import type { StartDestination } from '../destination';
import { json } from '../json';
import { calltouchOfflineEvent, calltouchSiteEvent } from './map';
import { readCalltouchSession } from './session';

const POLL_MS = 500;

/**
 * Calltouch. Every call keeps SPEC §3's rules, which are Calltouch's own (seed 000), so it takes them all, but
 * what the dataLayer bridge read where the store said Calltouch reads the dataLayer itself.
 *
 * A site event needs the visitor's Calltouch session, which its script creates seconds after load: until then
 * the event's letter waits in the outbox, looked at every half second for `sessionWaitMs` after the event (or
 * after a later page's start). Purchases and refunds of an account with a `siteId` go out in the offline format
 * once `sessionWaitMs` has passed, or at once when the page unloads (where Calltouch's own script would lose
 * them); other events wait for a later page's session. The body is built when it is sent, with the session and
 * contact known then.
 */
export const startCalltouch: StartDestination = (win, settings, _store, outbox, contact) => {
  const started = Date.now();
  return {
    receive: (account, event, fromDataLayer) => {
      if (account.calltouch && (!fromDataLayer || settings.calltouchDataLayer))
        outbox.add({ url: settings.calltouchEndpoint, keep: isTransaction(event), wait: 'session', account: account.key, event });
    },
    // Its bodies are built when they are sent, with the contact known then.
    identify: () => undefined,
    bodyOf: (letter, unloading, now) => {
      const account = settings.accounts.find((candidate) => candidate.key == letter.account);
      // An account the configuration no longer sends to Calltouch.
      if (!account || !account.calltouch) return false;
      const event = letter.event as EcomEvent;
      const session = readCalltouchSession(win, settings.calltouchGlobal, account.modId);
      const siteId = account.calltouch.siteId;
      if (session) return json(calltouchSiteEvent(event, session, contact()));
      if (isTransaction(event) && siteId && (unloading || now >= letter.at + settings.sessionWaitMs)) return json(calltouchOfflineEvent(event, siteId));
      const until = Math.max(letter.at, started) + settings.sessionWaitMs;
      // The last look lands on the deadline itself, where a waiting purchase turns offline.
      return now < until ? Math.min(POLL_MS, until - now) : Infinity;
    },
  };
};
