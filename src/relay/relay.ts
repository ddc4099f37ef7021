/**
 * createRelay: the fetch-style handler that takes the tag's Generate event bodies and forwards them to eSputnik
 * with the store's key. Only web-standard APIs here (Request, Response, fetch, AbortController, TextEncoder,
 * TextDecoder, btoa, performance), so the same handler runs in Node (node.ts) and on serverless and edge hosts.
 *
 * The order of the checks is the order of their cost: headers first, then the body, then eSputnik.
 */
import { acceptsMediaType, BODY_LIMIT_BYTES, readLimited, withoutBom } from './body';
import { clientAddress, rateKey } from './client';
import { corsHeaders, parseOrigins, preflightHeaders } from './cors';
import { checkEvent, EVENT_TYPES, isKnown } from './events';
import { createRateLimiter } from './rate-limit';
import type { RelayHandler, RelayLogLevel, RelayLogLine, RelayOptions, RelayRequestLog } from './types';
import { basicAuthorization, forward } from './upstream';

export const DEFAULTS = {
  esputnikUrl: 'https://esputnik.com/api/v2/event',
  upstreamTimeoutMs: 10_000,
  upstreamRetryAfterSeconds: 5,
  rateLimit: { burst: 60, perSecond: 10, maxClients: 10_000 },
  maxInFlight: 500,
} as const;

/**
 * Reasons a 400 lists at most. A body of 20 KB can break a rule thousands of times (3 for each `{}` item of an
 * order), and listing each would answer it with most of a megabyte; the first ones tell the developer enough.
 */
const LISTED_ERRORS = 20;

/** eSputnik reads the password; the user name is free, and says who is calling. */
const AUTH_USER = 'ecomtag';

const positive = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

const defaultLog = (line: RelayLogLine) => console.log(JSON.stringify(line));

