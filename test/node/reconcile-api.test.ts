// The stand-in Calltouch API is as strict as seed 004 describes the deal journal (so a test passes only when the
// real one would have answered), and reconcile() for code, in this process, against it: the failures of the moment
// it outlasts, the answers it refuses, deleted deals and deals no order has, and its progress.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProgress } from '../../src/reconcile/cli/progress';
import { writable } from '../../src/reconcile/repair/journal';
import { ReconcileError, reconcile, type ReconcileProgress } from '../../src/reconcile/index';
import { dealRecord, DEFAULT_CALLTOUCH_TOKEN, startCalltouchApi, type CalltouchApi } from '../support/calltouch-api.mjs';

const TOKEN = DEFAULT_CALLTOUCH_TOKEN;
const JOURNAL = '/calls-service/RestAPI/12345/orders-diary/orders';

let api: CalltouchApi;
let folder: string | undefined;

beforeAll(async () => {
  api = await startCalltouchApi();
  folder = await mkdtemp(join(tmpdir(), 'ecomtag-reconcile-api-'));
});
afterAll(async () => {
  await api?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});
beforeEach(() => {
  api.reset();
  api.deals = [];
});

const get = async (query: string, path = JOURNAL) => {
  const response = await fetch(`${api.url}${path}?${query}`);
  return { status: response.status, body: await response.json() };
};
const withToken = (query: string) => `clientApiId=${TOKEN}&${query}`;

describe('the stand-in deal journal (seed 004)', () => {
  it('wants the token, the site it knows, and dates dd/mm/yyyy with dateFrom before dateTo', async () => {
    expect((await get('dateFrom=01/11/2026&dateTo=30/11/2026&page=1')).status).toBe(401);
    expect((await get(`clientApiId=x${TOKEN}&dateFrom=01/11/2026&dateTo=30/11/2026&page=1`)).status).toBe(401);
    expect((await get(withToken('dateFrom=01/11/2026&dateTo=30/11/2026&page=1'), '/calls-service/RestAPI/54321/orders-diary/orders')).status).toBe(403);
    expect(await get(withToken('dateFrom=11/30/2026&dateTo=12/01/2026&page=1'))).toEqual({ status: 400, body: { message: 'dateFrom and dateTo are required, as dd/mm/yyyy' } });
    expect(await get(withToken('dateFrom=02/11/2026&dateTo=02/11/2026'))).toEqual({ status: 400, body: { message: 'dateFrom must be less than dateTo' } });
    expect(await get(withToken('dateFrom=01/11/2026&dateTo=30/11/2026'))).toEqual({ status: 400, body: { message: 'a range over more than one day needs page and limit' } });
    expect((await get(withToken('dateFrom=01/11/2026&dateTo=30/11/2026&page=1&limit=1001'))).status).toBe(400);
    // One day needs no paging; the answer is then the records alone.
    expect(await get(withToken('dateFrom=01/11/2026&dateTo=02/11/2026'))).toEqual({ status: 200, body: { records: [] } });
  });

  it('pages as seed 004 shows, and lists deals not created through its API only withAllOrderOrigins=true', async () => {
    api.deals = [
      dealRecord({ orderNumber: 'E-2', orderDate: '03/11/2026 10:00:00', products: [{ externalId: '3', price: 101, quantity: 1 }] }),
      dealRecord({ orderNumber: 'E-1', orderDate: '02/11/2026 10:00:00', products: [{ externalId: '3', price: 101, quantity: 1 }] }),
      dealRecord({ orderNumber: 'CRM-1', orderDate: '02/11/2026 11:00:00', plannedAmount: 6000, orderOrigin: 'API' }),
      dealRecord({ orderNumber: 'LATE', orderDate: '01/12/2026 00:00:01', plannedAmount: 1 }),
    ];
    const page = await get(withToken('dateFrom=01/11/2026&dateTo=30/11/2026&page=2&limit=2&withAllOrderOrigins=true'));
    expect(page.status).toBe(200);
    expect({ ...page.body, records: page.body.records.map((record: { orderNumber: string }) => record.orderNumber) }).toEqual({ page: 2, pageTotal: 2, pageSize: 2, recordsTotal: 3, records: ['E-2'] });
    const apiOnly = await get(withToken('dateFrom=01/11/2026&dateTo=30/11/2026&page=1'));
    expect(apiOnly.body.records.map((record: { orderNumber: string }) => record.orderNumber)).toEqual(['CRM-1']);
    // Shaped like the seed's example record, tags only when asked for.
    expect(Object.keys(page.body.records[0])).toEqual(expect.arrayContaining(['client', 'createdDate', 'isDeleted', 'orderDate', 'orderNumber', 'orderSource', 'orderStatus', 'plannedAmount', 'products', 'visit', 'currencyCode']));
    expect(page.body.records[0]).not.toHaveProperty('tags');
    expect(page.body.records[0].products).toEqual([{ name: 'Товар 3', brand: '', category: '', variant: '', price: 101, quantity: 1, revenue: 101, externalId: '3', margin: null }]);
  });

  it('answers 5 of 11 requests in one second at once, queues 5 for the next second, and refuses the 11th', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 11 }, async () => {
        const response = await fetch(`${api.url}${JOURNAL}?${withToken('dateFrom=01/11/2026&dateTo=02/11/2026')}`);
        await response.body?.cancel();
        return response.status;
      }),
    );
    expect(statuses.sort()).toEqual([...Array(10).fill(200), 429]);
    expect(api.requests.map((request) => (request.status === 429 ? 'refused' : request.queued ? 'queued' : 'at once')).sort()).toEqual([...Array(5).fill('at once'), ...Array(5).fill('queued'), 'refused']);
  });
});

