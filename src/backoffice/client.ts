/**
 * createBackoffice: the store's server → the relay's back office (`POST /backoffice/orders`). Orders go in requests
 * of at most 100 orders and 20 KB; what the relay answers retryable — a destination's `retry: …`, or no answer at
 * all — is sent again, a bounded number of times, after what Retry-After asks or an exponential backoff with jitter,
 * and each order only to the destinations that did not take it. What it answered for good (sent, refused, skipped)
 * is never sent again.
 */
import { retryAfterSeconds } from '../relay/upstream/http';
import { BackofficeError } from './errors';
import type { Backoffice, BackofficeDestination, BackofficeOptions, BackofficeOrder, BackofficeResult, DestinationAnswer, OrderAnswer } from './types';

const ENDPOINT = 'backoffice/orders';
/** The relay's own limits (SPEC §6): orders and bytes per request. */
const BATCH_LIMIT = 100;
const BODY_LIMIT_BYTES = 20 * 1024;
const DEFAULT_RETRIES = 5;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The first wait; each retry doubles it up to the last, jittered to between half and all of it. */
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this is not waited for: the orders are answered as they stand. */
const MAX_RETRY_AFTER_MS = 120_000;
const DESTINATIONS: readonly BackofficeDestination[] = ['esputnik', 'calltouch'];

const isRetry = (answer: DestinationAnswer) => answer.startsWith('retry');

/** The relay's URL as given, or `backoffice/orders` under it. */
const endpointOf = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackofficeError('input', ['url must be the relay’s URL, such as http://127.0.0.1:8787']);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new BackofficeError('input', ['url must be an http(s) URL']);
  if (parsed.pathname.endsWith(`/${ENDPOINT}`)) return parsed.href;
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return new URL(ENDPOINT, parsed).href;
};

const backoffMs = (attempt: number): number => {
  const full = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
};

/** fetch's own "fetch failed" keeps what happened in its cause (ECONNREFUSED, a reset). */
const networkReason = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
};

/** What one request came to: the relay's answer per order, or a failure of the moment. */
type Outcome = { orders: OrderAnswer[]; afterMs: number | null } | { failed: string; afterMs: number | null };

const isAnswer = (payload: unknown, count: number): payload is { orders: OrderAnswer[] } =>
  typeof payload === 'object' && payload !== null && Array.isArray((payload as { orders?: unknown }).orders) && (payload as { orders: unknown[] }).orders.length === count;

/** Groups orders into requests the relay takes: at most 100 orders, at most 20 KB of JSON. */
const batches = (orders: BackofficeOrder[]): number[][] => {
  const groups: number[][] = [];
  let group: number[] = [];
  let bytes = 2;
  orders.forEach((order, index) => {
    const size = new TextEncoder().encode(JSON.stringify(order)).length + 1;
    if (size + 2 > BODY_LIMIT_BYTES) throw new BackofficeError('input', [`order ${String(order.id)} is ${size} bytes as JSON: the relay takes ${BODY_LIMIT_BYTES} at most`]);
    if (group.length === BATCH_LIMIT || bytes + size > BODY_LIMIT_BYTES) {
      groups.push(group);
      group = [];
      bytes = 2;
    }
    group.push(index);
    bytes += size;
  });
  if (group.length > 0) groups.push(group);
  return groups;
};

