/**
 * serveRelay: the relay's handler on node:http, no framework. It turns each IncomingMessage into a Request whose
 * body streams (so the handler's 20 KB limit stops reading at 20 KB, whatever the client sends), writes the
 * Response back, keeps every connection to its deadlines (connections.ts), and shuts down gracefully.
 *
 * node:http is imported when serveRelay runs, not at load: the module that exports createRelay is the same one,
 * and an edge host that imports it for createRelay has no node:http.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { superviseConnections, CONNECTION_DEFAULTS } from './connections';
import { createRelay, DEFAULTS } from './relay';
import type { RelayHandler, RelayLogLine, RelayRequestLog, RelayServer, ServeRelay } from './types';

export const DEFAULT_PORT = 8787;
/** Behind the store's reverse proxy on the same machine; another interface only when told (RELAY_HOST). */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * After an early answer (403, 413, 415, 429) the rest of the body is read and dropped rather than the connection
 * reset, so the client reads the answer; past this much the connection is cut.
 */
const DISCARD_LIMIT_BYTES = 1024 * 1024;

const writeLine = (line: RelayLogLine) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/**
 * The request body as a web stream that reads from the socket only as fast as the handler asks. release() stops
 * feeding it and drops the rest of the body.
 */
const bodyStream = (req: IncomingMessage) => {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DISCARD_LIMIT_BYTES) req.socket.destroy();
    });
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (released) return;
          controller.enqueue(new Uint8Array(chunk));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          if (!released) controller.close();
          released = true;
        });
        // 'close' before 'end': the client went away mid-body.
        req.once('close', () => {
          if (!released) controller.error(new Error('the client closed the connection'));
          released = true;
        });
      },
      pull() {
        if (!released) req.resume();
      },
      cancel: release,
    },
    { highWaterMark: 16 * 1024, size: (chunk) => chunk.byteLength },
  );
  return { stream, release };
};

const toHeaders = (raw: string[]): Headers => {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return headers;
};

const serve = async (handler: RelayHandler, req: IncomingMessage, res: ServerResponse, stopping: () => boolean, log: (line: RelayLogLine) => void) => {
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? bodyStream(req) : null;
  let request: Request;
  try {
    // The Host header is the client's to write; the handler needs only the path, so the origin is fixed.
    const path = req.url?.startsWith('/') ? req.url : '/';
    // duplex: a streamed body must say so (undici); DOM's typings do not know the field yet.
    const init: RequestInit & { duplex: 'half' } = { method, headers: toHeaders(req.rawHeaders), body: body?.stream, duplex: 'half' };
    request = new Request(`http://relay.invalid${path}`, init);
  } catch {
    // What fetch's Request will not carry (TRACE, a malformed header) is nothing the relay serves.
    body?.release();
    const line: RelayRequestLog = {
      time: new Date().toISOString(),
      level: 'warn',
      msg: 'request',
      method: method.slice(0, 20),
      path: (req.url ?? '').split('?')[0].slice(0, 200),
      status: 405,
      ms: 0,
      eventTypeKey: null,
      client: req.socket.remoteAddress ?? null,
      upstream: null,
      contactUpstream: null,
      reason: 'not a request the relay serves',
    };
    log(line);
    res.writeHead(405, { Allow: 'POST, OPTIONS', 'Content-Type': 'application/json; charset=utf-8', ...(stopping() ? { Connection: 'close' } : {}) });
    res.end(JSON.stringify({ errors: ['only POST is accepted'] }));
    return;
  }
  const response = await handler(request, { client: req.socket.remoteAddress });
  const payload = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  if (response.status !== 204 && response.status !== 304) headers['Content-Length'] = String(payload.length);
  // Set at answer time: a request that began before close() still leaves on a connection that then closes.
  if (stopping()) headers.Connection = 'close';
  // Answered before the whole body arrived: read and drop the rest, so the answer is what the client sees.
  if (!req.complete) body?.release();
  res.writeHead(response.status, headers);
  res.end(payload);
};

export const serveRelay: ServeRelay = async (options) => {
  const { createServer } = await import('node:http');
  const log = options.log ?? writeLine;
  const handler = createRelay({ ...options, log });
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('port must be a whole number from 0 to 65535');
  const whole = (value: number | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
    return value;
  };
  const deadlines = {
    headersTimeoutMs: whole(options.headersTimeoutMs, CONNECTION_DEFAULTS.headersTimeoutMs, 'headersTimeoutMs'),
    bodyTimeoutMs: whole(options.bodyTimeoutMs, CONNECTION_DEFAULTS.bodyTimeoutMs, 'bodyTimeoutMs'),
    idleTimeoutMs: whole(options.idleTimeoutMs, CONNECTION_DEFAULTS.idleTimeoutMs, 'idleTimeoutMs'),
  };
  const maxConnections = whole(options.maxConnections, CONNECTION_DEFAULTS.maxConnections, 'maxConnections');
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? (options.upstreamTimeoutMs ?? DEFAULTS.upstreamTimeoutMs) + 5000;
  let stopping = false;

  // Node's own timeouts are checked only every connectionsCheckingInterval (30 s), and not at all for a connection
  // that never sends a byte: they stay as a backstop, and connections.ts keeps the deadlines to the millisecond.
  const server = createServer(
    {
      headersTimeout: deadlines.headersTimeoutMs,
      requestTimeout: deadlines.headersTimeoutMs + deadlines.bodyTimeoutMs,
      keepAliveTimeout: deadlines.idleTimeoutMs,
    },
    (req, res) => {
      serve(handler, req, res, () => stopping, log).catch((error: unknown) => {
        log({ time: new Date().toISOString(), level: 'error', msg: 'response failed', reason: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' }).end('{"errors":["internal error; retry later"]}');
        else res.destroy();
      });
    },
  );
  server.maxConnections = maxConnections;
  const connections = superviseConnections(server, { ...deadlines, maxConnections, log });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: options.host ?? DEFAULT_HOST }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log({ time: new Date().toISOString(), level: 'error', msg: 'server error', reason: error.message }));

  const address = server.address() as AddressInfo;
  const shown = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
  log({ time: new Date().toISOString(), level: 'info', msg: 'listening', url, host: address.address, port: address.port });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      stopping = true;
      // Bounded: a request still running after the grace period is cut (the tag retries what got no answer).
      const timer = setTimeout(() => {
        log({ time: new Date().toISOString(), level: 'warn', msg: 'cutting requests still in flight', inFlight: connections.busy() });
        connections.closeAll();
      }, shutdownTimeoutMs);
      server.close(() => {
        clearTimeout(timer);
        log({ time: new Date().toISOString(), level: 'info', msg: 'stopped' });
        resolve();
      });
      // Idle and silent connections go at once; busy ones as soon as their answer is out.
      connections.stop();
      // Said once it is true: whoever reads this line finds the port closed.
      log({ time: new Date().toISOString(), level: 'info', msg: 'stopping', inFlight: connections.busy() });
    }));

  const relayServer: RelayServer = { url, port: address.port, close };
  return relayServer;
};
