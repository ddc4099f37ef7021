// The built relay as a store runs it: `node dist/relay.mjs` (what `npx ecomtag-relay` starts), configured by its
// environment, in front of a stand-in eSputnik on 127.0.0.1. `node build.mjs` must have run (npm test does).
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, shutdown } from '../support/http.mjs';
import { runRelayToExit, startRelay, type RelayProcess } from '../support/relay-process.mjs';

const KEY = 'es-live-key-0b7c2e94d1a3f658';
const CREDENTIALS = Buffer.from(`ecomtag:${KEY}`).toString('base64');
const ORIGIN = 'http://127.0.0.1:8080';
const ORDER = JSON.stringify({
  eventTypeKey: 'orderCreated',
  keyValue: 'anna@example.com',
  params: [
    { name: 'email', value: 'anna@example.com' },
    { name: 'externalOrderId', value: '10031004' },
    { name: 'totalCost', value: '301' },
    { name: 'status', value: 'INITIALIZED' },
    { name: 'date', value: '2026-11-22T10:11:00' },
    { name: 'items', value: '[{"externalItemId":"1003","name":"USB-удлинитель","quantity":2,"cost":150.5}]' },
  ],
});
const CANCEL = JSON.stringify({ eventTypeKey: 'orderCancelled', keyValue: 'anna@example.com', params: [{ name: 'email', value: 'anna@example.com' }, { name: 'externalOrderId', value: '10031004' }] });

/** Every response text and every output line of every relay in this file, checked for the key at the end. */
const seen: string[] = [];
const relays: RelayProcess[] = [];

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in for https://esputnik.com/api/v2/event: records what arrives, answers as told (200 by default). */
const startUpstream = async () => {
  const received: Received[] = [];
  const plan: Array<(res: ServerResponse) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      (plan.shift() ?? ((r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')))(res);
    });
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}/api/v2/event`,
    received,
    /** The next request is answered by `answer` (which may keep it waiting). */
    next: (answer: (res: ServerResponse) => void) => plan.push(answer),
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

const start = async (upstream: Upstream, env: Record<string, string> = {}) => {
  const relay = await startRelay({ apiKey: KEY, allowedOrigins: [ORIGIN, 'https://shop.example'], upstreamUrl: upstream.url, env });
  relays.push(relay);
  return relay;
};

const postTo = async (relay: RelayProcess, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${relay.url}/ecomtag/relay`, { method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', ...headers }, body });
  const text = await response.text();
  seen.push(`${response.status} ${JSON.stringify(Object.fromEntries(response.headers))} ${text}`);
  return { status: response.status, headers: response.headers, text };
};

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

  it('forwards what the tag posts, byte for byte, with Basic auth, and answers with CORS', async () => {
    const before = upstream.received.length;
    const response = await postTo(relay, ORDER);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ok: true });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const [arrived] = upstream.received.slice(before);
    expect(arrived.method).toBe('POST');
    expect(arrived.url).toBe('/api/v2/event');
    expect(arrived.headers.authorization).toBe(`Basic ${CREDENTIALS}`);
    expect(arrived.headers['content-type']).toBe('application/json');
    expect(arrived.headers.origin).toBeUndefined();
    expect(arrived.body.equals(Buffer.from(ORDER))).toBe(true);
  });

  it('logs one JSON line per request on stdout, without the body or the contact', async () => {
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
      { status: 400, eventTypeKey: 'orderCreated', client: '127.0.0.1', upstream: null },
    ]);
    for (const line of relay.output) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain('anna@example.com');
      expect(line).not.toContain('удлинитель');
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
});

describe('ecomtag-relay, limits from the environment', () => {
  it('rate-limits a client per RELAY_RATE_LIMIT_*, and X-Forwarded-For only with RELAY_TRUST_PROXY', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_RATE_LIMIT_BURST: '2', RELAY_RATE_LIMIT_PER_SECOND: '0.01', RELAY_TRUST_PROXY: '1' });
    try {
      const from = (address: string) => postTo(relay, CANCEL, { 'X-Forwarded-For': address });
      expect([(await from('198.51.100.1')).status, (await from('198.51.100.1')).status]).toEqual([200, 200]);
      const limited = await from('198.51.100.1');
      expect({ status: limited.status, retryAfter: limited.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '100' });
      expect((await from('198.51.100.2')).status).toBe(200);
      expect(upstream.received).toHaveLength(3);
    } finally {
      await relay.close();
      await upstream.close();
    }
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

describe('ecomtag-relay, stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} stops accepting, finishes the request in flight, then exits 0`, async () => {
      const upstream = await startUpstream();
      const relay = await start(upstream);
      const held: ServerResponse[] = [];
      upstream.next((res) => held.push(res));
      const inFlight = postTo(relay, ORDER);
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

  // A scenario about time: the grace period is what is being tested.
  it('cuts requests still in flight after RELAY_SHUTDOWN_TIMEOUT_MS and exits 0', async () => {
    const upstream = await startUpstream();
    const relay = await start(upstream, { RELAY_SHUTDOWN_TIMEOUT_MS: '300', RELAY_UPSTREAM_TIMEOUT_MS: '60000' });
    const held: ServerResponse[] = [];
    upstream.next((res) => held.push(res));
    const inFlight = postTo(relay, ORDER).then(
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
});
