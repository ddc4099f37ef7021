import { isTransaction, type EcomEvent } from '../call/event';
import { toCount, toFlag, toText } from '../call/validate';
import type { StartDestination } from '../destination';
import { falseOr } from '../install/config';
import { json } from '../json';
import { calltouchOfflineEvent, calltouchSiteEvent } from './map';
import { readCalltouchSession, type CalltouchSession } from './session';

const POLL_MS = 500;

interface Site {
  modId?: string;
  siteId?: number;
  session?: CalltouchSession;
  seenAt?: number;
}

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
export const startCalltouch: StartDestination = (win, { accounts, read, calltouchGlobal }, _store, outbox, contact) => {
  const url = read('calltouch.endpoint', 'https://mod.calltouch.ru/ecommerce.php', toText);
  const sessionWaitMs = read('calltouch.sessionWaitMs', 10000, toCount);
  const fromDataLayerToo = read('calltouch.dataLayer', true, toFlag);
  /**
   * Per account key: its mod_id, the `siteId` of the offline format if any, and its session as last read (at
   * `seenAt`); false where it sends nothing to Calltouch.
   */
  const sites: Record<string, Site | false> = {};
  for (const { key, modId, read } of accounts) sites[key] = read<Site | false>('calltouch', {}, falseOr(() => ({ modId, siteId: read('calltouch.siteId', undefined, toCount) }), 'false or an object'));
  const started = Date.now();

  return {
    receive: (account, event, fromDataLayer) => {
      if (sites[account.key] && (!fromDataLayer || fromDataLayerToo)) outbox.add({ url, keep: isTransaction(event), wait: 'session', account: account.key, event });
    },
    // Its bodies are built when they are sent, with the contact known then.
    identify: () => undefined,
    bodyOf: (letter, unloading, now) => {
      const site = sites[letter.account!];
      // An account the configuration no longer sends to Calltouch.
      if (!site) return false;
      // One scan of the outbox passes one time to every letter: Calltouch is asked once per account in it.
      if (site.seenAt != now) (site.seenAt = now), (site.session = readCalltouchSession(win, calltouchGlobal, site.modId));
      const { session } = site;
      const event = letter.event as EcomEvent;
      if (session) return json(calltouchSiteEvent(event, session, contact()));
      if (isTransaction(event) && site.siteId && (unloading || now >= letter.at + sessionWaitMs)) return json(calltouchOfflineEvent(event, site.siteId));
      const until = Math.max(letter.at, started) + sessionWaitMs;
      // The last look lands on the deadline itself, where a waiting purchase turns offline.
      return now < until ? Math.min(POLL_MS, until - now) : Infinity;
    },
  };
};