describe('reconcile() for code', () => {
  const ordersFile = () => join(folder as string, 'orders.json');
  const options = (extra: Partial<Parameters<typeof reconcile>[0]> = {}) => ({
    siteId: 12345,
    from: '2026-11-01',
    to: '2026-11-30',
    orders: ordersFile(),
    token: TOKEN,
    apiUrl: api.url,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    ...extra,
  });

  beforeAll(async () => {
    await writeFile(
      ordersFile(),
      JSON.stringify([
        { id: 'A-1', date: '2026-11-03 12:00:00', products: [{ id: 3, name: 'USB-удлинитель', price: 101, quantity: 2 }] },
        { id: 'A-2', date: '2026-11-04', products: [{ id: 'SKU-7', price: '0.10', quantity: 3 }] },
        { id: 'A-0', date: '2026-10-31', products: [{ id: 3, price: 101, quantity: 1 }] },
      ]),
    );
  });

  it('reports deleted deals and deals no order has apart, and orders outside the period as not checked', async () => {
    api.deals = [
      dealRecord({ orderNumber: 'A-1', orderDate: '03/11/2026 12:00:09', products: [{ externalId: '3', price: 101, quantity: 2 }] }),
      dealRecord({ orderNumber: 'A-2', orderDate: '04/11/2026 09:00:00', products: [{ externalId: 'SKU-7', price: 0.1, quantity: 3 }], isDeleted: true }),
      dealRecord({ orderNumber: 'HLlHwLqSms5r8e', orderDate: '10/11/2026 10:00:00', plannedAmount: 6000 }),
      dealRecord({ orderNumber: 'GONE', orderDate: '11/11/2026 10:00:00', plannedAmount: 10, isDeleted: true }),
    ];
    const result = await reconcile(options());
    expect(result.report).toEqual({ period: { from: '2026-11-01', to: '2026-11-30' }, matched: 1, missing: [], mismatched: [], onlyInCalltouch: ['HLlHwLqSms5r8e'], deleted: ['A-2', 'GONE'] });
    expect(result.exitCode).toBe(0);
    expect(result.orders).toBe(2);
    expect(result.outsidePeriod).toEqual([{ id: 'A-0', date: '2026-10-31' }]);
    expect(result.journal).toMatchObject({ deals: 4, pages: 2, ranges: [{ from: '2026-10-31', to: '2026-11-16' }, { from: '2026-11-16', to: '2026-12-01' }], unreadable: [], notices: [] });
    expect(result.repair).toBeUndefined();
  });

  it('outlasts a hanging request and a reset connection', async () => {
    api.failNext(1, 'hang');
    api.failNext(1, 'reset');
    const progress: ReconcileProgress[] = [];
    const result = await reconcile(options({ timeoutMs: 500, onProgress: (event) => progress.push(event) }));
    expect(result.report.missing).toEqual(['A-1', 'A-2']);
    expect(api.requests.map((request) => request.status)).toEqual([null, null, 200, 200]);
    expect(progress.filter((event) => event.type === 'retry').map((event) => event.type === 'retry' && event.reason).sort()).toEqual(['no answer within 0.5 s', 'other side closed (UND_ERR_SOCKET)']);
    expect(progress.filter((event) => event.type === 'pages')).toEqual([
      { type: 'pages', loaded: 1, total: 2, exact: false, deals: 0 },
      { type: 'pages', loaded: 2, total: 2, exact: true, deals: 0 },
    ]);
  });

  it('refuses an answer that is no page, naming it without the token', async () => {
    const html = async () => new Response(`<html>502 Bad Gateway for clientApiId=${TOKEN}</html>`, { status: 200, headers: { 'Content-Type': 'text/html' } });
    const failure = await reconcile(options({ fetch: html })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReconcileError);
    expect(failure).toMatchObject({ kind: 'api' });
    expect((failure as ReconcileError).problems).toEqual([
      expect.stringMatching(/^Calltouch answered the deal journal's page 1 of \S+ with something that is not JSON: <html>502 Bad Gateway for clientApiId=\*\*\*<\/html>$/),
    ]);
  });

  it('sends no purchase when the journal cannot be read or written: what it holds, or will, keeps purchases once', async () => {
    const locked = join(folder as string, 'locked.json');
    await copyFile(ordersFile(), locked);
    await mkdir(`${locked}.reconcile-journal.jsonl`);
    const failure = await reconcile(options({ orders: locked, repair: 'send', ecommerceUrl: `${api.url}/ecommerce.php` })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'input', problems: [`the journal ${locked}.reconcile-journal.jsonl cannot be read (EISDIR)`] });
    expect(api.requests.map((request) => request.path)).toEqual([JOURNAL, JOURNAL]);
    expect(await writable(join(folder as string, 'no-such-folder', 'orders.csv.reconcile-journal.jsonl'))).toBe('ENOENT');
  });

  it('names every bad option before any request', async () => {
    const failure = await reconcile(options({ siteId: 0, from: '2026-11-31', to: 'soon', token: ' ', apiUrl: 'ftp://x', repair: 'maybe' as 'send' })).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      kind: 'input',
      problems: [
        'the site id must be a whole number above 0, got 0',
        'from must be a date YYYY-MM-DD, got "2026-11-31"',
        'to must be a date YYYY-MM-DD, got "soon"',
        'the API token is empty',
        'the API URL must be an http(s) URL, got "ftp://x"',
        "repair must be 'dry-run' or 'send', got \"maybe\"",
      ],
    });
    expect(api.requests).toEqual([]);
  });
});

