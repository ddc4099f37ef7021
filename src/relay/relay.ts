/**
 * createRelay: the fetch-style handler in front of eSputnik. Only web-standard APIs here (Request, Response, fetch,
 * AbortController, crypto.subtle, TextEncoder, btoa, performance), so the same handler runs in Node (node.ts) and on
 * serverless and edge hosts.
 *
 * Its routes: `GET /healthz`, `POST /backoffice/orders` (the back office's lane, backoffice/lane.ts: a Bearer token,
 * no Origin; 404 unless it is configured), then the browser lane on every other path (browser/lane.ts). The lanes share
 * the same eSputnik client, contact book, gate and order owners (LaneContext).
 */
import { json, type RequestEntry } from './answer';
import { createBackOfficeLane } from './backoffice/lane';
import { createTokenCheck } from './backoffice/token';
import { BACK_OFFICE_EVENTS, BROWSER_EVENTS, createBrowserLane, type Lane, type LaneContext } from './browser/lane';
import { corsHeaders, parseOrigins } from './browser/cors';
import { clientAddress } from './client';
import { EVENT_TYPES, isKnown, type KnownEventType } from './events/rules';
import { createVerifier } from './identity';
import { createMemory } from './memory';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { createRedactor } from './redact';
import type { RelayBackOfficeOptions, RelayHandler, RelayLogLevel, RelayLogLine, RelayOptions, RelayRateLimit } from './types';
import { createCalltouch, DEFAULT_CALLTOUCH_URL } from './upstream/calltouch';
import { createContactBook } from './upstream/contacts';
import { basicAuthorization, createEsputnik } from './upstream/esputnik';
import { createGate } from './upstream/gate';

export const DEFAULTS = {
  esputnikUrl: 'https://esputnik.com/api/v2/event',
  upstreamTimeoutMs: 10_000,
  upstreamRetryAfterSeconds: 5,
  rateLimit: { burst: 60, perSecond: 10, maxClients: 10_000 },
  contactRateLimit: { burst: 30, perSecond: 0.5, maxClients: 10_000 },
  maxRps: 200,
  maxInFlight: 200,
  backOfficeRateLimit: { burst: 20, perSecond: 5, maxClients: 1000 },
} as const;

/** Where the back office answers. */
export const BACK_OFFICE_PATH = '/backoffice/orders';

/**
 * Calls to Calltouch's e-commerce endpoint from the back office, a second and waiting at once: it documents no limit
 * (it takes every shopper's events of every site), and a store's back office sends a few a minute; a full batch
 * passes, a flood of them is spread.
 */
const CALLTOUCH_GATE = { maxRps: 100, maxInFlight: 20 };

/** What each destination took, per order: long enough for a late retry or a cron job run again, bounded. */
const TAKEN_MEMORY_MS = 30 * 24 * 3600 * 1000;
const TAKEN_MEMORY_ENTRIES = 20_000;

/** Which contact placed which order, so another contact cannot cancel it: as long as a refund is likely, bounded. */
const ORDER_MEMORY_MS = 30 * 24 * 3600 * 1000;
const ORDER_MEMORY_ENTRIES = 20_000;

/** A warning a client can cause is logged at most this often, not once per request. */
const WARNING_INTERVAL_MS = 10 * 60 * 1000;

/** eSputnik reads the password; the user name is free, and says who is calling. */
const AUTH_USER = 'ecomtag';

const positive = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const wholeAtLeastOne = (value: number | undefined, fallback: number, name: string): number => {
  const checked = positive(value, fallback, name);
  if (!Number.isInteger(checked)) throw new Error(`${name} must be a whole number of at least 1`);
  return checked;
};

const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

const limiter = (given: RelayRateLimit | false | undefined, defaults: Required<RelayRateLimit>, name: string): RateLimiter | null => {
  if (given === false) return null;
  const limits = { ...defaults, ...given };
  return createRateLimiter({
    burst: positive(limits.burst, defaults.burst, `${name}.burst`),
    perSecond: positive(limits.perSecond, defaults.perSecond, `${name}.perSecond`),
    maxKeys: wholeAtLeastOne(limits.maxClients, defaults.maxClients, `${name}.maxClients`),
  });
};

