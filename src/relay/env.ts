/**
 * The CLI's settings from the environment. Every problem is collected, so one run names all of them; no message
 * repeats a value (three of them are secrets).
 */
import { BACK_OFFICE_EVENTS } from './browser/lane';
import { CONNECTION_DEFAULTS } from './connections';
import { EVENT_TYPES, isKnown } from './events/rules';
import { MIN_SECRET_LENGTH } from './identity';
import { DEFAULT_PORT } from './node';
import { DEFAULTS } from './relay';
import type { ServeRelayOptions } from './types';

export type Env = Record<string, string | undefined>;

export const optionsFromEnv = (env: Env): { options: ServeRelayOptions; errors: [] } | { options: null; errors: string[] } => {
  const errors: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const number = (name: string, fallback: number, { min = 1, integer = true } = {}): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
      errors.push(`${name} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}`);
      return fallback;
    }
    return parsed;
  };
  const flag = (name: string): boolean => {
    const raw = value(name);
    if (raw !== undefined && raw !== 'true' && raw !== 'false') errors.push(`${name} must be true or false`);
    return raw === 'true';
  };
  const list = (name: string) =>
    value(name)
      ?.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);

  const apiKey = value('ESPUTNIK_API_KEY');
  if (apiKey === undefined) errors.push('ESPUTNIK_API_KEY is required (the eSputnik API key)');
  const origins = value('RELAY_ALLOWED_ORIGINS');
  if (origins === undefined) errors.push('RELAY_ALLOWED_ORIGINS is required (the store\'s origins, comma-separated, e.g. https://shop.example)');
  const identitySecret = value('RELAY_IDENTITY_SECRET');
  if (identitySecret !== undefined && identitySecret.length < MIN_SECRET_LENGTH) {
    errors.push(`RELAY_IDENTITY_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of openssl rand -hex 32)`);
  }
  const backOfficeToken = value('RELAY_BACKOFFICE_TOKEN');
  if (backOfficeToken !== undefined && backOfficeToken.length < MIN_SECRET_LENGTH) {
    errors.push(`RELAY_BACKOFFICE_TOKEN must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of openssl rand -hex 32)`);
  }
  const calltouchSiteId = value('RELAY_CALLTOUCH_SITE_ID');
  if (calltouchSiteId !== undefined && !/^[1-9]\d{0,14}$/.test(calltouchSiteId)) errors.push("RELAY_CALLTOUCH_SITE_ID must be Calltouch's site id, a whole number");
  const calltouchUrl = value('CALLTOUCH_URL');
  if (backOfficeToken === undefined) {
    for (const name of ['RELAY_CALLTOUCH_SITE_ID', 'CALLTOUCH_URL', 'RELAY_BACKOFFICE_RATE_LIMIT_BURST', 'RELAY_BACKOFFICE_RATE_LIMIT_PER_SECOND']) {
      if (value(name) !== undefined) errors.push(`${name} is a setting of the back office: set RELAY_BACKOFFICE_TOKEN too`);
    }
  }
  const port = number('RELAY_PORT', DEFAULT_PORT, { min: 0 });
  if (port > 65535) errors.push('RELAY_PORT must be at most 65535');
  const upstreamTimeoutMs = number('RELAY_UPSTREAM_TIMEOUT_MS', DEFAULTS.upstreamTimeoutMs);
  const trust = value('RELAY_TRUST_PROXY');
  let trustProxy = 0;
  if (trust === 'true') trustProxy = 1;
  else if (trust !== undefined && trust !== 'false') trustProxy = number('RELAY_TRUST_PROXY', 0, { min: 0 });

  const eventList = list('RELAY_EVENTS');
  const browserTypes = EVENT_TYPES.filter((type) => !BACK_OFFICE_EVENTS.includes(type));
  if (eventList !== undefined && (eventList.length === 0 || !eventList.every((name) => isKnown(name) && browserTypes.includes(name)))) {
    errors.push(`RELAY_EVENTS must be a comma-separated list of: ${browserTypes.join(', ')} (${BACK_OFFICE_EVENTS.join(' and ')} come only from the back office)`);
  }
  const perSecond = (name: string, fallback: number) => number(name, fallback, { integer: false, min: 0.001 });

  const options: ServeRelayOptions = {
    apiKey: apiKey ?? '',
    allowedOrigins: (origins ?? '').split(','),
    ...(identitySecret !== undefined && { identitySecret }),
    unsignedActivity: flag('RELAY_UNSIGNED_ACTIVITY'),
    esputnikUrl: value('ESPUTNIK_URL') ?? DEFAULTS.esputnikUrl,
    port,
    host: value('RELAY_HOST'),
    upstreamTimeoutMs,
    rateLimit: {
      burst: number('RELAY_RATE_LIMIT_BURST', DEFAULTS.rateLimit.burst),
      perSecond: perSecond('RELAY_RATE_LIMIT_PER_SECOND', DEFAULTS.rateLimit.perSecond),
      maxClients: number('RELAY_RATE_LIMIT_MAX_CLIENTS', DEFAULTS.rateLimit.maxClients),
    },
    contactRateLimit: {
      burst: number('RELAY_CONTACT_RATE_LIMIT_BURST', DEFAULTS.contactRateLimit.burst),
      perSecond: perSecond('RELAY_CONTACT_RATE_LIMIT_PER_SECOND', DEFAULTS.contactRateLimit.perSecond),
      maxClients: number('RELAY_CONTACT_RATE_LIMIT_MAX_CONTACTS', DEFAULTS.contactRateLimit.maxClients),
    },
    ...(backOfficeToken !== undefined && {
      backOffice: {
        token: backOfficeToken,
        ...(calltouchSiteId !== undefined && { calltouchSiteId: Number(calltouchSiteId) }),
        ...(calltouchUrl !== undefined && { calltouchUrl }),
        rateLimit: {
          burst: number('RELAY_BACKOFFICE_RATE_LIMIT_BURST', DEFAULTS.backOfficeRateLimit.burst),
          perSecond: perSecond('RELAY_BACKOFFICE_RATE_LIMIT_PER_SECOND', DEFAULTS.backOfficeRateLimit.perSecond),
        },
      },
    }),
    maxRps: number('RELAY_MAX_RPS', DEFAULTS.maxRps, { integer: false, min: 0.001 }),
    maxInFlight: number('RELAY_MAX_IN_FLIGHT', DEFAULTS.maxInFlight),
    trustProxy,
    ...(eventList && { events: eventList }),
    ...(value('RELAY_ITEM_HOSTS') !== undefined && { itemHosts: list('RELAY_ITEM_HOSTS') }),
    headersTimeoutMs: number('RELAY_HEADERS_TIMEOUT_MS', CONNECTION_DEFAULTS.headersTimeoutMs),
    bodyTimeoutMs: number('RELAY_BODY_TIMEOUT_MS', CONNECTION_DEFAULTS.bodyTimeoutMs),
    idleTimeoutMs: number('RELAY_IDLE_TIMEOUT_MS', CONNECTION_DEFAULTS.idleTimeoutMs),
    maxConnections: number('RELAY_MAX_CONNECTIONS', CONNECTION_DEFAULTS.maxConnections),
    shutdownTimeoutMs: number('RELAY_SHUTDOWN_TIMEOUT_MS', upstreamTimeoutMs + 5000),
  };
  return errors.length > 0 ? { options: null, errors } : { options, errors: [] };
};
