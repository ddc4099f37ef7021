// A file of tests that each start the built relay in front of the stand-in eSputnik (collector.mjs): the stand-in
// lives as long as the file, each relay as long as its test, and the stand-in forgets what it saw between tests.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector, type Collector } from './collector.mjs';
import { LOAD_ORIGIN } from './relay-load.mjs';
import { startRelay, type RelayProcess } from './relay-process.mjs';

/** Registers the file's hooks; `env` is every relay's, `probe` starts each with the memory probe (relay-probe.mjs). */
export const useRelayOnCollector = ({ env: base = {}, probe = false }: { env?: Record<string, string>; probe?: boolean } = {}) => {
  let collector: Collector | undefined;
  let relay: RelayProcess | undefined;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
    collector?.reset();
  });
  afterAll(() => collector?.close());
  return {
    get collector(): Collector {
      if (!collector) throw new Error('the stand-in eSputnik starts in beforeAll');
      return collector;
    },
    /** A relay allowing LOAD_ORIGIN, with the file's settings and `env`; its URL with the tag's path. */
    async start(env: Record<string, string> = {}) {
      relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: LOAD_ORIGIN, upstreamUrl: `${this.collector.url}/esputnik/api/v2/event`, env: { ...base, ...env }, probe });
      return { relay, url: `${relay.url}/ecomtag/relay` };
    },
  };
};
