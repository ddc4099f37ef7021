/**
 * The CLI's settings from the environment. Every problem is collected, so one run names all of them; no message
 * repeats a value (one of them is the key).
 */
import { EVENT_TYPES, isKnown } from './events';
import { DEFAULTS } from './relay';
import { DEFAULT_PORT } from './node';
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

  const apiKey = value('ESPUTNIK_API_KEY');
  if (apiKey === undefined) errors.push('ESPUTNIK_API_KEY is required (the eSputnik API key)');
  const origins = value('RELAY_ALLOWED_ORIGINS');
  if (origins === undefined) errors.push('RELAY_ALLOWED_ORIGINS is required (the store\'s origins, comma-separated, e.g. https://shop.example)');
  const port = number('RELAY_PORT', DEFAULT_PORT, { min: 0 });
  if (port > 65535) errors.push('RELAY_PORT must be at most 65535');
  const upstreamTimeoutMs = number('RELAY_UPSTREAM_TIMEOUT_MS', DEFAULTS.upstreamTimeoutMs);
  const trust = value('RELAY_TRUST_PROXY');
  let trustProxy = 0;
  if (trust === 'true') trustProxy = 1;
  else if (trust !== undefined && trust !== 'false') trustProxy = number('RELAY_TRUST_PROXY', 0, { min: 0 });

  const eventList = value('RELAY_EVENTS')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (eventList !== undefined && (eventList.length === 0 || !eventList.every(isKnown))) {
    errors.push(`RELAY_EVENTS must be a comma-separated list of: ${EVENT_TYPES.join(', ')}`);
  }

  const options: ServeRelayOptions = {
    apiKey: apiKey ?? '',
    allowedOrigins: (origins ?? '').split(','),
    esputnikUrl: value('ESPUTNIK_URL') ?? DEFAULTS.esputnikUrl,
    port,
    host: value('RELAY_HOST'),
    upstreamTimeoutMs,
    rateLimit: {
      burst: number('RELAY_RATE_LIMIT_BURST', DEFAULTS.rateLimit.burst),
      perSecond: number('RELAY_RATE_LIMIT_PER_SECOND', DEFAULTS.rateLimit.perSecond, { integer: false, min: 0.001 }),
      maxClients: number('RELAY_RATE_LIMIT_MAX_CLIENTS', DEFAULTS.rateLimit.maxClients),
    },
    maxInFlight: number('RELAY_MAX_IN_FLIGHT', DEFAULTS.maxInFlight),
    trustProxy,
    ...(eventList && { events: eventList }),
    shutdownTimeoutMs: number('RELAY_SHUTDOWN_TIMEOUT_MS', upstreamTimeoutMs + 5000),
  };
  return errors.length > 0 ? { options: null, errors } : { options, errors: [] };
};
