/**
 * reconcile(options): the orders file → the deal journal's deals for the period → the report → (with `repair`) the
 * missing orders' offline purchases, planned or sent. Everything the options can get wrong is checked before the
 * first request.
 */
import { formatIso, isoDay } from './dates';
import { fetchDeals } from './deals/fetch';
import { rangesFor, type DayRange } from './deals/ranges';
import { ReconcileError } from './errors';
import { processLimiter } from './http/limiter';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, redactor, type Http } from './http/request';
import { matchOrders } from './match/match';
import { fromCents } from './money';
import { readOrders } from './orders/read';
import { journalPathFor, readSent, writable } from './repair/journal';
import { offlinePurchase } from './repair/offline';
import { sendPurchases } from './repair/send';
import type { ReconcileOptions, ReconcileResult, RepairResult } from './types';

export const DEFAULT_API_URL = 'https://api.calltouch.ru';
export const DEFAULT_ECOMMERCE_URL = 'https://mod.calltouch.ru/ecommerce.php';

const httpUrl = (value: string, name: string, problems: string[]): string => {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return value;
};

/** The options, checked all at once: every problem is named, none of them quotes the token. */
const checked = (options: ReconcileOptions) => {
  const problems: string[] = [];
  if (!(Number.isSafeInteger(options.siteId) && options.siteId > 0)) problems.push(`the site id must be a whole number above 0, got ${JSON.stringify(options.siteId)}`);
  const from = typeof options.from === 'string' ? isoDay(options.from) : null;
  const to = typeof options.to === 'string' ? isoDay(options.to) : null;
  if (from === null) problems.push(`from must be a date YYYY-MM-DD, got ${JSON.stringify(options.from)}`);
  if (to === null) problems.push(`to must be a date YYYY-MM-DD, got ${JSON.stringify(options.to)}`);
  if (from !== null && to !== null && from > to) problems.push(`from (${options.from}) is after to (${options.to})`);
  const token = typeof options.token === 'string' ? options.token.trim() : '';
  if (!token) problems.push('the API token is empty');
  else if (/[\u0000-\u001f\u007f\s]/.test(token)) problems.push('the API token holds spaces or control characters: copy it again from Calltouch');
  if (typeof options.orders !== 'string' || !options.orders) problems.push('the orders file is not named');
  const apiUrl = httpUrl(options.apiUrl ?? DEFAULT_API_URL, 'the API URL', problems);
  const ecommerceUrl = httpUrl(options.ecommerceUrl ?? DEFAULT_ECOMMERCE_URL, 'the ecommerce URL', problems);
  if (options.repair !== undefined && options.repair !== 'dry-run' && options.repair !== 'send') problems.push(`repair must be 'dry-run' or 'send', got ${JSON.stringify(options.repair)}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) problems.push(`timeoutMs must be a number above 0, got ${JSON.stringify(options.timeoutMs)}`);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  if (!(Number.isInteger(retry.attempts) && retry.attempts >= 1 && retry.attempts <= 20)) problems.push('retry.attempts must be a whole number from 1 to 20');
  if (!(retry.baseDelayMs >= 0 && retry.maxDelayMs >= retry.baseDelayMs)) problems.push('retry delays must be >= 0, maxDelayMs at least baseDelayMs');
  if (problems.length) throw new ReconcileError('input', problems);
  return { period: { from: from as number, to: to as number }, token, apiUrl, ecommerceUrl, timeoutMs, retry };
};

export const reconcile = async (options: ReconcileOptions): Promise<ReconcileResult> => {
  const { period, token, apiUrl, ecommerceUrl, timeoutMs, retry } = checked(options);
  const all = await readOrders(options.orders);
  const inPeriod = (day: number) => day >= period.from && day <= period.to;
  const orders = all.filter((order) => inPeriod(order.day));

  const http: Http = {
    fetch: options.fetch ?? fetch,
    limiter: processLimiter,
    timeoutMs,
    retry,
    redact: redactor(token),
    onRetry: (retrying) => options.onProgress?.({ type: 'retry', ...retrying }),
  };
  const ranges: DayRange[] = rangesFor(period);
  const journal = await fetchDeals({ apiUrl, siteId: options.siteId, token, http }, ranges, (pages) => options.onProgress?.({ type: 'pages', ...pages }));

  const periodText = { from: formatIso(period.from), to: formatIso(period.to) };
  const { report, missing } = matchOrders(orders, new Set(all.map((order) => order.id)), journal.deals, period, periodText);
  const result: ReconcileResult = {
    report,
    exitCode: report.missing.length || report.mismatched.length ? 1 : 0,
    orders: orders.length,
    outsidePeriod: all.filter((order) => !inPeriod(order.day)).map(({ id, date }) => ({ id, date })),
    missing: missing.map((order) => ({
      id: order.id,
      date: order.date,
      amount: fromCents(order.lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0)),
      lines: order.lines.length,
    })),
    journal: {
      deals: journal.deals.length,
      pages: journal.pages,
      ranges: ranges.map((range) => ({ from: formatIso(range.from), to: formatIso(range.to) })),
      unreadable: journal.unreadable,
      notices: journal.notices,
    },
  };
  if (!options.repair) return result;

  const journalPath = journalPathFor(options.orders);
  const sentBefore = await readSent(journalPath);
  const repair: RepairResult = {
    mode: options.repair,
    url: ecommerceUrl,
    journal: journalPath,
    alreadySent: missing.filter((order) => sentBefore.has(order.id)).map((order) => ({ id: order.id, sentAt: sentBefore.get(order.id) as string })),
    purchases: missing.filter((order) => !sentBefore.has(order.id)).map((order) => offlinePurchase(order, options.siteId)),
    sent: [],
    failed: [],
  };
  result.repair = repair;
  if (options.repair === 'send' && repair.purchases.length) {
    // Found out before the first purchase goes, not after: a purchase sent and not noted would go again next run.
    const unwritable = await writable(journalPath);
    if (unwritable) throw new ReconcileError('input', [`the journal ${journalPath} cannot be written (${unwritable}), so no purchase was sent`]);
    const outcome = await sendPurchases(http, ecommerceUrl, repair.purchases, journalPath, (done, total) => options.onProgress?.({ type: 'sent', done, total }));
    repair.sent = outcome.sent;
    repair.failed = outcome.failed;
  }
  return result;
};