const browserEvents = (events: readonly string[] | undefined): KnownEventType[] => {
  const list = events ?? BROWSER_EVENTS;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isKnown)) throw new Error(`events must list event types among ${EVENT_TYPES.join(', ')}`);
  const backOffice = list.filter((type) => BACK_OFFICE_EVENTS.includes(type));
  if (backOffice.length > 0) throw new Error(`events may not list ${backOffice.join(', ')}: a page never changes an order after it was placed (the back office does)`);
  return [...list];
};

const defaultLog = (line: RelayLogLine) => console.log(JSON.stringify(line));

const calltouchSite = (siteId: number | undefined): number | undefined => {
  if (siteId !== undefined && !(Number.isSafeInteger(siteId) && siteId > 0)) throw new Error('backOffice.calltouchSiteId must be a whole number, Calltouch\'s site id');
  return siteId;
};

export const createRelay = (options: RelayOptions): RelayHandler => {
  // Settings are checked once, here, so a misconfigured relay fails at start and not on the first shopper.
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new Error('apiKey is required: the eSputnik API key');
  const apiKey = options.apiKey.trim();
  const origins = parseOrigins(options.allowedOrigins ?? []);
  const esputnikUrl = options.esputnikUrl ?? DEFAULTS.esputnikUrl;
  if (!isHttpUrl(esputnikUrl)) throw new Error('esputnikUrl must be an http(s) URL');
  const trustProxy = options.trustProxy ?? 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0) throw new Error('trustProxy must be a whole number of proxies (0 to ignore X-Forwarded-For)');
  const events = browserEvents(options.events);
  const itemHosts = new Set([...origins].map((origin) => new URL(origin).hostname));
  for (const host of options.itemHosts ?? []) {
    const name = host.trim().toLowerCase();
    if (name === '') continue;
    if (!/^[a-z0-9.-]+$/.test(name) && !/^\[[0-9a-f:.]+\]$/.test(name)) throw new Error(`item host "${host}" is not a host name like cdn.shop.example`);
    itemHosts.add(name);
  }
  const verify = options.identitySecret === undefined ? null : createVerifier(options.identitySecret);
  const unsignedActivity = options.unsignedActivity === true;
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? defaultLog;
  const authorization = basicAuthorization(AUTH_USER, apiKey);
  const retryAfterSeconds = positive(options.upstreamRetryAfterSeconds, DEFAULTS.upstreamRetryAfterSeconds, 'upstreamRetryAfterSeconds');
  // Text that came from elsewhere (eSputnik's message, an error) passes through this before it is logged.
  // The Authorization value whole as well: echoed, it is replaced entire, not around the key's bytes inside it.
  const backOffice: RelayBackOfficeOptions | undefined = options.backOffice;
  const redact = createRedactor([
    apiKey,
    authorization.slice('Basic '.length),
    ...(options.identitySecret === undefined ? [] : [options.identitySecret]),
    ...(typeof backOffice?.token === 'string' ? [backOffice.token] : []),
  ]);
  const fetcher = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const timeoutMs = positive(options.upstreamTimeoutMs, DEFAULTS.upstreamTimeoutMs, 'upstreamTimeoutMs');
  const esputnik = createEsputnik({
    eventUrl: esputnikUrl,
    contactUrl: new URL('/api/v1/contact', esputnikUrl).href,
    authorization,
    timeoutMs,
    retryAfterSeconds,
    fetch: fetcher,
    redact,
  });
  const context: LaneContext = {
    esputnik,
    contactBook: createContactBook(esputnik),
    orderOwners: createMemory<string>({ ttlMs: ORDER_MEMORY_MS, maxEntries: ORDER_MEMORY_ENTRIES }),
    gate: createGate({
      maxRps: positive(options.maxRps, DEFAULTS.maxRps, 'maxRps'),
      maxInFlight: wholeAtLeastOne(options.maxInFlight, DEFAULTS.maxInFlight, 'maxInFlight'),
      retryAfterSeconds,
    }),
    retryAfterSeconds,
    now,
  };
  const browser: Lane = createBrowserLane(
    {
      origins,
      events,
      unsignedActivity,
      verify,
      itemHosts,
      clients: limiter(options.rateLimit, DEFAULTS.rateLimit, 'rateLimit'),
      contacts: limiter(options.contactRateLimit, DEFAULTS.contactRateLimit, 'contactRateLimit'),
    },
    context,
  );

  let backOfficeLane: Lane | null = null;
  if (backOffice !== undefined) {
    const calltouchUrl = backOffice.calltouchUrl ?? DEFAULT_CALLTOUCH_URL;
    if (!isHttpUrl(calltouchUrl)) throw new Error('backOffice.calltouchUrl must be an http(s) URL');
    const siteId = calltouchSite(backOffice.calltouchSiteId);
    backOfficeLane = createBackOfficeLane(
      { checkToken: createTokenCheck(backOffice.token), clients: limiter(backOffice.rateLimit, DEFAULTS.backOfficeRateLimit, 'backOffice.rateLimit'), redact },
      {
        lane: context,
        calltouch:
          siteId === undefined
            ? null
            : {
                siteId,
                service: createCalltouch({ url: calltouchUrl, timeoutMs, retryAfterSeconds, fetch: fetcher, redact }),
                gate: createGate({ ...CALLTOUCH_GATE, retryAfterSeconds, service: 'Calltouch' }),
              },
        taken: createMemory<string>({ ttlMs: TAKEN_MEMORY_MS, maxEntries: TAKEN_MEMORY_ENTRIES }),
        pending: new Map(),
      },
    );
  }

  const say = (level: RelayLogLevel, msg: string, reason?: string) => {
    try {
      log({ time: new Date().toISOString(), level, msg, ...(reason === undefined ? {} : { reason }) });
    } catch {
      // A broken log must not stop the relay.
    }
  };
  if (!verify) {
    say(
      'warn',
      'no RELAY_IDENTITY_SECRET',
      unsignedActivity
        ? 'only unsigned productViewed and cartUpdated are taken (RELAY_UNSIGNED_ACTIVITY); every other event is refused 403 until the secret is set'
        : 'every event is refused 403 until the secret is set: events name a contact, and only a signed identity may',
    );
  }
  let warnedForwardedAt = -Infinity;

  return async (request, info) => {
    const started = now();
    const path = new URL(request.url).pathname;
    const client = clientAddress(request.headers, info?.client, trustProxy);
    const entry: RequestEntry = { eventTypeKey: null, upstream: null, contactUpstream: null, reason: null, loud: false };
    if (trustProxy === 0 && request.headers.has('X-Forwarded-For') && started - warnedForwardedAt >= WARNING_INTERVAL_MS) {
      warnedForwardedAt = started;
      say('warn', 'X-Forwarded-For ignored', 'a proxy in front writes X-Forwarded-For, and RELAY_TRUST_PROXY is 0: every client counts as the proxy; set RELAY_TRUST_PROXY to the number of proxies that append to it');
    }

    let response: Response;
    try {
      if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
        response = new Response('ok', { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
      } else if (path === BACK_OFFICE_PATH) {
        if (backOfficeLane) response = await backOfficeLane(request, client, entry);
        else {
          entry.reason = 'the back office is not enabled (RELAY_BACKOFFICE_TOKEN)';
          response = json(404, { errors: ['no back office here: the relay runs without RELAY_BACKOFFICE_TOKEN'] }, {});
        }
      } else {
        response = await browser(request, client, entry);
      }
    } catch (error) {
      // A bug, not the client's fault; 500 is retryable, so the tag keeps the event.
      entry.reason = redact(`internal error: ${error instanceof Error ? error.message : String(error)}`).slice(0, 500);
      entry.loud = true;
      const origin = request.headers.get('Origin');
      response = json(500, { errors: ['internal error; retry later'] }, origin !== null && origins.has(origin) ? corsHeaders(origin) : { Vary: 'Origin' });
    }
    const level: RelayLogLevel = entry.loud || response.status >= 500 ? 'error' : response.status >= 400 ? 'warn' : 'info';
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
        contactUpstream: entry.contactUpstream,
        reason: entry.reason === null ? null : redact(entry.reason).slice(0, 1000),
      });
    } catch {
      // A broken log must not turn a delivered event into a failure the tag would retry.
    }
    return response;
  };
};
