// The benchmark's collector: one local endpoint on 127.0.0.1 that takes whatever any contender posts (Calltouch
// bodies, Snowplow's tp2 batches, Segment's events, beacons), answers 200 at once with CORS for any origin (with
// credentials, as Snowplow sends them) and counts events per lane. A lane is the first path segment, one per page,
// so a page can ask how many of its events have arrived: `GET /wait/LANE?n=N&quiet=MS` answers `{"count"}` once N
// have, or once none has arrived for MS milliseconds. Unlike test/support/collector.mjs it checks nothing: the
// benchmark wants every contender's traffic answered as fast as possible, so each drains its queue at full speed.
// A lane can be held (`hold`): its posts are counted but answered only at `release`, so a page's CPU time can be
// read while its first requests are in flight, before any answer has been handled.
import { createServer } from 'node:http';
import { listen, shutdown } from '../../test/support/http.mjs';

/** @typedef {{count: number, lastAt: number, waiters: Set<() => void>, held: Array<() => void> | undefined}} Lane */

/**
 * Events in one body: Snowplow posts `{data: [...]}`, Segment's batching mode `{batch: [...]}`, everything else
 * (ecomtag, Segment's default mode) one event per request.
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
 * @property {(lane: string) => void} hold answer nothing on `lane` until released
 * @property {(lane: string) => void} release answer what was held, and from now on at once
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Sink>} */
export async function startSink() {
  /** @type {Map<string, Lane>} */
  const lanes = new Map();
  /** @param {string} name */
  const lane = (name) => {
    let found = lanes.get(name);
    if (!found) lanes.set(name, (found = { count: 0, lastAt: Date.now(), waiters: new Set(), held: undefined }));
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
      target.count += eventsIn(Buffer.concat(chunks).toString('utf8'));
      target.lastAt = Date.now();
      for (const wake of target.waiters) wake();
      const answer = () => {
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
        res.end('{}');
      };
      if (target.held) target.held.push(answer);
      else answer();
    });
  });

  /**
   * @param {Lane} target
   * @param {URL} url
   * @param {import('node:http').ServerResponse} res
   * @param {Record<string, string>} cors
   */
  const wait = (target, url, res, cors) => {
    const want = Number(url.searchParams.get('n') ?? 0);
    const quietMs = Number(url.searchParams.get('quiet') ?? 1000);
    const since = Date.now();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const check = () => {
      const silentFor = Date.now() - Math.max(since, target.lastAt);
      if (target.count < want && silentFor < quietMs) {
        clearTimeout(timer);
        timer = setTimeout(check, quietMs - silentFor);
        return;
      }
      clearTimeout(timer);
      target.waiters.delete(check);
      res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ count: target.count }));
    };
    target.waiters.add(check);
    check();
  };

  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (name) => {
      lane(name).held = [];
    },
    release: (name) => {
      const target = lane(name);
      const held = target.held ?? [];
      target.held = undefined;
      for (const answer of held) answer();
    },
    close: () => shutdown(server),
  };
}