describe('progress on stderr', () => {
  const stream = (isTTY: boolean) => {
    let text = '';
    return { write: (chunk: string) => void (text += chunk), isTTY, columns: 100, text: () => text };
  };

  it('is one line per step where stderr is no terminal', () => {
    const out = stream(false);
    const progress = createProgress(out, 'ecomtag-reconcile');
    progress.show({ type: 'pages', loaded: 1, total: 2, exact: false, deals: 1000 });
    progress.show({ type: 'retry', what: "the deal journal's page 2 of 01/11/2026–30/11/2026", attempt: 1, attempts: 6, delayMs: 750, reason: 'HTTP 503' });
    progress.show({ type: 'pages', loaded: 2, total: 3, exact: true, deals: 2000 });
    progress.show({ type: 'sent', done: 1, total: 3 });
    progress.end();
    expect(out.text()).toBe(
      [
        'ecomtag-reconcile: deal journal: page 1 of at least 2, 1000 deals',
        "ecomtag-reconcile: the deal journal's page 2 of 01/11/2026–30/11/2026: HTTP 503; trying again in 0.8 s (try 2 of 6)",
        'ecomtag-reconcile: deal journal: page 2 of 3, 2000 deals',
        'ecomtag-reconcile: repair: 1 of 3 purchases answered',
        '',
      ].join('\n'),
    );
  });

  it('is a bar redrawn in place on a terminal, with notes above it, and gone at the end', () => {
    const out = stream(true);
    const progress = createProgress(out, 'ecomtag-reconcile');
    progress.show({ type: 'pages', loaded: 2, total: 4, exact: true, deals: 2000 });
    progress.note('a note');
    progress.end();
    const label = 'deal journal: 2/4 pages, 2000 deals';
    const bar = `${'█'.repeat(20)}${'░'.repeat(20)} 50% ${label}`;
    expect(out.text()).toBe(`\r\x1b[2K${bar}\r\x1b[2Kecomtag-reconcile: a note\n\r\x1b[2K${bar}\r\x1b[2K`);
  });
});
