/**
 * The relay's public types. dist/relay.d.ts is this file plus the declarations of index.ts, so nothing here
 * imports and nothing here names a Node type: the typings must compile for an edge host as well as for Node.
 */

/** What a fetch-style host knows about a request beyond the Request itself. */
export interface RelayRequestInfo {
  /**
   * The client's address as the host saw it: the socket's peer in Node, `CF-Connecting-IP` on Cloudflare,
   * `info.remoteAddr.hostname` in Deno. It keys the rate limit; without it (and without `trustProxy`) every
   * client shares one bucket.
   */
  client?: string;
}

/** A fetch-style handler: Node (through serveRelay), Deno, Bun, Cloudflare Workers, Vercel, Netlify, Lambda. */
export type RelayHandler = (request: Request, info?: RelayRequestInfo) => Promise<Response>;

/** A token bucket per key: per client address (IPv6 per /64), or per contact. */
export interface RelayRateLimit {
  /** Requests at once. Default 60 per client, 30 per contact. */
  burst?: number;
  /** Requests per second, sustained. Default 10 per client, 0.5 per contact. */
  perSecond?: number;
  /**
   * Buckets kept at most (10000 by default). A bucket that has refilled is forgotten; while this many are still
   * spending, every newcomer shares one overflow bucket, so rotating addresses wins nothing.
   */
  maxClients?: number;
}

export interface RelayOptions {
  /** The eSputnik API key, sent as the Basic auth password. Never logged, never returned. */
  apiKey: string;
  /** Origins whose pages may post, e.g. `['https://shop.example', 'https://www.shop.example']`. */
  allowedOrigins: readonly string[];
  /**
   * The store's secret for signed identities (at least 32 characters; `openssl rand -hex 32`). Without it the
   * browser lane takes no event that names a contact, except unsigned activity where `unsignedActivity` allows it.
   */
  identitySecret?: string;
  /**
   * Take `productViewed` and `cartUpdated` without an identity: anyone can then post site activity for any contact,
   * as with eSputnik's own keyless tracker. Orders always need an identity. Default false.
   */
  unsignedActivity?: boolean;
  /** Default `https://esputnik.com/api/v2/event`; contacts go to `new URL('/api/v1/contact', esputnikUrl)`. */
  esputnikUrl?: string;
  /** How long eSputnik may take to answer before the relay answers 504. Default 10000. */
  upstreamTimeoutMs?: number;
  /** Retry-After (seconds) for an upstream 429 or 503 that names none. Default 5. */
  upstreamRetryAfterSeconds?: number;
  /**
   * The event types the browser lane forwards; others are answered 400 like an unknown type. Default, and at most:
   * `productViewed`, `cartUpdated`, `orderCreated`, `orderCancelled` (what the tag sends), plus eSputnik's other
   * site events if listed. `orderUpdated` and `orderDelivered` never come from a page.
   */
  events?: readonly string[];
  /** Hosts an order item's `url` and `imageUrl` may name besides the allowed origins' (a CDN for images, say). */
  itemHosts?: readonly string[];
  /** Per-client limit, or `false` for none. */
  rateLimit?: RelayRateLimit | false;
  /** Per-contact limit (by the contact the identity names), or `false` for none. */
  contactRateLimit?: RelayRateLimit | false;
  /**
   * Calls to eSputnik per second at most, all clients and contacts together. Default 200: eSputnik takes 350 per
   * account, and the store's back office spends from the same allowance.
   */
  maxRps?: number;
  /**
   * Requests forwarded to eSputnik and not answered yet, at most. Past it the relay answers 503 with Retry-After
   * (`upstreamRetryAfterSeconds`) at once rather than hold more while eSputnik is slow: each one waiting holds about
   * 40 KB and two sockets, for up to `upstreamTimeoutMs`. Per instance. Default 200.
   */
  maxInFlight?: number;
  /**
   * How many proxies in front of the relay append to `X-Forwarded-For`; the client is the address the outermost
   * trusted one saw. 0 (default) ignores the header, which anyone can write, and says so in the log (at most once
   * in 10 minutes).
   */
  trustProxy?: number;
  /**
   * The back office's lane, `POST /backoffice/orders`: order status changes and refunds from the store's server.
   * Without it that path answers 404.
   */
  backOffice?: RelayBackOfficeOptions;
  /** How requests reach eSputnik (and Calltouch): fetch's own signature. Default the global fetch; tests inject their own. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** A clock in milliseconds for the rate limits, the memories and the durations in the log. Default `performance.now`. */
  now?: () => number;
  /** Receives one line per request, and the relay's own lines. Default: `console.log(JSON.stringify(line))`. */
  log?: (line: RelayLogLine) => void;
}

