/**
 * The relay's public types. dist/relay.d.ts is this file plus the two declarations of index.ts, so nothing here
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

/** A token bucket per client address (IPv6 clients per /64, since one host usually holds a whole /64). */
export interface RelayRateLimit {
  /** Requests a client may make in a burst. Default 60. */
  burst?: number;
  /** Requests per second a client may sustain. Default 10. */
  perSecond?: number;
  /** Buckets kept at most; past it the least recently seen client is forgotten. Default 10000. */
  maxClients?: number;
}

export interface RelayOptions {
  /** The eSputnik API key, sent as the Basic auth password. Never logged, never returned. */
  apiKey: string;
  /** Origins whose pages may post, e.g. `['https://shop.example', 'https://www.shop.example']`. */
  allowedOrigins: readonly string[];
  /** Default `https://esputnik.com/api/v2/event`. */
  esputnikUrl?: string;
  /** How long eSputnik may take to answer before the relay answers 504. Default 10000. */
  upstreamTimeoutMs?: number;
  /** Retry-After (seconds) for an upstream 429 or 503 that names none. Default 5. */
  upstreamRetryAfterSeconds?: number;
  /**
   * The event types the relay forwards; others are answered 400 like an unknown type. Default: all it knows,
   * eSputnik's documented site and order events. The tag sends productViewed, cartUpdated, orderCreated and
   * orderCancelled; a store that lists only what its pages send keeps the rest (orderDelivered, say) from being
   * posted through the relay by anyone who finds it.
   */
  events?: readonly string[];
  /** Per-client limit, or `false` for none. */
  rateLimit?: RelayRateLimit | false;
  /**
   * Requests forwarded to eSputnik and not answered yet, at most. Past it the relay answers 503 with Retry-After
   * (`upstreamRetryAfterSeconds`) at once rather than hold more while eSputnik is slow: each one waiting holds about
   * 40 KB and two sockets, for up to `upstreamTimeoutMs`. Per instance. Default 500.
   */
  maxInFlight?: number;
  /**
   * How many proxies in front of the relay append to `X-Forwarded-For`; the client is the address the outermost
   * trusted one saw. 0 (default) ignores the header, which anyone can write.
   */
  trustProxy?: number;
  /** How requests reach eSputnik. Default the global fetch; tests inject their own. */
  fetch?: (request: Request) => Promise<Response>;
  /** A clock in milliseconds for the rate limit and the durations in the log. Default `performance.now`. */
  now?: () => number;
  /** Receives one line per request. Default: `console.log(JSON.stringify(line))`. */
  log?: (line: RelayLogLine) => void;
}

export type RelayLogLevel = 'info' | 'warn' | 'error';

/**
 * One line per request. Never the key, the Authorization header, the body, `keyValue` or any contact value:
 * `reason` is written by the relay, never copied from the request.
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
  /** eSputnik's status, when the request got that far. */
  upstream: number | null;
  reason: string | null;
}

/** Lines of the server around the requests: listening, stopping, stopped, failures outside a request. */
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
  /** Default: every interface. `127.0.0.1` behind a reverse proxy on the same machine. */
  host?: string;
  /** How long close() lets requests in flight finish before it cuts them. Default upstreamTimeoutMs + 5000. */
  shutdownTimeoutMs?: number;
}

export interface RelayServer {
  /** e.g. `http://127.0.0.1:8787` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish (bounded by shutdownTimeoutMs), then resolves. */
  close(): Promise<void>;
}

export type CreateRelay = (options: RelayOptions) => RelayHandler;
export type ServeRelay = (options: ServeRelayOptions) => Promise<RelayServer>;
