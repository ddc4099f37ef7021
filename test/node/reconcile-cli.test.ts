// `ecomtag-reconcile` as a store runs it (SPEC §8): `node dist/reconcile.mjs` as a process, against the stand-in
// Calltouch API (test/support/calltouch-api.mjs, seed 004's deal journal and its limit) and the stand-in
// ecommerce.php (test/support/collector.mjs, seed 000's offline format, strictly). `node build.mjs` must have run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dealFromPurchase, dealRecord, DEFAULT_CALLTOUCH_TOKEN, startCalltouchApi, type CalltouchApi } from '../support/calltouch-api.mjs';
import { startCollector, type Collector } from '../support/collector.mjs';
import { runReconcile, type ReconcileRun } from '../support/reconcile-process.mjs';

const TOKEN = DEFAULT_CALLTOUCH_TOKEN;
const SITE_ID = '12345';

interface Product {
  id: string;
  name: string;
  price: string;
}
interface Order {
  id: string;
  date: string;
  lines: Array<{ product: Product; quantity: number }>;
}

// Names with a comma, quotes and a semicolon, as real catalogues have them: the CSV must quote them.
const PRODUCTS: Product[] = [
  { id: '1003', name: 'USB-удлинитель', price: '150.50' },
  { id: '1005', name: 'Наушники "JBL", чёрные', price: '2000.00' },
  { id: 'SKU-7', name: 'Кабель; 2 м', price: '0.10' },
  { id: '3', name: 'USB-удлинитель', price: '101' },
];
const pad = (n: number) => String(n).padStart(2, '0');

/** 2,503 orders from 2 to 29 November 2026, one to two lines each. */
const month = (): Order[] =>
  Array.from({ length: 2503 }, (_, i) => ({
    id: String(100001 + i),
    date: `2026-11-${pad(2 + (i % 28))}`,
    lines: [{ product: PRODUCTS[i % 4], quantity: 1 + (i % 3) }, ...(i % 5 === 0 ? [{ product: PRODUCTS[(i + 1) % 4], quantity: 1 }] : [])],
  }));