/** The back office (`RELAY_BACKOFFICE_TOKEN`, `RELAY_CALLTOUCH_SITE_ID`, `CALLTOUCH_URL`). */
export interface RelayBackOfficeOptions {
  /**
   * What the store's server sends as `Authorization: Bearer <token>`: at least 32 characters (`openssl rand -hex 32`).
   * Compared in constant time; never logged, never returned.
   */
  token: string;
  /** The Calltouch site id its refunds and offline purchases go to; without it Calltouch is skipped. */
  calltouchSiteId?: number;
  /** Default `https://mod.calltouch.ru/ecommerce.php`. */
  calltouchUrl?: string;
  /** Requests per client (by address), or `false` for none. Default 20 at once, 5 a second. */
  rateLimit?: RelayRateLimit | false;
}

export type RelayLogLevel = 'info' | 'warn' | 'error';

/**
 * One line per request. Never a key or secret, the Authorization header, the body, `keyValue`, the identity or any
 * contact value: `reason` is written by the relay (with eSputnik's own words, redacted, where it refused something).
 */
export interface RelayRequestLog {
  time: string;
  level: RelayLogLevel;
  msg: 'request';
  method: string;
  path: string;
  status: number;
  ms: number;
  /** Only a key the relay knows; anything else is logged as null. */
  eventTypeKey: string | null;
  client: string | null;
  /** eSputnik's status for the event, when the request got that far. */
  upstream: number | null;
  /** eSputnik's status for the contact the relay added before an order, when it did. */
  contactUpstream: number | null;
  reason: string | null;
}

/** Lines of the server around the requests: listening, stopping, stopped, warnings and failures outside a request. */
export interface RelayServerLog {
  time: string;
  level: RelayLogLevel;
  msg: string;
  url?: string;
  host?: string;
  port?: number;
  signal?: string;
  inFlight?: number;
  reason?: string;
}

export type RelayLogLine = RelayRequestLog | RelayServerLog;

export interface ServeRelayOptions extends RelayOptions {
  /** Default 8787; 0 picks a free port (see `RelayServer.port`). */
  port?: number;
  /** Default `127.0.0.1`: behind the store's reverse proxy. `0.0.0.0` or `::` to take connections from elsewhere. */
  host?: string;
  /** A connection's request headers must have arrived this long after it opened. Default 10000. */
  headersTimeoutMs?: number;
  /** A request's body must have arrived this long after its headers. Default 20000. */
  bodyTimeoutMs?: number;
  /** A kept-alive connection with no request is closed after this long. Default 5000. */
  idleTimeoutMs?: number;
  /** Connections open at once, at most; more are closed as they come. Default 400. */
  maxConnections?: number;
  /** How long close() lets requests in flight finish before it cuts them. Default upstreamTimeoutMs + 5000. */
  shutdownTimeoutMs?: number;
}

export interface RelayServer {
  /** e.g. `http://127.0.0.1:8787` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  port: number;
  /** Stops accepting, closes idle connections, lets requests in flight finish (bounded by shutdownTimeoutMs), then resolves. */
  close(): Promise<void>;
}

/** What a store's server knows of its shopper; the identity names the first of externalCustomerId, email, phone. */
export interface IdentityContact {
  externalCustomerId?: string | number;
  email?: string;
  phone?: string | number;
}

export type CreateRelay = (options: RelayOptions) => RelayHandler;
export type ServeRelay = (options: ServeRelayOptions) => Promise<RelayServer>;
/** `identity` for `ct('set_contact', {…, identity})`, valid for `ttlSeconds`. */
export type SignIdentity = (contact: IdentityContact, secret: string, ttlSeconds: number) => Promise<string>;
