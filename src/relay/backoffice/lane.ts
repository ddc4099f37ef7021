/**
 * The back office's lane, `POST /backoffice/orders`: order status changes and refunds from the store's server (issue
 * 15). Proved by a Bearer token, not by Origin (no CORS: no page calls it); the token is checked before anything else
 * is read. Then the client's rate, the media type (JSON only), the body (20 KB, as for the browser), every order's
 * fields, and each order to each destination, answered per order and per destination: 200 when none needs a retry,
 * else 503 (429 when every retry is a rate limit) with Retry-After and the same list, so the caller retries only those.
 */
import type { BackofficeDestination, OrderAnswer } from '../../backoffice/types';
import { json, type RequestEntry } from '../answer';
import { acceptsMediaType, readJson } from '../body';
import type { Lane } from '../browser/lane';
import { rateKey } from '../client';
import type { RateLimiter } from '../rate-limit';
import { clampRetryAfter } from '../upstream/esputnik';
import { deliverOrder, type BackOfficeContext, type Outages, type Verdict } from './deliver';
import { readOrders } from './orders';
import type { TokenVerdict } from './token';

/** Orders of one body on their way at once; orders with the same id go one after another, in the body's order. */
const CONCURRENCY = 4;
/** Reasons a 400 lists at most. */
const LISTED_ERRORS = 20;

export interface BackOfficeSettings {
  checkToken: (authorization: string | null) => Promise<TokenVerdict>;
  clients: RateLimiter | null;
  /** Every form of the key and the token out of a text: answers echo ids and services' words, and a caller may put anything there. */
  redact: (text: string) => string;
}

const isJson = (contentType: string | null) => acceptsMediaType(contentType) && contentType!.split(';')[0].trim().toLowerCase() === 'application/json';

/** The log line's reason: how each destination fared, with the first reason of each kind that is not `sent`. */
const summary = (answers: OrderAnswer[]): string =>
  `${answers.length} order(s): ` +
  (['esputnik', 'calltouch'] as const)
    .map((destination) => {
      const counts = new Map<string, number>();
      const first = new Map<string, string>();
      for (const answer of answers) {
        const [kind, ...why] = answer[destination].split(': ');
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
        if (why.length > 0 && !first.has(kind)) first.set(kind, why.join(': '));
      }
      const parts = [...counts].map(([kind, count]) => `${kind} ${count}${first.has(kind) && kind !== 'skipped' ? ` (${first.get(kind)})` : ''}`);
      return `${destination === 'esputnik' ? 'eSputnik' : 'Calltouch'} ${parts.join(', ')}`;
    })
    .join('; ');

export const createBackOfficeLane = (settings: BackOfficeSettings, context: BackOfficeContext): Lane =>
  async (request, client, entry: RequestEntry) => {
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      new Response(settings.redact(JSON.stringify(payload)), { status, headers: json(status, null, headers).headers });
    const refuse = (status: number, reason: string, error = reason, headers: Record<string, string> = {}) => {
      entry.reason = reason;
      return answer(status, { errors: [error] }, headers);
    };
    if (request.method !== 'POST') return refuse(405, 'method not allowed', 'only POST is accepted', { Allow: 'POST' });
    const token = await settings.checkToken(request.headers.get('Authorization'));
    if (token !== 'ok') {
      const challenge = `Bearer realm="ecomtag back office"${token === 'wrong' ? ', error="invalid_token"' : ''}`;
      return token === 'missing'
        ? refuse(401, 'no Bearer token', 'the Authorization header must be: Bearer <RELAY_BACKOFFICE_TOKEN>', { 'WWW-Authenticate': challenge })
        : refuse(401, 'wrong token', 'the token is not RELAY_BACKOFFICE_TOKEN', { 'WWW-Authenticate': challenge });
    }
    const verdict = settings.clients?.take(rateKey(client), context.lane.now());
    if (verdict && !verdict.ok) {
      const seconds = clampRetryAfter(verdict.retryAfterSeconds);
      return refuse(429, 'rate limited', `too many requests; retry in ${seconds} s`, { 'Retry-After': String(seconds) });
    }
    if (!isJson(request.headers.get('Content-Type'))) return refuse(415, 'unsupported media type', 'Content-Type must be application/json (UTF-8)');
    const read = await readJson(request);
    if ('refusal' in read) return refuse(read.refusal[0], read.refusal[1], read.refusal[2]);
    const checked = readOrders(read.body);
    if ('errors' in checked) {
      const listed = checked.errors.slice(0, LISTED_ERRORS);
      if (checked.errors.length > LISTED_ERRORS) listed.push(`and ${checked.errors.length - LISTED_ERRORS} more`);
      entry.reason = listed.join('; ').slice(0, 1000);
      return answer(400, { errors: listed });
    }

    const { orders } = checked;
    const answers: OrderAnswer[] = new Array<OrderAnswer>(orders.length);
    const verdicts: Verdict[] = [];
    const outages: Outages = new Map<BackofficeDestination, Verdict>();
    const groups = new Map<string, number[]>();
    orders.forEach((order, index) => groups.set(order.id, [...(groups.get(order.id) ?? []), index]));
    const queue = [...groups.values()];
    const work = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const index of group) {
          const delivered = await deliverOrder(context, orders[index], outages);
          answers[index] = delivered.answer;
          verdicts.push(delivered.esputnik, delivered.calltouch);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, work));

    for (const verdict of verdicts) {
      if (verdict.upstream !== undefined && verdict.upstream !== null) entry.upstream = verdict.upstream;
      if (verdict.contactUpstream !== undefined && verdict.contactUpstream !== null) entry.contactUpstream = verdict.contactUpstream;
      entry.loud ||= verdict.loud === true;
    }
    entry.reason = summary(answers);
    const retries = verdicts.filter((verdict) => verdict.answer.startsWith('retry'));
    if (retries.length === 0) return answer(200, { orders: answers });
    const seconds = clampRetryAfter(Math.max(...retries.map((verdict) => verdict.retryAfterSeconds ?? context.lane.retryAfterSeconds)));
    return answer(retries.every((verdict) => verdict.rateLimited) ? 429 : 503, { orders: answers }, { 'Retry-After': String(seconds) });
  };
