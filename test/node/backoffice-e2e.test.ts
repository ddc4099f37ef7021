// The back office as a store runs it: `dist/relay.mjs` as a process with RELAY_BACKOFFICE_TOKEN and a Calltouch site,
// in front of the stand-in eSputnik (which keeps contacts and orders with their status history, and records or
// ignores each event as the real one) and the stand-in Calltouch collector (seed 000's strict offline types); the
// built `ecomtag-order` as cron runs it; the README's miniShop2 plugin run by the `php` CLI; the README's RetailCRM
// body. Assertions are on what the stand-ins *recorded*. The browser's purchase first: test/browser/backoffice.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKOFFICE_TOKEN, backOfficeEnv, CALLTOUCH_SITE_ID, runOrder } from '../support/backoffice-process.mjs';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector, type Collector } from '../support/collector.mjs';
import { tagBodies } from '../support/relay-bodies.mjs';
import { startRelay, type RelayProcess } from '../support/relay-process.mjs';

const ORIGIN = 'https://shop.example';

let collector: Collector;
let relay: RelayProcess;

beforeAll(async () => {
  collector = await startCollector();
  relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: ORIGIN, upstreamUrl: `${collector.url}/esputnik/api/v2/event`, env: backOfficeEnv(collector) });
});
afterAll(async () => {
  await relay?.close();
  await collector?.close();
  // Neither secret is on any line the relay wrote.
  for (const secret of [BACKOFFICE_TOKEN, DEFAULT_ESPUTNIK_API_KEY]) expect(relay.output.filter((line) => line.includes(secret))).toEqual([]);
});
beforeEach(() => collector.reset());

/**
 * The tag's signed orderCreated, as a page posts it through the browser lane, for a shopper of its own (the relay
 * remembers the contacts it added; the stand-in forgets them between tests).
 */
const placeOrder = async (orderId: string, sub = `email:${orderId.toLowerCase().replace(/\W/g, '-')}@example.com`) => {
  const response = await fetch(`${relay.url}/ecomtag/relay`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify(tagBodies(sub, { orderId }).orderCreated),
  });
  expect(response.status).toBe(200);
};

const backOffice = async (body: unknown, token = BACKOFFICE_TOKEN) => {
  const response = await fetch(`${relay.url}/backoffice/orders`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { orders?: Array<Record<string, unknown>>; errors?: string[] } };
};