/** RFC 4180: a field with a separator, a quote or a line break is quoted, its quotes doubled. */
const csvField = (value: string) => (/[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const toCsv = (orders: Order[]) =>
  [
    'order_id,date,product_id,name,price,quantity',
    ...orders.flatMap((order) => order.lines.map(({ product, quantity }) => [order.id, `${order.date} 10:00:00`, product.id, product.name, product.price, String(quantity)].map(csvField).join(','))),
  ].join('\r\n') + '\r\n';

/** The deal Calltouch would list for an order, made `change` differently. */
const dealOf = (order: Order, change: (line: { externalId: string; name: string; price: number; quantity: number }, index: number) => void = () => undefined) => {
  const [year, monthNumber, day] = order.date.split('-');
  const products = order.lines.map(({ product, quantity }) => ({ externalId: product.id, name: product.name, price: Number(product.price), quantity }));
  products.forEach(change);
  return dealRecord({ orderNumber: order.id, orderDate: `${day}/${monthNumber}/${year} 10:00:05`, products });
};

// The month's missing orders (their deals never came) and mismatched ones.
const MISSING = new Set([6, 1207, 2405]);
const MORE_UNITS = 41;
const LOWER_PRICE = 2040;
const monthDeals = (orders: Order[]) =>
  orders.flatMap((order, i) => {
    if (MISSING.has(i)) return [];
    if (i === MORE_UNITS) return [dealOf(order, (line) => (line.quantity += 1))];
    if (i === LOWER_PRICE) return [dealOf(order, (line, index) => index === 0 && (line.price -= 0.5))];
    return [dealOf(order)];
  });

const EXPECTED_REPORT = {
  period: { from: '2026-11-02', to: '2026-11-29' },
  matched: 2498,
  missing: ['100007', '101208', '102406'],
  mismatched: [
    {
      id: '100042',
      store: { amount: 6000, products: [{ id: '1005', quantity: 3, price: 2000 }] },
      calltouch: { amount: 8000, products: [{ id: '1005', quantity: 4, price: 2000 }] },
    },
    {
      id: '102041',
      store: { amount: 2150.5, products: [{ id: '1003', quantity: 1, price: 150.5 }, { id: '1005', quantity: 1, price: 2000 }] },
      calltouch: { amount: 2150, products: [{ id: '1003', quantity: 1, price: 150 }, { id: '1005', quantity: 1, price: 2000 }] },
    },
  ],
  onlyInCalltouch: [],
  deleted: [],
};

// The missing orders' offline purchases, exactly: seed 000's offline example and its "types strictly as in the
// example" (siteId a number, id a string, a product id of digits a number, quantity an integer), over its field
// table. These need the tag's mapper to send digit-only product ids as numbers (SPEC §5).
const EXPECTED_PURCHASES = [
  '{"siteId":12345,"eventType":"purchase","id":"100007","products":[{"id":"SKU-7","name":"Кабель; 2 м","price":0.1,"quantity":1}]}',
  '{"siteId":12345,"eventType":"purchase","id":"101208","products":[{"id":3,"name":"USB-удлинитель","price":101,"quantity":2}]}',
  '{"siteId":12345,"eventType":"purchase","id":"102406","products":[{"id":1005,"name":"Наушники \\"JBL\\", чёрные","price":2000,"quantity":3},{"id":"SKU-7","name":"Кабель; 2 м","price":0.1,"quantity":1}]}',
];

let folder: string | undefined;
let api: CalltouchApi;
let collector: Collector;
/** Every line any run printed, checked for the token at the end. */
const printed: string[] = [];

const file = (name: string) => join(folder as string, name);

const run = async (args: string[], env: Record<string, string> = { CALLTOUCH_API_TOKEN: TOKEN }): Promise<ReconcileRun> => {
  const result = await runReconcile(['--api-url', api.url, '--ecommerce-url', `${collector.url}/calltouch/ecommerce.php`, ...args], { env });
  printed.push(result.stdout, result.stderr);
  return result;
};
const period = (ordersFile: string, from = '2026-11-02', to = '2026-11-29') => ['--site-id', SITE_ID, '--from', from, '--to', to, '--orders', ordersFile];
const lines = (text: string) => text.split('\n').filter(Boolean);

/** In every window of one second, how many requests the stand-in saw start: the most. */
const busiestSecond = (requests: Array<{ at: number }>) => Math.max(0, ...requests.map(({ at }) => requests.filter((other) => other.at >= at && other.at < at + 1000).length));

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ecomtag-reconcile-'));
  [api, collector] = await Promise.all([startCalltouchApi(), startCollector()]);
});
afterAll(async () => {
  await Promise.all([api?.close(), collector?.close()]);
  if (folder) await rm(folder, { recursive: true, force: true });
});
beforeEach(() => {
  api.reset();
  collector.reset();
});

