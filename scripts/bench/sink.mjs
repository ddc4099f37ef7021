// The benchmark's collector: one local endpoint on 127.0.0.1 that takes whatever any contender posts (Calltouch
// and eSputnik bodies, Snowplow's tp2 batches, Segment's events, beacons), answers 200 at once with CORS for any
// origin (with credentials, as Snowplow sends them) and counts events per lane. A lane is the first path segment,
// one per page. The page can ask how many of its events have arrived: `GET /wait/LANE?n=N&quiet=MS` answers
// `{"count"}` once N have, or once none has arrived for MS milliseconds; the Node side asks `settled`. Unlike
// test/support/collector.mjs it checks nothing: the benchmark wants every contender's traffic answered as fast as
// possible. A lane can be made to refuse (`refuse`): from then on its posts are answered 503, which every
// contender retries later, so their letters back up.
import { createServer } from 'node:http';
import { listen, shutdown } from '../../test/support/http.mjs';

/** @typedef {{count: number, posts: number, refused: number, lastAt: number, waiters: Set<() => void>, refusing: boolean}} Lane */
/** @typedef {{count: number, posts: number, refused: number}} LaneCounts events delivered, posts received, posts refused */

/**
 * Events in one body: Snowplow posts `{data: [...]}`, Segment's batching mode `{batch: [...]}`, everything else
 * (ecomtag, the floor, Segment's default mode) one event per request.
 * @param {string} body
 */
export const eventsIn = (body) => {
  try {
    const json = JSON.parse(body);
    if (Array.isArray(json?.data)) return json.data.length;
    if (Array.isArray(json?.batch)) return json.batch.length;
  } catch {
    // Not JSON: still one request, one event.
  }
  return 1;
};

/**
 * @typedef {object} Sink
 * @property {string} url its origin
 * @property {(lane: string, ready: (lane: LaneCounts) => boolean, quietMs: number, giveUpMs: number) => Promise<LaneCounts>} settled
 *   resolves with the lane's counts once `ready` holds and no post has come for `quietMs`, or once none has come
 *   for `giveUpMs`
 * @property {(lane: string) => void} refuse answer the lane's posts 503 from now on
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Sink>} */
export async function startSink() {
  /** @type {Map<string, Lane>} */
  const lanes = new Map();
  /** @param {string} name */
  const lane = (name) => {
    let found = lanes.get(name);
    if (!found) lanes.set(name, (found = { count: 0, posts: 0, refused: 0, lastAt: Date.now(), waiters: new Set(), refusing: false }));
    return found;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const cors = {
      'Access-Control-Allow-Origin': req.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
      // The pages are cross-origin isolated (COEP), which makes even a beacon's answer need this.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      Vary: 'Origin',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
        'Access-Control-Max-Age': '600',
      });
      return res.end();
    }
    const [, first = '', second = ''] = url.pathname.split('/');
    if (req.method === 'GET' && first === 'wait') return wait(lane(second), url, res, cors);
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on('end', () => {
      const target = lane(first);
      target.lastAt = Date.now();
      target.posts += 1;
      if (target.refusing) target.refused += 1;
      else target.count += eventsIn(Buffer.concat(chunks).toString('utf8'));
      for (const wake of target.waiters) wake();
      res.writeHead(target.refusing ? 503 : 200, { ...cors, 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });

  /**
   * Calls `done(counts)` once `ready()` holds and the lane has been silent (no post) for `quietMs`, or once it has
   * been silent for `giveUpMs` whatever `ready` says.
   * @param {Lane} target
   * @param {() => boolean} ready
   * @param {number} quietMs
   * @param {number} giveUpMs
   * @param {(counts: LaneCounts) => void} done
   */
  const whenSettled = (target, ready, quietMs, giveUpMs, done) => {
    const since = Date.now();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const check = () => {
      clearTimeout(timer);
      const silentFor = Date.now() - Math.max(since, target.lastAt);
      const isReady = ready();
      if (silentFor < giveUpMs && !(isReady && silentFor >= quietMs)) {
        timer = setTimeout(check, (isReady ? quietMs : giveUpMs) - silentFor);
        return;
      }
      target.waiters.delete(check);
      done({ count: target.count, posts: target.posts, refused: target.refused });
    };
    target.waiters.add(check);
    check();
  };

  /**
   * @param {Lane} target
   * @param {URL} url
   * @param {import('node:http').ServerResponse} res
   * @param {Record<string, string>} cors
   */
  const wait = (target, url, res, cors) => {
    const want = Number(url.searchParams.get('n') ?? 0);
    const quietMs = Number(url.searchParams.get('quiet') ?? 1000);
    whenSettled(target, () => target.count >= want, 0, quietMs, ({ count }) => {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ count }));
    });
  };

  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    settled: (name, ready, quietMs, giveUpMs) => {
      const target = lane(name);
      return new Promise((done) => whenSettled(target, () => ready(target), quietMs, giveUpMs, done));
    },
    refuse: (name) => {
      lane(name).refusing = true;
    },
    close: () => shutdown(server),
  };
}