export const createRelay = (options: RelayOptions): RelayHandler => {
  // Settings are checked once, here, so a misconfigured relay fails at start and not on the first shopper.
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new Error('apiKey is required: the eSputnik API key');
  const apiKey = options.apiKey.trim();
  const origins = parseOrigins(options.allowedOrigins ?? []);
  const esputnikUrl = options.esputnikUrl ?? DEFAULTS.esputnikUrl;
  if (!isHttpUrl(esputnikUrl)) throw new Error('esputnikUrl must be an http(s) URL');
  const trustProxy = options.trustProxy ?? 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0) throw new Error('trustProxy must be a whole number of proxies (0 to ignore X-Forwarded-For)');
  const maxInFlight = options.maxInFlight ?? DEFAULTS.maxInFlight;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error('maxInFlight must be a whole number of at least 1');
  const events = options.events ?? EVENT_TYPES;
  if (!Array.isArray(events) || events.length === 0 || !events.every(isKnown)) {
    throw new Error(`events must list event types among ${EVENT_TYPES.join(', ')}`);
  }
  const limits = options.rateLimit === false ? null : { ...DEFAULTS.rateLimit, ...options.rateLimit };
  const limiter = limits
    ? createRateLimiter({
        burst: positive(limits.burst, DEFAULTS.rateLimit.burst, 'rateLimit.burst'),
        perSecond: positive(limits.perSecond, DEFAULTS.rateLimit.perSecond, 'rateLimit.perSecond'),
        maxClients: positive(limits.maxClients, DEFAULTS.rateLimit.maxClients, 'rateLimit.maxClients'),
      })
    : null;
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? defaultLog;
  const authorization = basicAuthorization(AUTH_USER, apiKey);
  const upstream = {
    url: esputnikUrl,
    authorization,
    timeoutMs: positive(options.upstreamTimeoutMs, DEFAULTS.upstreamTimeoutMs, 'upstreamTimeoutMs'),
    retryAfterSeconds: positive(options.upstreamRetryAfterSeconds, DEFAULTS.upstreamRetryAfterSeconds, 'upstreamRetryAfterSeconds'),
    fetch: options.fetch ?? ((request: Request) => fetch(request)),
  };
  // Belt and braces: text that came from elsewhere (eSputnik's message, an error) passes through this before it
  // is logged or returned, so the key cannot leave even if eSputnik echoed it.
  const redact = (text: string) => text.split(apiKey).join('[redacted]').split(authorization.slice(6)).join('[redacted]');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** Requests forwarded to eSputnik and not answered yet. */
  let inFlight = 0;

  return async (request, info) => {
    const started = now();
    const path = new URL(request.url).pathname;
    const client = clientAddress(request.headers, info?.client, trustProxy);
    const entry: Pick<RelayRequestLog, 'eventTypeKey' | 'upstream' | 'reason'> = { eventTypeKey: null, upstream: null, reason: null };
    let loud = false;
    const origin = request.headers.get('Origin');
    const allowed = origin !== null && origins.has(origin);
    // Vary on every answer: a cache must not hand one origin's answer to another.
    const cors = allowed ? corsHeaders(origin) : { Vary: 'Origin' };

    const respond = async (): Promise<Response> => {
      if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
        return new Response('ok', { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
      }
      const refuse = (status: number, reason: string, error: string, headers: Record<string, string> = {}) => {
        entry.reason = reason;
        return json(status, { errors: [error] }, { ...cors, ...headers });
      };

      if (request.method === 'OPTIONS') {
        if (!allowed) return refuse(403, origin === null ? 'no Origin header' : 'origin not allowed', originError(origin));
        return new Response(null, { status: 204, headers: { ...preflightHeaders(origin), Allow: 'POST, OPTIONS' } });
      }
      if (request.method !== 'POST') return refuse(405, 'method not allowed', 'only POST is accepted', { Allow: 'POST, OPTIONS' });
      if (!allowed) return refuse(403, origin === null ? 'no Origin header' : 'origin not allowed', originError(origin));

      if (limiter) {
        const verdict = limiter.take(rateKey(client), now());
        if (!verdict.ok) {
          return refuse(429, 'rate limited', `too many requests; retry in ${verdict.retryAfterSeconds} s`, {
            'Retry-After': String(verdict.retryAfterSeconds),
          });
        }
      }
      if (!acceptsMediaType(request.headers.get('Content-Type'))) {
        return refuse(415, 'unsupported media type', 'Content-Type must be application/json or text/plain (UTF-8)');
      }
      const tooLarge = () => refuse(413, `body over ${BODY_LIMIT_BYTES} bytes`, `the body must be at most ${BODY_LIMIT_BYTES} bytes`);
      if (Number(request.headers.get('Content-Length')) > BODY_LIMIT_BYTES) return tooLarge();
      let bytes: Uint8Array<ArrayBuffer> | null;
      try {
        bytes = await readLimited(request, BODY_LIMIT_BYTES);
      } catch {
        return refuse(400, 'the body could not be read', 'the body could not be read');
      }
      if (bytes === null) return tooLarge();
      bytes = withoutBom(bytes);

      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(bytes));
      } catch (error) {
        // The parser's own message quotes the body; it stays out of the answer and the log.
        const reason = error instanceof SyntaxError ? 'the body is not JSON' : 'the body is not UTF-8';
        return refuse(400, reason, reason);
      }
      const verdict = checkEvent(body, events);
      entry.eventTypeKey = verdict.eventTypeKey;
      if (verdict.errors.length > 0) {
        const listed = verdict.errors.slice(0, LISTED_ERRORS);
        if (verdict.errors.length > LISTED_ERRORS) listed.push(`and ${verdict.errors.length - LISTED_ERRORS} more`);
        entry.reason = listed.join('; ').slice(0, 1000);
        return json(400, { errors: listed }, cors);
      }

      // While eSputnik is slow every request waits for it up to the timeout, holding its body, its Request and two
      // sockets (about 40 KB): past maxInFlight of them the relay refuses at once rather than pile up more.
      if (inFlight >= maxInFlight) {
        return refuse(503, `${maxInFlight} requests already waiting for eSputnik`, 'the relay is busy; retry later', {
          'Retry-After': String(upstream.retryAfterSeconds),
        });
      }
      inFlight += 1;
      let result;
      try {
        result = await forward(bytes, upstream, redact);
      } finally {
        inFlight -= 1;
      }
      entry.upstream = result.upstream;
      entry.reason = result.reason;
      loud = result.loud === true;
      if (result.error === undefined) return json(200, { ok: true }, cors);
      const headers: Record<string, string> = { ...cors };
      if (result.retryAfterSeconds !== undefined) headers['Retry-After'] = String(result.retryAfterSeconds);
      return json(result.status, { errors: [result.error] }, headers);
    };

    let response: Response;
    try {
      response = await respond();
    } catch (error) {
      // A bug, not the client's fault; 500 is retryable, so the tag keeps the event.
      entry.reason = redact(`internal error: ${error instanceof Error ? error.message : String(error)}`).slice(0, 500);
      loud = true;
      response = json(500, { errors: ['internal error; retry later'] }, cors);
    }
    const level: RelayLogLevel = loud || response.status >= 500 ? 'error' : response.status >= 400 ? 'warn' : 'info';
    try {
      log({
        time: new Date().toISOString(),
        level,
        msg: 'request',
        method: request.method.slice(0, 20),
        path: path.slice(0, 200),
        status: response.status,
        ms: Math.max(0, Math.round(now() - started)),
        eventTypeKey: entry.eventTypeKey,
        client,
        upstream: entry.upstream,
        reason: entry.reason,
      });
    } catch {
      // A broken log must not turn a delivered event into a failure the tag would retry.
    }
    return response;
  };
};

const originError = (origin: string | null) => (origin === null ? 'the Origin header is missing' : 'this origin may not post here');

const json = (status: number, payload: unknown, headers: Record<string, string>) =>
  new Response(JSON.stringify(payload), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });
