/**
 * Reads the deal journal for a period, as seed 004 says: `GET {api}/calls-service/RestAPI/{site_id}/orders-diary/
 * orders` with the dates as `dd/mm/yyyy`, every range with `page` and `limit=1000` from page 1 to `pageTotal`, and
 * `withAllOrderOrigins=true` (without it the journal lists only deals created through its API, and whether a
 * purchase from the e-commerce module is one of those is not documented). Every request goes through http/request.
 */
import { formatJournal } from '../dates';
import { ReconcileError } from '../errors';
import { GaveUp, send, type Answer, type Http } from '../http/request';
import type { DealJournalPage } from '../wire';
import type { DayRange } from './ranges';
import { toDeal, type Deal } from './records';

export const PAGE_LIMIT = 1000;
/** Ten million deals; a pageTotal past it is not a page count. */
const MAX_PAGES = 10_000;

export interface DealSource {
  apiUrl: string;
  siteId: number;
  token: string;
  http: Http;
}

export interface FetchedDeals {
  /** Each deal once, in the journal's order (ranges, then pages). */
  deals: Deal[];
  pages: number;
  /** Records that are no deal, with why and where. */
  unreadable: string[];
  notices: string[];
}

export interface PagesProgress {
  loaded: number;
  /** Pages in all as far as known: a range whose first page has not answered yet counts as one. */
  total: number;
  /** Whether every range's first page has told its pageTotal, so `total` is final. */
  exact: boolean;
  deals: number;
}

const rangeText = (range: DayRange) => `${formatJournal(range.from)}–${formatJournal(range.to)}`;

/** Where the deal journal is, without the query: this much may be printed. */
const journalEndpoint = (apiUrl: string, siteId: number): URL =>
  new URL(`calls-service/RestAPI/${siteId}/orders-diary/orders`, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);

const pageUrl = (source: DealSource, range: DayRange, page: number): URL => {
  const url = journalEndpoint(source.apiUrl, source.siteId);
  // Built by hand: the dates keep their slashes, as seed 004's example writes them.
  url.search = [
    `clientApiId=${encodeURIComponent(source.token)}`,
    `dateFrom=${formatJournal(range.from)}`,
    `dateTo=${formatJournal(range.to)}`,
    `page=${page}`,
    `limit=${PAGE_LIMIT}`,
    'withAllOrderOrigins=true',
  ].join('&');
  return url;
};

/** Calltouch's own words from an answer, when it has some: an error field, or the start of the text. */
const excerpt = (text: string, redact: (text: string) => string): string => {
  let words = text;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) {
      const fields = value as Record<string, unknown>;
      const message = ['message', 'error', 'errorMessage', 'description'].map((key) => fields[key]).find((field) => typeof field === 'string');
      if (typeof message === 'string') words = message;
    }
  } catch {
    // not JSON: the text itself
  }
  const short = redact(words.replace(/\s+/g, ' ').trim()).slice(0, 200);
  return short ? `: ${short}` : '';
};

const refused = (answer: Answer, source: DealSource, what: string): ReconcileError => {
  const { status } = answer;
  const words = excerpt(answer.text, source.http.redact);
  if (status === 401 || status === 403) {
    return new ReconcileError('api', [`Calltouch refused the API token (clientApiId) for site ${source.siteId} with HTTP ${status}${words}: check the token (Calltouch: Settings → API) and the site id`]);
  }
  if (status === 404) return new ReconcileError('api', [`Calltouch has no deal journal at ${journalEndpoint(source.apiUrl, source.siteId)} (HTTP 404): check the site id and the API URL`]);
  return new ReconcileError('api', [`Calltouch refused ${what} with HTTP ${status}${words}`]);
};

const readPage = (answer: Answer, source: DealSource, what: string, page: number): DealJournalPage & { pageTotal: number } => {
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch {
    throw new ReconcileError('api', [`Calltouch answered ${what} with something that is not JSON${excerpt(answer.text, source.http.redact)}`]);
  }
  const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (!Array.isArray(body.records)) throw new ReconcileError('api', [`Calltouch answered ${what} without a list of records${excerpt(answer.text, source.http.redact)}`]);
  const { pageTotal } = body;
  if (!(typeof pageTotal === 'number' && Number.isInteger(pageTotal) && pageTotal >= 0 && pageTotal <= MAX_PAGES)) {
    throw new ReconcileError('api', [`Calltouch answered ${what} without a usable pageTotal (got ${JSON.stringify(pageTotal)})`]);
  }
  if (body.page !== undefined && body.page !== page) throw new ReconcileError('api', [`Calltouch answered ${what} with page ${JSON.stringify(body.page)}`]);
  return body as unknown as DealJournalPage & { pageTotal: number };
};

export const fetchDeals = async (source: DealSource, ranges: DayRange[], onProgress?: (progress: PagesProgress) => void): Promise<FetchedDeals> => {
  const totals: Array<number | null> = ranges.map(() => null);
  const pagesByRange: Array<Map<number, DealJournalPage>> = ranges.map(() => new Map());
  let loaded = 0;
  let records = 0;
  const notices: string[] = [];
  // The first failure ends the run: the other pages stop waiting and retrying.
  const stop = new AbortController();

  const load = (index: number, page: number) =>
    loadPage(index, page).catch((error: unknown) => {
      stop.abort();
      throw error;
    });

  const loadPage = async (index: number, page: number) => {
    const range = ranges[index];
    const what = `the deal journal's page ${page} of ${rangeText(range)}`;
    let answer: Answer;
    try {
      answer = await send(source.http, what, () => new Request(pageUrl(source, range, page), { headers: { Accept: 'application/json' } }), stop.signal);
    } catch (error) {
      if (error instanceof GaveUp) throw new ReconcileError('api', [`Calltouch did not answer ${error.what} (${error.reason}, ${error.attempts} tries): try again later`]);
      throw error;
    }
    if (answer.status < 200 || answer.status >= 300) throw refused(answer, source, what);
    const body = readPage(answer, source, what, page);
    pagesByRange[index].set(page, body);
    const first = pagesByRange[index].get(1);
    if (page > 1 && first && (body.pageTotal !== first.pageTotal || body.recordsTotal !== first.recordsTotal)) {
      notices.push(`the deal journal changed while it was read (${rangeText(range)}: ${first.recordsTotal} deals, then ${body.recordsTotal}); run again for an exact answer`);
    }
    totals[index] ??= body.pageTotal;
    loaded += 1;
    records += body.records.length;
    // A range of no deals still took its first page.
    const total = totals.reduce<number>((sum, pageTotal) => sum + Math.max(1, pageTotal ?? 1), 0);
    onProgress?.({ loaded, total, exact: totals.every((pageTotal) => pageTotal !== null), deals: records });
    return body.pageTotal;
  };

  // First pages tell how many there are; the rest then load side by side, the limiter keeping the pace.
  const pageTotals = await Promise.all(ranges.map((_, index) => load(index, 1)));
  await Promise.all(pageTotals.flatMap((pageTotal, index) => Array.from({ length: Math.max(0, pageTotal - 1) }, (_, i) => load(index, i + 2))));

  // Ranges share their boundary days, so a deal may come twice: the same record is the same deal.
  const seen = new Set<string>();
  const deals: Deal[] = [];
  const unreadable: string[] = [];
  pagesByRange.forEach((pages, index) => {
    for (const page of [...pages.keys()].sort((a, b) => a - b)) {
      (pages.get(page) as DealJournalPage).records.forEach((record, i) => {
        const key = JSON.stringify(record);
        if (seen.has(key)) return;
        seen.add(key);
        const deal = toDeal(record);
        if (typeof deal === 'string') unreadable.push(`${deal} (record ${i + 1} of page ${page}, ${rangeText(ranges[index])})`);
        else deals.push(deal);
      });
    }
  });
  return { deals, pages: loaded, unreadable, notices };
};
