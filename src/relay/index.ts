/**
 * The eSputnik relay (SPEC §6), one entry for everything: createRelay for fetch-style hosts, serveRelay for
 * node:http, signIdentity for the store's server, and `npx ecomtag-relay` when this file is run. dist/relay.d.ts is
 * types.ts plus the declarations below, which is why they are typed by names from types.ts.
 */
import { runCli } from './cli';
import { signIdentity as sign } from './identity';
import { serveRelay as serve } from './node';
import { createRelay as create } from './relay';
import type { CreateRelay, ServeRelay, SignIdentity } from './types';

export type {
  CreateRelay,
  IdentityContact,
  RelayHandler,
  RelayLogLevel,
  RelayLogLine,
  RelayOptions,
  RelayRateLimit,
  RelayRequestInfo,
  RelayRequestLog,
  RelayServer,
  RelayServerLog,
  ServeRelay,
  ServeRelayOptions,
  SignIdentity,
} from './types';

/** The fetch-style handler: `(request, info?) => Promise<Response>`. Throws at once on options it cannot use. */
export const createRelay: CreateRelay = create;

/** The handler on node:http; resolves once listening. Logs one JSON line per request to stdout. */
export const serveRelay: ServeRelay = serve;

/**
 * The identity a store's server renders into its page for `ct('set_contact', {…, identity})`: `sub` is the contact's
 * externalCustomerId, else its email (trimmed, lower-case), else its phone (digits), as the tag picks keyValue;
 * valid `ttlSeconds`. WebCrypto, so it runs wherever createRelay does.
 */
export const signIdentity: SignIdentity = sign;

/**
 * Run as a program (`node dist/relay.mjs`, or npx through its bin symlink, hence realpath) rather than imported.
 * node:fs and node:url are imported only to find out, so an edge host importing createRelay never loads them.
 */
const isMain = async (): Promise<boolean> => {
  const script = typeof process === 'object' ? process.argv?.[1] : undefined;
  if (!script) return false;
  const [{ realpathSync }, { fileURLToPath }] = await Promise.all([import('node:fs'), import('node:url')]);
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
};

if (await isMain()) await runCli();
