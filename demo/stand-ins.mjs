// The services the demo store's tag posts to: the stand-in collectors the tests use (strict schemas, records,
// faults), one for Calltouch and one for eSputnik so each can fail on its own, and the real relay
// (dist/relay.mjs) in front of the eSputnik stand-in's Generate event route, with its back office on (a token made
// for this run, the demo's Calltouch account, the Calltouch stand-in).
import { randomBytes } from 'node:crypto';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../test/support/collector.mjs';
import { startRelay } from '../test/support/relay-process.mjs';
import { CALLTOUCH_SITE_ID } from './pages.mjs';

/** @typedef {import('../test/support/collector.mjs').Collector} Collector */
/** @typedef {import('../test/support/relay-process.mjs').RelayProcess} RelayProcess */
/** @typedef {import('./feed.mjs').Feed} Feed */
/** @typedef {import('./settings.mjs').Outage} Outage */
/** @typedef {import('./settings.mjs').Service} Service */

/** Counts of faults for "until told otherwise": more requests than a demo session makes. */
const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * @typedef {object} Endpoints  where the tag is told to post
 * @property {string} calltouch  the Calltouch stand-in's ecommerce.php
 * @property {string} tracker    the eSputnik tracker stand-in
 * @property {string} relay      the relay, for the `event` format
 * @property {string} upstream   the Generate event stand-in the relay forwards to
 */

/**
 * @typedef {object} StandIns
 * @property {Collector} calltouch
 * @property {Collector} esputnik
 * @property {RelayProcess} relay
 * @property {string} backOfficeToken  the relay's RELAY_BACKOFFICE_TOKEN, for the demo's server only
 * @property {Endpoints} endpoints
 * @property {(service: Service, outage: Outage) => Promise<void>} setOutage
 * @property {() => void} clear  forgets the recorded requests; outages stay as they are
 * @property {() => Promise<void>} close
 */

/**
 * @param {{feed: Feed, storeOrigin: string, calltouchPort: number, esputnikPort: number, relayPort: number, identitySecret: string, log: boolean}} options
 *   storeOrigin: the only origin the relay lets post; identitySecret: what the store's server signs identities with;
 *   log: one line per request on stdout
 * @returns {Promise<StandIns>}
 */
export async function startStandIns({ feed, storeOrigin, calltouchPort, esputnikPort, relayPort, identitySecret, log }) {
  const [calltouch, esputnik] = await Promise.all([
    startCollector({ port: calltouchPort, log }),
    startCollector({ port: esputnikPort, log }),
  ]);
  const upstream = `${esputnik.url}/esputnik/api/v2/event`;
  const backOfficeToken = randomBytes(32).toString('hex');
  const env = {
    RELAY_IDENTITY_SECRET: identitySecret,
    RELAY_BACKOFFICE_TOKEN: backOfficeToken,
    RELAY_CALLTOUCH_SITE_ID: String(CALLTOUCH_SITE_ID),
    CALLTOUCH_URL: `${calltouch.url}/calltouch/ecommerce.php`,
  };
  const relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: storeOrigin, upstreamUrl: upstream, port: relayPort, env })
    .catch(async (error) => {
      await Promise.all([calltouch.close(), esputnik.close()]);
      throw error;
    });
  const collectors = { calltouch, esputnik };
  /** @type {Record<Service, Outage>} */
  const outages = { calltouch: 'up', esputnik: 'up' };

  const stopFeeding = [
    calltouch.onRecord((record) => feed.addRecord('calltouch', record)),
    esputnik.onRecord((record) => feed.addRecord('esputnik', record)),
    relay.onLog((line) => feed.addRelayLine(line)),
  ];

  /** Sets a collector's faults to what its outage means; reset() forgets them, so this runs after it too. */
  const applyFaults = (/** @type {Service} */ service) => {
    collectors[service].failNext(outages[service] === '503' ? FOREVER : 0, 503);
    collectors[service].hang(outages[service] === 'timeout' ? FOREVER : 0);
  };

  return {
    calltouch,
    esputnik,
    relay,
    backOfficeToken,
    endpoints: {
      calltouch: `${calltouch.url}/calltouch/ecommerce.php`,
      tracker: `${esputnik.url}/esputnik/tracker`,
      // The relay answers on any path; a store would serve it under its own, as the README's nginx block shows.
      relay: `${relay.url}/ecomtag/relay`,
      upstream,
    },
    async setOutage(service, outage) {
      const was = outages[service];
      // stop() closes the port and every open socket; start() listens on the same port again.
      if (outage === 'unreachable' && was !== 'unreachable') await collectors[service].stop();
      if (outage !== 'unreachable' && was === 'unreachable') await collectors[service].start();
      outages[service] = outage;
      applyFaults(service);
    },
    clear() {
      calltouch.reset();
      esputnik.reset();
      applyFaults('calltouch');
      applyFaults('esputnik');
      feed.clear();
    },
    async close() {
      for (const stop of stopFeeding) stop();
      await Promise.all([calltouch.close(), esputnik.close(), relay.close()]);
    },
  };
}
