// The built relay as a store runs it: `node dist/relay.mjs` (what `npx ecomtag-relay` starts), configured by its
// environment, in front of a stand-in eSputnik on 127.0.0.1 that answers as each test tells it. What the process
// does with connections (deadlines, the cap, shutdown), with eSputnik's answers (timeouts, huge bodies, Retry-After),
// and where it listens. `node build.mjs` must have run (npm test does).
import { Agent, request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, shutdown } from '../support/http.mjs';
import { identity } from '../support/identity.mjs';
import { tagBodies } from '../support/relay-bodies.mjs';
import { tagRequest } from '../support/relay-load.mjs';
import { runRelayToExit, startRelay, type RelayProcess } from '../support/relay-process.mjs';

const KEY = 'es-live-key-0b7c2e94d1a3f658';
const CREDENTIALS = Buffer.from(`ecomtag:${KEY}`).toString('base64');
const ORIGIN = 'http://127.0.0.1:8080';
const BODIES = tagBodies('email:anna@example.com');
const CART = JSON.stringify(BODIES.cartUpdated);
const CANCEL = JSON.stringify(BODIES.orderCancelled);
const { identity: _identity, ...FORWARDED_CART } = BODIES.cartUpdated;

/** Every response text and every output line of every relay in this file, checked for the key at the end. */
const seen: string[] = [];
const relays: RelayProcess[] = [];

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in for eSputnik: records what arrives, answers as told (200 by default), counts its open sockets. */
const startUpstream = async () => {
  const received: Received[] = [];
  const plan: Array<(res: ServerResponse) => void> = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      (plan.shift() ?? ((r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')))(res);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}/api/v2/event`,
    received,
    /** The next request is answered by `answer` (which may keep it waiting). */
    next: (answer: (res: ServerResponse) => void) => plan.push(answer),
    /** Every request from now on is answered by `answer`. */
    always: (answer: (res: ServerResponse) => void) => {
      plan.length = 0;
      for (let i = 0; i < 10_000; i++) plan.push(answer);
    },
    open: () => sockets.size,
    close: () => shutdown(server),
  };
};
type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** Waits for a condition, never for a fixed time. */
const until = async (condition: () => boolean, what: string, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const start = async (upstream: Upstream, env: Record<string, string> = {}, more: Partial<Parameters<typeof startRelay>[0]> = {}) => {
  const relay = await startRelay({ apiKey: KEY, allowedOrigins: [ORIGIN, 'https://shop.example'], upstreamUrl: upstream.url, env, ...more });
  relays.push(relay);
  return relay;
};

/** Runs `test` with a fresh stand-in eSputnik and a relay in front of it (started with `env` and `more`), then stops both. */
const withRelay = async (test: (relay: RelayProcess, upstream: Upstream) => Promise<void>, env: Record<string, string> = {}, more: Partial<Parameters<typeof startRelay>[0]> = {}) => {
  const upstream = await startUpstream();
  const relay = await start(upstream, env, more);
  try {
    await test(relay, upstream);
  } finally {
    await relay.close();
    await upstream.close();
  }
};

const postTo = async (relay: RelayProcess, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${relay.url}/ecomtag/relay`, { method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', ...headers }, body });
  const text = await response.text();
  seen.push(`${response.status} ${JSON.stringify(Object.fromEntries(response.headers))} ${text}`);
  return { status: response.status, headers: response.headers, text };
};

/** A raw connection to the relay, and when (ms after it opened) the relay closed it. */
const open = (port: number) => {
  const socket = connect(port, '127.0.0.1');
  const opened = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)));
  socket.on('error', () => undefined);
  return { socket, closed, connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())) };
};

/** Resolves with `promise`'s value, or with 'still open' after `ms`: how a test bounds its wait for a close. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms).unref())]);

describe('ecomtag-relay, running', () => {
  let upstream: Upstream;
  let relay: RelayProcess;

  beforeAll(async () => {
    upstream = await startUpstream();
    relay = await start(upstream);
  });
  afterAll(async () => {
    await relay.close();
    await upstream.close();
  });

  it('prints a startup line with the port it bound (RELAY_PORT=0)', () => {
    expect(relay.logs[0]).toMatchObject({ level: 'info', msg: 'listening', url: relay.url, host: '127.0.0.1', port: relay.port });
    expect(relay.port).toBeGreaterThan(0);
  });

  it('forwards the event it checked, without the identity, with Basic auth, and answers with CORS', async () => {
    const before = upstream.received.length;
    const response = await postTo(relay, CART);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ok: true });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const [arrived] = upstream.received.slice(before);
    expect(arrived.method).toBe('POST');
    expect(arrived.url).toBe('/api/v2/event');
    expect(arrived.headers.authorization).toBe(`Basic ${CREDENTIALS}`);
    expect(arrived.headers['content-type']).toBe('application/json');
    expect(arrived.headers.origin).toBeUndefined();
    expect(arrived.body.toString()).toBe(JSON.stringify(FORWARDED_CART));
  });

  // Finding: the raw body was forwarded; a duplicate eventTypeKey could smuggle a refused type past the check.
  it('forwards its own serialisation, never the bytes it was sent', async () => {
    const before = upstream.received.length;
    const smuggling = CART.replace('{"eventTypeKey":"cartUpdated"', '{"eventTypeKey":"orderDelivered","eventTypeKey":"cartUpdated"');
    expect((await postTo(relay, smuggling)).status).toBe(200);
    expect(upstream.received.slice(before).map((arrived) => arrived.body.toString())).toEqual([JSON.stringify(FORWARDED_CART)]);
  });

  it('logs one JSON line per request on stdout, without the body, the identity or the contact', async () => {
    const requests = () => relay.logs.filter((line) => line.msg === 'request').length;
    const before = requests();
    await postTo(relay, CANCEL);
    await postTo(relay, CANCEL, { Origin: 'https://evil.example' });
    await postTo(relay, '{"eventTypeKey":"orderCreated","keyValue":"anna@example.com","params":[]}');
    await until(() => requests() === before + 3, 'three request lines');
    const lines = relay.logs.filter((line) => line.msg === 'request').slice(before);
    expect(lines.map(({ status, eventTypeKey, client, upstream: answered }) => ({ status, eventTypeKey, client, upstream: answered }))).toEqual([
      { status: 200, eventTypeKey: 'orderCancelled', client: '127.0.0.1', upstream: 200 },
      { status: 403, eventTypeKey: null, client: '127.0.0.1', upstream: null },
      // Unsigned: refused for that before its rules are read.
      { status: 403, eventTypeKey: 'orderCreated', client: '127.0.0.1', upstream: null },
    ]);
    for (const line of relay.output) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain('anna@example.com');
      expect(line).not.toContain('удлинитель');
      expect(line).not.toContain(BODIES.cartUpdated.identity!.split('.')[1]);
    }
  });

  it('answers a preflight over the wire', async () => {
    const response = await fetch(`${relay.url}/ecomtag/relay`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type, Accept');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers GET /healthz', async () => {
    const response = await fetch(`${relay.url}/healthz`);
    expect({ status: response.status, text: await response.text() }).toEqual({ status: 200, text: 'ok' });
  });

  it('passes eSputnik trouble back as retryable, and says loudly when the key is refused', async () => {
    upstream.next((res) => res.writeHead(503, { 'Retry-After': '12' }).end());
    upstream.next((res) => res.writeHead(401).end('Unauthorized'));
    upstream.next((res) => res.writeHead(429).end());
    const unavailable = await postTo(relay, CANCEL);
    expect({ status: unavailable.status, retryAfter: unavailable.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '12' });
    const refusedKey = await postTo(relay, CANCEL);
    expect(refusedKey.status).toBe(502);
    const limited = await postTo(relay, CANCEL);
    expect({ status: limited.status, retryAfter: limited.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '5' });
    const loud = await relay.waitForLog((line) => line.upstream === 401);
    expect(loud).toMatchObject({ level: 'error', status: 502 });
    expect(String(loud.reason)).toContain('ESPUTNIK_API_KEY');
  });

  // Findings: eSputnik's own text reached anonymous callers; Retry-After: 999999999 was passed through.
  it("keeps eSputnik's words for the log, and holds a Retry-After to the tag's longest backoff", async () => {
    upstream.next((res) => res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"contact victim@example.org not found"}'));
    upstream.next((res) => res.writeHead(429, { 'Retry-After': '999999999' }).end());
    const refused = await postTo(relay, CART);
    expect({ status: refused.status, text: refused.text }).toEqual({ status: 400, text: '{"errors":["eSputnik refused the event"]}' });
    expect(String((await relay.waitForLog((line) => line.upstream === 400)).reason)).toContain('contact victim@example.org not found');
    const limited = await postTo(relay, CART);
    expect({ status: limited.status, retryAfter: limited.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '60' });
  });

  it('answers 413 while the body is still arriving, without waiting for the rest', async () => {
    const req = httpRequest(`${relay.url}/ecomtag/relay`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    // 24 KB of a body that never ends: a relay that buffered it all would never answer.
    req.write(`{"pad":"${'x'.repeat(8192)}`);
    req.write('x'.repeat(8192));
    req.write('x'.repeat(8192));
    const res = await response;
    expect(req.writableEnded).toBe(false);
    let text = '';
    for await (const chunk of res) text += chunk;
    seen.push(text);
    expect({ status: res.statusCode, text }).toEqual({ status: 413, text: '{"errors":["the body must be at most 20480 bytes"]}' });
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    req.destroy();
  });

  it('answers 413 at once to a Content-Length over the limit', async () => {
    const req = httpRequest(`${relay.url}/ecomtag/relay`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) },
    });
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      req.write('{');
    });
    expect(res.statusCode).toBe(413);
    res.resume();
    req.destroy();
  });

  it('refuses over the wire what the handler refuses', async () => {
    expect((await postTo(relay, CANCEL, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await postTo(relay, CANCEL, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await postTo(relay, '{"eventTypeKey":"purchase","keyValue":"1","params":[]}')).status).toBe(400);
    const get = await fetch(`${relay.url}/ecomtag/relay`, { headers: { Origin: ORIGIN } });
    expect({ status: get.status, allow: get.headers.get('allow') }).toEqual({ status: 405, allow: 'POST, OPTIONS' });
    seen.push(await get.text());
  });

  // Finding: a page under `Referrer-Policy: no-referrer` sends its pagehide beacon with `Origin: null`.
  it('takes a same-origin beacon that says Origin: null', async () => {
    expect((await postTo(relay, CART, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await postTo(relay, CART, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('says once, not per request, that it ignores X-Forwarded-For', async () => {
    for (let i = 0; i < 5; i++) await postTo(relay, CART, { 'X-Forwarded-For': `198.51.100.${i}` });
    await relay.waitForLog((line) => line.msg === 'X-Forwarded-For ignored');
    expect(relay.logs.filter((line) => line.msg === 'X-Forwarded-For ignored')).toHaveLength(1);
  });
});

describe('ecomtag-relay, where it listens', () => {
  // Finding: it listened on every interface by default.
  it('binds 127.0.0.1 unless RELAY_HOST says otherwise, and says where', async () => {
    await withRelay(async (relay) => {
      expect(relay.logs[0]).toMatchObject({ msg: 'listening', host: '127.0.0.1', url: `http://127.0.0.1:${relay.port}` });
    }, { RELAY_HOST: '' });
  });

  it('says once at start that it takes no signed event without RELAY_IDENTITY_SECRET', async () => {
    await withRelay(async (relay) => {
      expect(relay.logs.filter((line) => line.msg === 'no RELAY_IDENTITY_SECRET')).toEqual([expect.objectContaining({ level: 'warn' })]);
      expect((await postTo(relay, CART)).status).toBe(403);
    }, { RELAY_IDENTITY_SECRET: '' });
  });
});

describe('ecomtag-relay, limits from the environment', () => {
  it('rate-limits a client per RELAY_RATE_LIMIT_*, and X-Forwarded-For only with RELAY_TRUST_PROXY', async () => {
    await withRelay(async (relay, upstream) => {
      const from = (address: string) => postTo(relay, CART, { 'X-Forwarded-For': address });
      expect([(await from('198.51.100.1')).status, (await from('198.51.100.1')).status]).toEqual([200, 200]);
      const limited = await from('198.51.100.1');
      // 100 s until the next token; the tag tries again within a minute anyway.
      expect({ status: limited.status, retryAfter: limited.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '60' });
      expect((await from('198.51.100.2')).status).toBe(200);
      expect(upstream.received).toHaveLength(3);
    }, { RELAY_RATE_LIMIT_BURST: '2', RELAY_RATE_LIMIT_PER_SECOND: '0.01', RELAY_TRUST_PROXY: '1' });
  });

  // A scenario about time: eSputnik is slow, the relay's timeout is short.
  it('answers 504 when eSputnik takes longer than RELAY_UPSTREAM_TIMEOUT_MS', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_UPSTREAM_TIMEOUT_MS: '200' });
    const held: ServerResponse[] = [];
    upstream.next((res) => held.push(res));
    try {
      expect((await postTo(relay, CANCEL)).status).toBe(504);
    } finally {
      for (const res of held) res.destroy();
      await relay.close();
      await upstream.close();
    }
  });
});

describe('ecomtag-relay and a hostile eSputnik', () => {
  // Finding: a timed-out request kept its socket (undici dropped the Request's signal): 24–34 still open 6 s after 200
  // timeouts, handles 8 → 146 over 40k requests. A hundred at once keep theirs on the old relay, every time.
  it('lets go of every socket to an eSputnik that never answers, once each request timed out', async () => {
    await withRelay(async (relay, upstream) => {
      upstream.always(() => undefined);
      const agent = new Agent({ keepAlive: false });
      // A cart change of a different shopper each (one contact's hundred would meet its own limit).
      const post = (index: number) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(`${relay.url}/ecomtag/relay`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
          });
          req.once('error', reject);
          req.end(tagRequest(4 * index + 1));
        });
      expect(await Promise.all(Array.from({ length: 100 }, (_, index) => post(index)))).toEqual(Array(100).fill(504));
      expect(upstream.received).toHaveLength(100);
      // Aborted at the timeout, each socket closes at once; undici may open fresh idle ones, which it keeps 4 s at most.
      await until(() => upstream.open() === 0, 'eSputnik to see every socket closed', 8000);
      const reading = await relay.memory();
      expect(reading.resources.TCPSocketWrap ?? 0).toBe(0);
      expect(reading.resources.Timeout ?? 0).toBe(0);
    }, { RELAY_UPSTREAM_TIMEOUT_MS: '300', RELAY_RATE_LIMIT_BURST: '1000' }, { probe: true });
  });

  // Finding: a 100 MB error answer was read whole (RSS +300 MiB).
  it('reads a few kilobytes of a 100 MB error answer and closes the rest', async () => {
    await withRelay(async (relay, upstream) => {
      let written = 0;
      upstream.next((res) => {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 0x78);
        const pump = () => {
          while (written < 100 * 1024 * 1024 && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      });
      const before = await relay.memory();
      const answer = await postTo(relay, CART);
      expect({ status: answer.status, text: answer.text }).toEqual({ status: 400, text: '{"errors":["eSputnik refused the event"]}' });
      await until(() => upstream.open() === 0, 'the answer to be cut off', 10_000);
      // What the kernel's buffers took before the relay let go: a few megabytes, not a hundred.
      expect(written).toBeLessThan(16 * 1024 * 1024);
      const after = await relay.memory();
      expect(after.rss - before.rss).toBeLessThan(50 * 1024 * 1024);
    }, {}, { probe: true });
  });
});

describe('ecomtag-relay and its connections', () => {
  // Finding: silent connections were never closed (2,000 still open after 65 s).
  it('closes connections that send nothing once RELAY_HEADERS_TIMEOUT_MS has passed', async () => {
    await withRelay(async (relay) => {
      const silent = Array.from({ length: 200 }, () => open(relay.port));
      const times = await Promise.all(silent.map((connection) => within(connection.closed, 6000)));
      expect(times.filter((time) => time === 'still open')).toEqual([]);
      // A scenario about time: not before the deadline (less the time to connect), not long after it.
      expect(Math.min(...(times as number[]))).toBeGreaterThanOrEqual(400);
      expect((await postTo(relay, CART)).status).toBe(200);
    }, { RELAY_HEADERS_TIMEOUT_MS: '500' });
  });

  // Finding: with `ulimit -n 1024`, silent connections took the file descriptors and a shopper's event got 502 EMFILE.
  it('caps connections (RELAY_MAX_CONNECTIONS) below the file limit, so a held connection still reaches eSputnik', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_MAX_CONNECTIONS: '100', RELAY_HEADERS_TIMEOUT_MS: '60000', RELAY_IDLE_TIMEOUT_MS: '60000' }, { fileLimit: 256 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const silent: Array<ReturnType<typeof open>> = [];
    try {
      const shopper = () =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(`${relay.url}/ecomtag/relay`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' } }, (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
          });
          req.once('error', reject);
          req.end(CART);
        });
      expect(await shopper()).toBe(200);
      for (let i = 0; i < 300; i++) silent.push(open(relay.port));
      await Promise.all(silent.map((connection) => within(connection.connected, 2000)));
      // All but 99 are closed as they come: the shopper's kept-alive connection holds the 100th place.
      await until(() => silent.filter((connection) => connection.socket.destroyed).length >= 201, 'the relay to refuse connections past its cap', 10_000);
      expect(await shopper()).toBe(200);
      await relay.waitForLog((line) => line.msg === 'connection refused');
      expect(relay.logs.filter((line) => line.msg === 'connection refused')).toHaveLength(1);
      expect(relay.output.filter((line) => line.includes('EMFILE'))).toEqual([]);
    } finally {
      for (const connection of silent) connection.socket.destroy();
      agent.destroy();
      await relay.close();
      await upstream.close();
    }
  });

  // Finding: slow senders were cut only after 30/60 s instead of the configured 10/30 s. Scenarios about time.
  it('cuts a slow sender at RELAY_HEADERS_TIMEOUT_MS, and a slow body at RELAY_BODY_TIMEOUT_MS', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_HEADERS_TIMEOUT_MS: '600', RELAY_BODY_TIMEOUT_MS: '900' });
    const drips: Array<ReturnType<typeof setInterval>> = [];
    const drip = (socket: Socket, byte: string) => drips.push(setInterval(() => socket.writable && socket.write(byte), 100));
    try {
      const headers = open(relay.port);
      await headers.connected;
      headers.socket.write(`POST /ecomtag/relay HTTP/1.1\r\nHost: relay\r\nOrigin: ${ORIGIN}\r\n`);
      drip(headers.socket, 'X');
      const body = open(relay.port);
      await body.connected;
      body.socket.write(`POST /ecomtag/relay HTTP/1.1\r\nHost: relay\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{`);
      drip(body.socket, ' ');
      const [headersCut, bodyCut] = await Promise.all([within(headers.closed, 5000), within(body.closed, 5000)]);
      expect(headersCut).toBeGreaterThanOrEqual(550);
      expect(headersCut).toBeLessThan(2500);
      expect(bodyCut).toBeGreaterThanOrEqual(850);
      expect(bodyCut).toBeLessThan(2800);
    } finally {
      for (const timer of drips) clearInterval(timer);
      await relay.close();
      await upstream.close();
    }
  });

  it('closes a kept-alive connection with no request after RELAY_IDLE_TIMEOUT_MS', async () => {
    await withRelay(async (relay) => {
      const connection = open(relay.port);
      await connection.connected;
      const answered = new Promise<void>((resolve) => connection.socket.once('data', () => resolve()));
      connection.socket.write(`POST /ecomtag/relay HTTP/1.1\r\nHost: relay\r\nOrigin: ${ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(CART)}\r\n\r\n${CART}`);
      await answered;
      const idleFrom = performance.now();
      expect(await within(connection.closed, 5000)).not.toBe('still open');
      const idle = performance.now() - idleFrom;
      expect(idle).toBeGreaterThanOrEqual(400);
      expect(idle).toBeLessThan(2500);
    }, { RELAY_IDLE_TIMEOUT_MS: '500' });
  });
});