const order = (id: string) => collector.esputnik.order(id);
/** A port nothing listens on: one the system gave, closed again. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
const calltouchRecords = () => collector.records.filter((record) => record.service === 'calltouch');
const cli = (args: string[], env: Record<string, string> = {}) =>
  runOrder(args, { env: { ECOMTAG_RELAY_URL: relay.url, RELAY_BACKOFFICE_TOKEN: BACKOFFICE_TOKEN, ...env } });

describe('the back office process against the stand-ins', () => {
  it('a phone order delivered from the back office: eSputnik adds the contact and records the order DELIVERED, Calltouch its offline purchase', async () => {
    const answer = await backOffice({
      id: 'PH-1',
      status: 'delivered',
      origin: 'offline',
      date: '2026-11-05 14:03:00',
      contact: { phone: '+7 (911) 222-33-44', name: 'Борис' },
      products: [{ id: 1005, name: 'Наушники', price: '1990.00', discount: 90, quantity: 1, url: 'https://shop.example/p/1005', imageUrl: 'https://shop.example/p/1005.jpg' }],
    });
    expect(answer).toEqual({ status: 200, body: { orders: [{ id: 'PH-1', status: 'delivered', esputnik: 'sent', calltouch: 'sent' }] } });
    expect(collector.esputnik.findContact({ phone: '79112223344' })).toBeDefined();
    expect(order('PH-1')).toMatchObject({
      status: 'DELIVERED',
      totalCost: '1900',
      items: [{ externalItemId: '1005', name: 'Наушники', quantity: 1, cost: 1900, url: 'https://shop.example/p/1005', imageUrl: 'https://shop.example/p/1005.jpg' }],
      history: [{ eventTypeKey: 'orderUpdated', status: 'DELIVERED' }],
    });
    // Seed 000 l.250-271: the offline purchase, judged valid by the stand-in, with the headers it names.
    expect(calltouchRecords()).toMatchObject([
      { valid: true, kind: 'offline', accept: 'application/json', cacheControl: 'no-cache', body: { siteId: CALLTOUCH_SITE_ID, eventType: 'purchase', id: 'PH-1', products: [{ id: 1005, name: 'Наушники', price: 1990, quantity: 1 }] } },
    ]);
  });

  it('ecomtag-order: delivered (exit 0) makes the shopper’s order DELIVERED, a partial then a full refund reach Calltouch, the full one cancels it', async () => {
    await placeOrder('CR-1');
    const delivered = await cli(['--status', 'delivered', '--id', 'CR-1']);
    expect(delivered).toMatchObject({ code: 0, stderr: '' });
    expect(delivered.stdout).toBe("order CR-1 delivered: eSputnik sent; Calltouch skipped: Calltouch takes purchases and refunds, and this order's purchase came from the tag (origin site)\n");
    const partial = await cli([
      '--status', 'refunded', '--id', 'CR-1', '--contact-email', 'cr-1@example.com',
      '--refund-products', '[{"id":1003,"quantity":1}]',
      '--products', JSON.stringify([{ id: 1003, name: 'USB-удлинитель', price: 150.5, quantity: 1, url: 'https://shop.example/p/1003', imageUrl: 'https://shop.example/p/1003.jpg' }, { id: 1005, name: 'Наушники', price: 1900, quantity: 1, url: 'https://shop.example/p/1005', imageUrl: 'https://shop.example/p/1005.jpg' }]),
    ]);
    expect(partial).toMatchObject({ code: 0, stdout: 'order CR-1 refunded: eSputnik sent; Calltouch sent\n' });
    expect(order('CR-1')).toMatchObject({ status: 'DELIVERED', totalCost: '2050.5' });
    const full = await cli(['--status', 'refunded', '--id', 'CR-1', '--json']);
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout)).toEqual({ ok: true, orders: [{ id: 'CR-1', status: 'refunded', esputnik: 'sent', calltouch: 'sent' }] });
    expect(order('CR-1')!.history.map((step) => [step.eventTypeKey, step.status])).toEqual([
      ['orderCreated', 'INITIALIZED'],
      ['orderDelivered', 'DELIVERED'],
      ['orderUpdated', 'DELIVERED'],
      ['orderCancelled', 'CANCELLED'],
    ]);
    expect(calltouchRecords().map((record) => [record.valid, record.body])).toEqual([
      [true, { siteId: CALLTOUCH_SITE_ID, eventType: 'refund', id: 'CR-1', products: [{ id: 1003, quantity: 1 }] }],
      [true, { siteId: CALLTOUCH_SITE_ID, eventType: 'refund', id: 'CR-1', products: [] }],
    ]);
    // The same full refund again (a cron job run twice): answered sent, nothing sent.
    const again = await cli(['--status', 'refunded', '--id', 'CR-1']);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain("note: eSputnik's orderCancelled was sent before: not sent again");
    expect(calltouchRecords()).toHaveLength(2);
  });

  it('ecomtag-order: exit 1 when a destination refuses, 2 for bad input, a wrong token, a relay that is down', async () => {
    const refused = await cli(['--status', 'delivered', '--id', 'NOBODY-1']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^order NOBODY-1 delivered: eSputnik refused: eSputnik files an order under its contact/);
    expect(await cli(['--status', 'shipped', '--id', '1'])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('--status must be one of in_progress, delivered, cancelled, refunded, updated') });
    const malformed = await cli(['--status', 'updated', '--id', '1', '--products', '[{"id":1,"price":"1,5","quantity":1}]']);
    expect(malformed).toMatchObject({ code: 2, stderr: 'ecomtag-order: products[0].price must be a number from 0 to 1000000000 such as 150.50\n' });
    const wrong = await cli(['--status', 'delivered', '--id', '1'], { RELAY_BACKOFFICE_TOKEN: `${BACKOFFICE_TOKEN}0` });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('ecomtag-order: the relay refused the token: set RELAY_BACKOFFICE_TOKEN to the relay’s\necomtag-order: the token is not RELAY_BACKOFFICE_TOKEN\n');
    const down = await cli(['--status', 'delivered', '--id', '1', '--retries', '0'], { ECOMTAG_RELAY_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(down.code).toBe(2);
    expect(down.stdout).toBe('order 1 delivered: eSputnik retry: the relay could not be reached: ECONNREFUSED; Calltouch retry: the relay could not be reached: ECONNREFUSED\n');
    const withToken = await cli(['--status', 'delivered', '--id', '1', '--token', BACKOFFICE_TOKEN]);
    expect(withToken).toMatchObject({ code: 2, stderr: 'ecomtag-order: unknown option --token: the token is read from RELAY_BACKOFFICE_TOKEN only\necomtag-order: nothing was sent; see ecomtag-order --help\n' });
    for (const run of [refused, malformed, wrong, down, withToken]) expect(run.stdout + run.stderr).not.toContain(BACKOFFICE_TOKEN);
  });

  it('ecomtag-order waits out a destination’s failure and sends the order there again, and only there', async () => {
    await placeOrder('RT-1');
    const placed = collector.all.length;
    collector.failNext(1, 503);
    const run = await cli(['--status', 'cancelled', '--id', 'RT-1']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^ecomtag-order: 1 order\(s\) to send again; trying again in 5\.0 s\n$/);
    expect(run.stdout).toBe('order RT-1 cancelled: eSputnik sent; Calltouch sent\n');
    const received = collector.all.slice(placed).map((record) => [record.service, record.status]);
    // The simulated 503 fell on whichever destination asked first; that one alone was asked again.
    expect(received).toHaveLength(3);
    expect(received.filter(([, status]) => status === 503)).toHaveLength(1);
    expect(order('RT-1')?.status).toBe('CANCELLED');
    expect(calltouchRecords().filter((record) => record.status === 200)).toHaveLength(1);
  });
});

describe('the README’s recipes', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = (language: string, containing: string) => {
    const found = [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]).find((code) => code.includes(containing));
    if (!found) throw new Error(`no ${language} block with ${containing} in README.md`);
    return found;
  };

  const php = spawnSync('php', ['--version']).status === 0;
  const harness = fileURLToPath(new URL('../support/minishop2.php', import.meta.url));
  const plugin = block('php', 'msOnChangeOrderStatus');
  /** The plugin as MODX runs it, for a miniShop2 order of anna's, its status changed to `status`. */
  const runPlugin = (status: number, settings: Record<string, string> = {}) => {
    const data = {
      order: { num: '2611/3', createdon: '2026-11-05 14:03:00' },
      products: [
        { product_id: 1003, name: 'USB-удлинитель', price: 150.5, count: 2, image: '/assets/images/products/1003.jpg' },
        { product_id: 1005, name: 'Наушники', price: 1900, count: 1, image: '/assets/images/products/1005.jpg' },
      ],
      address: { receiver: 'Анна', phone: '+7 (900) 123-45-67' },
      profile: { email: 'Anna.PHP@Example.com' },
    };
    const allSettings = {
      site_url: 'https://shop.example/',
      ecomtag_relay_url: relay.url,
      ecomtag_backoffice_token: BACKOFFICE_TOKEN,
      ecomtag_order_statuses: '{"2": "in_progress", "3": "delivered", "4": "cancelled"}',
      ...settings,
    };
    // Not execFileSync: the stand-ins answer the relay from this process, which must keep running meanwhile.
    return new Promise<string>((resolve, reject) => {
      const child = spawn('php', [harness, JSON.stringify(allSettings), JSON.stringify(data), String(status)], { stdio: ['pipe', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`php exited ${code}: ${output}`))));
      child.stdin.end(plugin);
    });
  };

  it.skipIf(!php)('the miniShop2 plugin, run by the php CLI: paid, sent and cancelled become IN_PROGRESS, DELIVERED (with items) and CANCELLED (skipped where php is not on PATH)', async () => {
    await placeOrder('2611/3', 'email:anna.php@example.com');
    expect(await runPlugin(1)).toBe('done\n');
    for (const status of [2, 3, 4]) expect(await runPlugin(status)).toBe('done\n');
    expect(order('2611/3')).toMatchObject({
      status: 'CANCELLED',
      totalCost: '2201',
      items: [
        { externalItemId: '1003', name: 'USB-удлинитель', quantity: 2, cost: 150.5, url: 'https://shop.example/catalog/1003.html', imageUrl: 'https://shop.example/assets/images/products/1003.jpg' },
        { externalItemId: '1005', name: 'Наушники', quantity: 1, cost: 1900, url: 'https://shop.example/catalog/1005.html', imageUrl: 'https://shop.example/assets/images/products/1005.jpg' },
      ],
    });
    expect(order('2611/3')!.history.map((step) => step.status)).toEqual(['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED']);
    expect(collector.esputnik.findContact({ email: 'anna.php@example.com' })).toMatchObject({ phones: ['79001234567'] });
    expect(calltouchRecords().map((record) => [record.valid, record.body])).toEqual([[true, { siteId: CALLTOUCH_SITE_ID, eventType: 'refund', id: '2611/3', products: [] }]]);
  });

  it.skipIf(!php)('the miniShop2 plugin logs what the relay did not take (skipped where php is not on PATH)', async () => {
    expect(await runPlugin(3, { ecomtag_backoffice_token: 'x'.repeat(64) })).toBe('log: [ecomtag] order 2611/3: {"errors":["the token is not RELAY_BACKOFFICE_TOKEN"]}\ndone\n');
    expect(await runPlugin(3, { ecomtag_relay_url: `http://127.0.0.1:${await closedPort()}` })).toBe('log: [ecomtag] order 2611/3: the relay did not answer\ndone\n');
  });

  it('the RetailCRM trigger’s body, with an order’s values, is an order the relay takes', async () => {
    await placeOrder('2611/7', 'email:anna.crm@example.com');
    // What RetailCRM's template engine puts in place of each expression, for modRetailCRM's order 2611-7.
    const values: Record<string, string> = {
      'order.externalId': '2611/7',
      'order.email': 'anna.crm@example.com',
      'order.phone': '+7 900 123-45-67',
      'order.firstName': 'Анна',
    };
    const template = block('json', '{{ order.externalId }}');
    const rendered = template.replace(/\{\{ ([^}]+?) \}\}/g, (_, expression: string) => {
      if (!(expression in values)) throw new Error(`no value for ${expression}`);
      return values[expression];
    });
    const answer = await backOffice(JSON.parse(rendered));
    expect(answer).toEqual({ status: 200, body: { orders: [{ id: '2611/7', status: 'delivered', esputnik: 'sent', calltouch: expect.stringMatching(/^skipped: /) }] } });
    expect(order('2611/7')?.status).toBe('DELIVERED');
  });
});
