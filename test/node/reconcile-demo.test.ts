// The demo's "Reconcile with Calltouch" back-office page without a browser: it runs the real ecomtag-reconcile
// against the demo's stand-ins, where the deal journal lists every purchase the Calltouch stand-in accepted.
// `node build.mjs` must have run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';
import { sitePurchase } from '../support/calltouch-fixtures.mjs';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(() => {
  demo.clear();
});

const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};
const order = (id: string) => ({ id, date: `${today()} 10:00:00`, products: [{ id: '1003', name: 'USB-удлинитель', price: '150.50', quantity: 2 }] });
const runPage = async (body: unknown, contentType = 'application/json') => {
  const response = await fetch(`${demo.url}/admin/reconcile/run`, { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

describe('the reconcile page', () => {
  it('is linked from the back office and runs from this browser\'s orders', async () => {
    expect(await (await fetch(`${demo.url}/admin`)).text()).toContain('href="/admin/reconcile"');
    const page = await (await fetch(`${demo.url}/admin/reconcile`)).text();
    expect(page).toContain('<script type="module" src="/demo/public/reconcile.js"></script>');
    expect(page).toContain(`<code>${demo.calltouchApi.url}</code>`);
    expect(page).toContain('"id":"1003","name":"USB-удлинитель","price":"150.50"');
  });

  it('finds the order whose purchase never reached Calltouch, sends it with --repair --yes, and then finds it', async () => {
    // What the tag sent for the first order reaches the Calltouch stand-in; the second order's never did.
    const sent = await fetch(`${demo.calltouch.url}/calltouch/ecommerce.php`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...sitePurchase, id: 'LV-1', products: [{ id: '1003', name: 'USB-удлинитель', price: 150.5, quantity: 2 }] }),
    });
    expect(sent.status).toBe(200);
    const orders = [order('LV-1'), order('LV-2')];

    const report = await runPage({ orders, from: today(), to: today(), mode: 'report' });
    expect(report.status).toBe(200);
    expect(report.body.code).toBe(1);
    expect(report.body.command).toBe(
      `CALLTOUCH_API_TOKEN=… npx ecomtag-reconcile --site-id 12345 --from ${today()} --to ${today()} --orders orders.json --api-url ${demo.calltouchApi.url} --ecommerce-url ${demo.calltouch.url}/calltouch/ecommerce.php`,
    );
    expect(report.body.stdout).toContain(`Missing: no deal in Calltouch\n  order  date        amount  lines\n  LV-2   ${today()}  301.00  1\n`);
    expect(report.body.stdout).toContain('  matched               1\n  missing               1\n');

    const repair = await runPage({ orders, from: today(), to: today(), mode: 'send' });
    expect(repair.body.code).toBe(1);
    expect(repair.body.stdout).toContain('Sent 1 of 1 offline purchase to ');
    const offline = demo.calltouch.records.filter((record) => record.kind === 'offline');
    expect(offline.map((record) => (record.body as { id: string }).id)).toEqual(['LV-2']);

    const after = await runPage({ orders, from: today(), to: today(), mode: 'report' });
    expect(after.body.code).toBe(0);
    expect(after.body.stdout).toContain('Every order of the period is in Calltouch.');
  });

  it('refuses what is not a run it can make', async () => {
    expect(await runPage({ orders: [], from: today(), to: today(), mode: 'report' })).toEqual({ status: 400, body: { errors: ['orders must be a non-empty array'] } });
    expect(await runPage({ orders: [order('LV-1')], from: 'today', to: today(), mode: 'report' })).toEqual({ status: 400, body: { errors: ['from and to must be dates YYYY-MM-DD'] } });
    expect(await runPage({ orders: [order('LV-1')], from: today(), to: today(), mode: 'all' })).toEqual({ status: 400, body: { errors: ['mode must be one of report, dry-run, send'] } });
    expect((await runPage({}, 'text/plain')).status).toBe(415);
  });
});