describe('ecomtag-relay, stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} stops accepting, finishes the request in flight, then exits 0`, async () => {
      const upstream = await startUpstream();
      const relay = await start(upstream);
      const held: ServerResponse[] = [];
      upstream.next((res) => held.push(res));
      const inFlight = postTo(relay, CART);
      await until(() => held.length === 1, 'the request to reach eSputnik');

      const exit = relay.close(signal);
      await relay.waitForLog((line) => line.msg === 'stopping');
      // No new connections once stopping.
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(relay.port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      expect(relay.child.exitCode).toBeNull();

      held[0].writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.headers.get('connection')).toBe('close');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(relay.logs.map((line) => line.msg)).toEqual(['listening', 'signal', 'stopping', 'request', 'stopped']);
      await upstream.close();
    });
  }

  // Finding: silent sockets stretched every shutdown to its full timeout.
  it('closes idle and silent connections at once when told to stop', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_SHUTDOWN_TIMEOUT_MS: '20000', RELAY_HEADERS_TIMEOUT_MS: '60000', RELAY_IDLE_TIMEOUT_MS: '60000' });
    const silent = Array.from({ length: 20 }, () => open(relay.port));
    await Promise.all(silent.map((connection) => connection.connected));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${relay.url}/healthz`, { agent }, (res) => res.resume().once('end', () => resolve()));
      req.once('error', reject).end();
    });
    const started = performance.now();
    expect(await relay.close()).toEqual({ code: 0, signal: null });
    // A scenario about time: far inside the 20 s grace period, which only requests in flight may use.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(relay.logs.some((line) => line.msg === 'cutting requests still in flight')).toBe(false);
    expect(await within(Promise.all(silent.map((connection) => connection.closed)), 2000)).not.toBe('still open');
    agent.destroy();
    await upstream.close();
  });

  // A scenario about time: the grace period is what is being tested.
  it('cuts requests still in flight after RELAY_SHUTDOWN_TIMEOUT_MS and exits 0', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_SHUTDOWN_TIMEOUT_MS: '300', RELAY_UPSTREAM_TIMEOUT_MS: '60000' });
    const held: ServerResponse[] = [];
    upstream.next((res) => held.push(res));
    const inFlight = postTo(relay, CART).then(
      () => 'answered',
      () => 'cut',
    );
    await until(() => held.length === 1, 'the request to reach eSputnik');
    expect(await relay.close()).toEqual({ code: 0, signal: null });
    expect(await inFlight).toBe('cut');
    expect(relay.logs.some((line) => line.msg === 'cutting requests still in flight')).toBe(true);
    held[0].destroy();
    await upstream.close();
  });
});

describe('ecomtag-relay, starting wrong', () => {
  const origins = 'https://shop.example';
  it.each<[string, Record<string, string>, string]>([
    [
      'nothing set',
      {},
      "ecomtag-relay: cannot start: ESPUTNIK_API_KEY is required (the eSputnik API key); RELAY_ALLOWED_ORIGINS is required (the store's origins, comma-separated, e.g. https://shop.example)",
    ],
    ['no key', { RELAY_ALLOWED_ORIGINS: origins }, 'ecomtag-relay: cannot start: ESPUTNIK_API_KEY is required (the eSputnik API key)'],
    [
      'no origins',
      { ESPUTNIK_API_KEY: KEY },
      "ecomtag-relay: cannot start: RELAY_ALLOWED_ORIGINS is required (the store's origins, comma-separated, e.g. https://shop.example)",
    ],
    [
      'an origin with a path',
      { ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: 'https://shop.example/relay' },
      'ecomtag-relay: cannot start: allowed origin "https://shop.example/relay" is not an origin like https://shop.example (scheme and host, no path)',
    ],
    ['a port that is not one', { ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: origins, RELAY_PORT: 'eighty' }, 'ecomtag-relay: cannot start: RELAY_PORT must be a whole number of at least 0'],
    ['an ESPUTNIK_URL that is not a URL', { ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: origins, ESPUTNIK_URL: 'esputnik.com' }, 'ecomtag-relay: cannot start: esputnikUrl must be an http(s) URL'],
    [
      'a short RELAY_IDENTITY_SECRET',
      { ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: origins, RELAY_IDENTITY_SECRET: 'letmein' },
      'ecomtag-relay: cannot start: RELAY_IDENTITY_SECRET must be at least 32 characters (e.g. the output of openssl rand -hex 32)',
    ],
    [
      // Finding: order changes were open by default; now a page can never send them.
      'orderDelivered in RELAY_EVENTS',
      { ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: origins, RELAY_EVENTS: 'orderCreated,orderDelivered' },
      'ecomtag-relay: cannot start: RELAY_EVENTS must be a comma-separated list of: pageViewed, productViewed, productCategoryViewed, cartUpdated, productImpressions, productAddedToWishlist, searchRequest, orderCreated, orderCancelled (orderUpdated and orderDelivered come only from the back office)',
    ],
  ])('%s: one line on stderr, exit 1', async (_, env, line) => {
    const result = await runRelayToExit(env);
    seen.push(result.stdout, result.stderr);
    expect(result).toEqual({ code: 1, signal: null, stdout: '', stderr: `${line}\n` });
  });

  it('a port already taken: one line on stderr, exit 1', async () => {
    const blocker = createServer();
    const port = await listen(blocker, 0);
    try {
      const result = await runRelayToExit({ ESPUTNIK_API_KEY: KEY, RELAY_ALLOWED_ORIGINS: origins, RELAY_HOST: '127.0.0.1', RELAY_PORT: String(port) });
      seen.push(result.stdout, result.stderr);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ecomtag-relay: cannot start: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
    } finally {
      await shutdown(blocker);
    }
  });
});

describe('ecomtag-relay, the key', () => {
  it('appeared in no response and in no line any relay of this file wrote', () => {
    const everything = [...seen, ...relays.flatMap((relay) => relay.output)];
    expect(everything.length).toBeGreaterThan(30);
    for (const text of everything) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(CREDENTIALS);
    }
  });

  it('signs nothing it was not given: an identity made with another secret is refused over the wire', async () => {
    await withRelay(async (relay, upstream) => {
      const forged = { ...BODIES.cartUpdated, identity: identity('email:anna@example.com', { secret: 'x'.repeat(40) }) };
      expect(JSON.parse((await postTo(relay, JSON.stringify(forged))).text)).toEqual({ errors: ['identity signature is wrong'] });
      expect(upstream.received).toEqual([]);
    });
  });
});