describe('a month of 2,503 orders against 2,500 deals on three pages', () => {
  const orders = month();

  beforeAll(async () => {
    await writeFile(file('month.csv'), toCsv(orders));
  });
  beforeEach(() => {
    api.deals = monthDeals(orders);
  });

  it('finds exactly the 3 missing and the 2 mismatched orders, reading each page once', async () => {
    expect(api.deals.length).toBe(2500);
    const result = await run([...period(file('month.csv')), '--json']);
    expect(result.stderr.split('\n').filter((line) => !/^ecomtag-reconcile: deal journal: page \d of 3, \d+ deals$/.test(line))).toEqual(['']);
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED_REPORT);
    expect(result.code).toBe(1);
    // Seed 004's request: one range (the period and a day each side), paged, every origin.
    expect(api.requests.map((request) => ({ ...request.query, status: request.status, tokenValid: request.tokenValid }))).toEqual(
      [1, 2, 3].map((page) => ({ dateFrom: '01/11/2026', dateTo: '30/11/2026', page: String(page), limit: '1000', withAllOrderOrigins: 'true', status: 200, tokenValid: true })),
    );
    const seconds = (api.requests[2].at - api.requests[0].at) / 1000;
    console.info(`2,500 deals on 3 pages: the run took ${Math.round(result.ms)} ms; 3 requests in ${seconds.toFixed(2)} s, ${busiestSecond(api.requests)} in the busiest second`);
  });

  it('prints the table on stdout and only progress on stderr', async () => {
    const result = await run(period(file('month.csv')));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(['Missing: no deal in Calltouch', '  order   date        amount   lines', '  100007  2026-11-08  0.10     1'].join('\n'));
    expect(result.stdout).toContain(['  order 100042', '    amount        store 6000.00      Calltouch 8000.00', '    product 1005  store 3 × 2000.00  Calltouch 4 × 2000.00'].join('\n'));
    expect(result.stdout).toContain(['  order 102041', '    amount        store 2150.50     Calltouch 2150.00', '    product 1003  store 1 × 150.50  Calltouch 1 × 150.00'].join('\n'));
    expect(lines(result.stderr)).toEqual(['ecomtag-reconcile: deal journal: page 1 of 3, 1000 deals', 'ecomtag-reconcile: deal journal: page 2 of 3, 2000 deals', 'ecomtag-reconcile: deal journal: page 3 of 3, 2500 deals']);
  });

  it('--repair without --yes prints the 3 purchases it would send, and sends nothing', async () => {
    const result = await run([...period(file('month.csv')), '--repair']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Would send 3 offline purchases to ${collector.url}/calltouch/ecommerce.php (run again with --yes to send):\n${EXPECTED_PURCHASES.join('\n')}\n`);
    expect(collector.all).toEqual([]);
    await expect(readFile(file('month.csv.reconcile-journal.jsonl'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('--repair --yes sends exactly the 3 offline purchases, once; once Calltouch lists them they match', async () => {
    const first = await run([...period(file('month.csv')), '--repair', '--yes', '--json']);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)).toEqual(EXPECTED_REPORT);
    expect(first.stderr).toContain(`Sent 3 of 3 offline purchases to ${collector.url}/calltouch/ecommerce.php: 100007, 101208, 102406.`);
    // What the stand-in recorded as Calltouch would: valid bodies, with seed 000's headers.
    expect(collector.invalid).toEqual([]);
    expect(collector.records.map((record) => record.raw).sort()).toEqual(EXPECTED_PURCHASES);
    expect(collector.records.map(({ kind, contentType, accept, cacheControl }) => ({ kind, contentType, accept, cacheControl }))).toEqual(
      Array(3).fill({ kind: 'offline', contentType: 'application/json', accept: 'application/json', cacheControl: 'no-cache' }),
    );
    const journal = lines(await readFile(file('month.csv.reconcile-journal.jsonl'), 'utf8')).map((line) => JSON.parse(line));
    expect(journal.map(({ id, status }) => ({ id, status })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(['100007', '101208', '102406'].map((id) => ({ id, status: 'sent' })));
    expect(journal.every((line) => Object.keys(line).join() === 'id,sentAt,status' && !Number.isNaN(Date.parse(line.sentAt)))).toBe(true);

    // Before Calltouch lists them: nothing is sent again.
    const second = await run([...period(file('month.csv')), '--repair', '--yes']);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('Order 101208 was sent by --repair at ');
    expect(second.stdout).toContain('Nothing else to send.');
    expect(collector.all.length).toBe(3);

    // Calltouch lists what it recorded: the three match, the mismatched two stay, and nothing is sent.
    api.deals.push(...collector.records.map((record) => dealFromPurchase(record.body as Parameters<typeof dealFromPurchase>[0], new Date(2026, 10, 29, 23, 0, 0))));
    const third = await run([...period(file('month.csv')), '--repair', '--yes', '--json']);
    expect(JSON.parse(third.stdout)).toEqual({ ...EXPECTED_REPORT, matched: 2501, missing: [] });
    expect(third.stderr).toContain('Nothing to send.');
    expect(collector.all.length).toBe(3);
  });
});

describe('the pace', () => {
  it('reads a year (13 ranges, 14 pages) at most 5 requests a second: the stand-in queues none and refuses none', async () => {
    // 1,100 deals in January make its range two pages; one deal a day after.
    const orders: Order[] = [];
    for (let i = 0; i < 1100; i += 1) orders.push({ id: `J-${i}`, date: `2026-01-${pad(2 + (i % 29))}`, lines: [{ product: PRODUCTS[i % 4], quantity: 1 }] });
    for (let m = 2; m <= 12; m += 1) for (let d = 1; d <= 28; d += 1) orders.push({ id: `O-${m}-${d}`, date: `2026-${pad(m)}-${pad(d)}`, lines: [{ product: PRODUCTS[d % 4], quantity: d }] });
    api.deals = orders.map((order) => dealOf(order));
    await writeFile(file('year.csv'), toCsv(orders));

    const result = await run([...period(file('year.csv'), '2026-01-02', '2026-12-30'), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ matched: orders.length, missing: [], mismatched: [] });
    expect(api.requests.length).toBe(14);
    expect(new Set(api.requests.map((request) => `${request.query.dateFrom}-${request.query.dateTo}`)).size).toBe(13);
    expect(api.requests.filter((request) => request.status !== 200 || request.queued)).toEqual([]);
    expect(busiestSecond(api.requests)).toBeLessThanOrEqual(5);
  });
});

describe('when Calltouch fails', () => {
  const small: Order[] = [
    { id: 'A-1', date: '2026-11-03', lines: [{ product: PRODUCTS[0], quantity: 2 }] },
    { id: 'A-2', date: '2026-11-04', lines: [{ product: PRODUCTS[3], quantity: 1 }] },
  ];
  beforeAll(async () => {
    await writeFile(file('small.csv'), toCsv(small));
  });
  beforeEach(() => {
    api.deals = small.map((order) => dealOf(order));
  });

  it('tries again when the API fails twice, then answers', async () => {
    api.failNext(2, 503);
    const result = await run([...period(file('small.csv')), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ matched: 2, missing: [] });
    expect(api.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(lines(result.stderr).filter((line) => line.includes('trying again'))).toEqual([
      expect.stringMatching(/^ecomtag-reconcile: the deal journal's page 1 of 01\/11\/2026–30\/11\/2026: HTTP 503; trying again in \d\.\d s \(try 2 of 6\)$/),
      expect.stringMatching(/: HTTP 503; trying again in \d\.\d s \(try 3 of 6\)$/),
    ]);
  });

  it('gives up after 6 tries with one clear line and exit 2', async () => {
    api.failNext(6, 503, { retryAfter: '0' });
    const result = await run(period(file('small.csv')));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr).filter((line) => !line.includes('trying again'))).toEqual([
      "ecomtag-reconcile: Calltouch did not answer the deal journal's page 1 of 01/11/2026–30/11/2026 (HTTP 503, 6 tries): try again later",
    ]);
    expect(api.requests.length).toBe(6);
  });

  it('stops at a refused token with one line and exit 2, without printing either token', async () => {
    const wrong = 'ct-wrong-token-Zq81Lm0Xb2';
    const result = await run(period(file('small.csv')), { CALLTOUCH_API_TOKEN: wrong });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'ecomtag-reconcile: Calltouch refused the API token (clientApiId) for site 12345 with HTTP 401: clientApiId is missing or invalid: check the token (Calltouch: Settings → API) and the site id',
    ]);
    expect(result.stderr + result.stdout).not.toContain(wrong);
    expect(api.requests.map((request) => request.tokenValid)).toEqual([false]);
  });

  it('names a failed send, keeps the order missing, and sends it (alone) on the next run', async () => {
    api.deals = [];
    const journalFile = file('small.csv.reconcile-journal.jsonl');
    collector.failNext(1, 400);
    const first = await run([...period(file('small.csv')), '--repair', '--yes']);
    expect(first.code).toBe(2);
    expect(collector.all.map((record) => record.status).sort()).toEqual([200, 400]);
    const failed = (collector.all.find((record) => record.status === 400)?.body as { id: string }).id;
    expect(first.stdout).toContain(`Order ${failed} could not be sent (HTTP 400: {"errors":["simulated 400"]}); it stays missing and goes again next run.`);
    expect(lines(first.stderr).at(-1)).toBe('ecomtag-reconcile: 1 of 2 purchase(s) could not be sent; they stay missing and go again next run');
    expect(lines(await readFile(journalFile, 'utf8')).map((line) => JSON.parse(line).status).sort()).toEqual(['failed', 'sent']);

    const second = await run([...period(file('small.csv')), '--repair', '--yes']);
    expect(second.code).toBe(1);
    expect(collector.all.length).toBe(3);
    expect((collector.all[2].body as { id: string }).id).toBe(failed);
    const third = await run([...period(file('small.csv')), '--repair', '--yes']);
    expect(third.stdout).toContain('Nothing else to send.');
    expect(collector.all.length).toBe(3);
  });
});

describe('bad input', () => {
  it('names every bad CSV row by its line and stops with exit 2 before any request', async () => {
    await writeFile(
      file('bad.csv'),
      '\uFEFForder_id;date;product_id;name;price;quantity\r\n1;2026-11-03;3;x;101;1\r\n2;2026-11-31;3;x;101;1\r\n4;2026-11-03;;x;1,5;0\r\n3;2026-11-03;3;"x;1\r\n',
    );
    const result = await run(period(file('bad.csv')));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      `ecomtag-reconcile: ${file('bad.csv')}: line 5: the quote opened on line 5 is never closed`,
      `ecomtag-reconcile: ${file('bad.csv')}: line 3: date must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, got "2026-11-31"`,
      `ecomtag-reconcile: ${file('bad.csv')}: line 4: product_id is empty`,
      `ecomtag-reconcile: ${file('bad.csv')}: line 4: quantity must be a whole number from 1 to 1000000, got "0"`,
      'ecomtag-reconcile: nothing was sent to Calltouch',
    ]);
    expect(api.requests).toEqual([]);
  });

  it('needs CALLTOUCH_API_TOKEN, and says so in one line before reading anything', async () => {
    const result = await run(period(file('nowhere.csv')), {});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("ecomtag-reconcile: CALLTOUCH_API_TOKEN is not set: put Calltouch's API token (Settings → API) in it\n");
    expect(api.requests).toEqual([]);
  });

  it('names every bad option at once and never repeats an argument that is not one of its own', async () => {
    const result = await run(['--site-id', 'x', '--from', '2026-11-01', '--yes', '--token', TOKEN, TOKEN]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'ecomtag-reconcile: unknown option --token (the token is read from CALLTOUCH_API_TOKEN only)',
      'ecomtag-reconcile: unexpected argument number 11: options start with --',
      'ecomtag-reconcile: unexpected argument number 12: options start with --',
      'ecomtag-reconcile: --to is required',
      'ecomtag-reconcile: --orders is required',
      'ecomtag-reconcile: --site-id must be a number, got "x"',
      'ecomtag-reconcile: --yes goes with --repair',
      'ecomtag-reconcile: see ecomtag-reconcile --help',
    ]);
    const dates = await run(['--site-id', '1', '--from', '2026-11-30', '--to', '2026-11-01', '--orders', file('nowhere.csv')]);
    expect(lines(dates.stderr)).toEqual(['ecomtag-reconcile: from (2026-11-30) is after to (2026-11-01)', 'ecomtag-reconcile: nothing was sent to Calltouch']);
    expect(api.requests).toEqual([]);
  });
});

describe('the token', () => {
  it('appears in nothing any run printed or wrote', async () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const text of printed) expect(text).not.toContain(TOKEN);
    for (const name of ['month.csv.reconcile-journal.jsonl', 'small.csv.reconcile-journal.jsonl']) expect(await readFile(file(name), 'utf8')).not.toContain(TOKEN);
  });
});