export const createBackoffice = (options: BackofficeOptions): Backoffice => {
  const endpoint = endpointOf(options.url);
  if (typeof options.token !== 'string' || options.token.trim() === '') throw new BackofficeError('input', ['token is required: RELAY_BACKOFFICE_TOKEN']);
  const token = options.token.trim();
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) throw new BackofficeError('input', ['retries must be a whole number from 0 to 20']);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1) throw new BackofficeError('input', ['timeoutMs must be a positive number of milliseconds']);
  const fetcher = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  // Nothing that leaves here carries the token, whatever a server in between echoed.
  const redact = (text: string) => text.split(token).join('[redacted]');

  /** One order goes as itself, so the relay's reasons name its fields without a place in a list. */
  const post = async (orders: BackofficeOrder[]): Promise<Outcome> => {
    let response: Response;
    let text: string;
    try {
      response = await fetcher(endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(orders.length === 1 ? orders[0] : orders),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { failed: timedOut ? `the relay did not answer within ${timeoutMs} ms` : `the relay could not be reached: ${redact(networkReason(error))}`, afterMs: null };
    }
    let payload: unknown = null;
    try {
      payload = JSON.parse(text);
    } catch {
      // Not the relay's JSON: a proxy's page, say; judged by its status below.
    }
    const retryAfter = response.headers.get('Retry-After');
    const afterMs = retryAfter === null ? null : retryAfterSeconds(retryAfter, 0) * 1000;
    if ([200, 429, 503].includes(response.status) && isAnswer(payload, orders.length)) return { orders: payload.orders, afterMs };
    const said = (() => {
      const errors = (payload as { errors?: unknown } | null)?.errors;
      return Array.isArray(errors) ? errors.map((error) => redact(String(error))) : [redact(text.replace(/\s+/g, ' ').trim().slice(0, 200))].filter(Boolean);
    })();
    if (response.status === 408 || response.status === 429 || response.status >= 500) return { failed: `the relay answered ${response.status}${said.length ? `: ${said.join('; ')}` : ''}`, afterMs };
    if (response.status === 400 || response.status === 413) throw new BackofficeError('input', said.length ? said : [`the relay refused the orders (${response.status})`], response.status);
    const why =
      response.status === 401 ? 'the relay refused the token: set RELAY_BACKOFFICE_TOKEN to the relay’s'
      : response.status === 404 ? `no back office at ${endpoint}: is RELAY_BACKOFFICE_TOKEN set on the relay, and the URL the relay’s?`
      : `the relay answered ${response.status}`;
    throw new BackofficeError('refused', [why, ...said], response.status);
  };

  /** One request's orders until each destination took them, refused them, or the retries ran out. */
  const deliver = async (orders: BackofficeOrder[]): Promise<OrderAnswer[]> => {
    const answers: Array<OrderAnswer | undefined> = orders.map(() => undefined);
    // Which orders still go, and to which destinations (all of them at first).
    let waiting = orders.map((order, index) => ({ index, destinations: order.destinations ?? null }));
    for (let attempt = 1; ; attempt += 1) {
      const sending = waiting.map(({ index, destinations }) => (destinations ? { ...orders[index], destinations } : orders[index]));
      const outcome = await post(sending);
      const reason = 'failed' in outcome ? outcome.failed : null;
      waiting.forEach(({ index, destinations }, at) => {
        const before = answers[index];
        const asked = destinations ?? DESTINATIONS;
        const got: OrderAnswer =
          'orders' in outcome
            ? outcome.orders[at]
            : { id: String(orders[index].id), status: orders[index].status, esputnik: `retry: ${reason}`, calltouch: `retry: ${reason}` };
        // A destination not asked this time keeps what it answered before.
        answers[index] = {
          ...got,
          esputnik: before && !asked.includes('esputnik') ? before.esputnik : got.esputnik,
          calltouch: before && !asked.includes('calltouch') ? before.calltouch : got.calltouch,
          ...(before?.notes || got.notes ? { notes: [...(before?.notes ?? []), ...(got.notes ?? [])] } : {}),
        };
      });
      waiting = waiting
        .map(({ index }) => ({ index, destinations: DESTINATIONS.filter((destination) => isRetry(answers[index]![destination])) }))
        .filter(({ destinations }) => destinations.length > 0);
      if (waiting.length === 0 || attempt > retries) break;
      if (outcome.afterMs !== null && outcome.afterMs > MAX_RETRY_AFTER_MS) break;
      const delayMs = outcome.afterMs ?? backoffMs(attempt);
      options.onRetry?.({ attempt, delayMs, reason: reason ?? `${waiting.length} order(s) to send again` });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    return answers as OrderAnswer[];
  };

  const orderStatus = async (given: BackofficeOrder | BackofficeOrder[]): Promise<BackofficeResult> => {
    const orders = Array.isArray(given) ? given : [given];
    if (orders.length === 0) throw new BackofficeError('input', ['no orders to send']);
    const answers: OrderAnswer[] = [];
    for (const group of batches(orders)) answers.push(...(await deliver(group.map((index) => orders[index]))));
    const ok = answers.every((answer) => DESTINATIONS.every((destination) => answer[destination] === 'sent' || answer[destination].startsWith('skipped')));
    return { ok, orders: answers };
  };

  return {
    orderStatus,
    refund: (id, products, order = {}) => orderStatus({ ...order, id, status: 'refunded', ...(products && products.length > 0 ? { refund: { products } } : {}) }),
  };
};
