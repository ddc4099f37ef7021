// Issue 15 end to end: a shopper buys through the tag in Chromium (event format, a signed set_contact), then the
// store's server changes the order from its back office with the built client (dist/backoffice.mjs) through the
// relay process (dist/relay.mjs): delivered, a partial refund, a full refund. Judged by what the stand-ins recorded:
// eSputnik's order (stateful stand-in: contacts, orders and their status history) and Calltouch's bodies (strict
// offline types, seed 000).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackofficeProduct } from '../../src/backoffice/index';
import { BACKOFFICE_TOKEN, backOfficeEnv, CALLTOUCH_SITE_ID } from '../support/backoffice-process.mjs';
import { DEFAULT_ESPUTNIK_API_KEY } from '../support/collector.mjs';
import { identity } from '../support/identity.mjs';
import { startRelay, type RelayProcess } from '../support/relay-process.mjs';
import { fakeCalltouch, MOD_A, SESSIONS, snippet, tagConfig, tagReady, useScenario } from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();
let relay: RelayProcess;

beforeAll(async () => {
  relay = await startRelay({ apiKey: DEFAULT_ESPUTNIK_API_KEY, allowedOrigins: s.h.site.url, upstreamUrl: `${s.h.collector.url}/esputnik/api/v2/event`, env: backOfficeEnv(s.h.collector) });
});
afterAll(async () => {
  await relay?.close();
  for (const secret of [BACKOFFICE_TOKEN, DEFAULT_ESPUTNIK_API_KEY]) expect(relay.output.filter((line) => line.includes(secret))).toEqual([]);
});

it('a purchase through the tag, then delivered, a partial refund and a full one from the back office', async () => {
  const base = tagConfig(s.h.endpoint);
  const config = {
    ...base,
    accounts: [{ ...base.accounts[0], esputnik: { siteId: 'relay' } }],
    esputnik: { format: 'event', endpoint: `${relay.url}/ecomtag/relay` },
    currency: 'RUB',
  };
  const url = s.h.site.page('/thanks', html({ head: fakeCalltouch() + snippet(s.h, { config }) }));
  const line = (id: number, name: string, price: number, quantity: number): BackofficeProduct => ({
    id, name, price, quantity, url: `${s.h.site.url}/p/${id}`, imageUrl: `${s.h.site.url}/p/${id}.jpg`,
  });
  const bought = [line(1003, 'USB-удлинитель', 150.5, 2), line(1005, 'Наушники', 1900, 1)];

  const tab = await s.context.newPage();
  await tab.goto(url);
  await tagReady(tab);
  await tab.evaluate(
    ({ products, signed }) => {
      ct('set_contact', { email: 'anna@example.com', phone: '+7 900 123-45-67', name: 'Анна', identity: signed });
      ct('send_ecommerce', 'purchase', { id: 'BO-1', products });
    },
    { products: bought, signed: identity('email:anna@example.com') },
  );
  await s.h.collector.waitFor((record) => record.service === 'esputnik-event' && record.kind === 'orderCreated', { timeout: 8000 });
  await s.h.collector.waitFor((record) => record.service === 'calltouch' && record.kind === 'site', { timeout: 8000 });
  expect(s.h.collector.esputnik.order('BO-1')).toMatchObject({ status: 'INITIALIZED', totalCost: '2201' });

  // The store's server, days later.
  const { createBackoffice } = (await import('../../dist/backoffice.mjs')) as typeof import('../../src/backoffice/index');
  const backoffice = createBackoffice({ url: relay.url, token: BACKOFFICE_TOKEN });

  const delivered = await backoffice.orderStatus({ id: 'BO-1', status: 'delivered' });
  expect(delivered).toEqual({ ok: true, orders: [{ id: 'BO-1', status: 'delivered', esputnik: 'sent', calltouch: expect.stringMatching(/^skipped: /) }] });
  expect(s.h.collector.esputnik.order('BO-1')?.status).toBe('DELIVERED');

  // One of the two cables comes back: eSputnik's order keeps the rest, Calltouch hears of the one.
  const kept = [line(1003, 'USB-удлинитель', 150.5, 1), bought[1]];
  const partial = await backoffice.refund('BO-1', [{ id: 1003, quantity: 1 }], { products: kept, contact: { email: 'anna@example.com' } });
  expect(partial).toEqual({ ok: true, orders: [{ id: 'BO-1', status: 'refunded', esputnik: 'sent', calltouch: 'sent' }] });
  expect(s.h.collector.esputnik.order('BO-1')).toMatchObject({ status: 'DELIVERED', totalCost: '2050.5' });

  const full = await backoffice.refund('BO-1');
  expect(full).toEqual({ ok: true, orders: [{ id: 'BO-1', status: 'refunded', esputnik: 'sent', calltouch: 'sent' }] });

  // eSputnik recorded every step, the full refund as CANCELLED (it has no refund status).
  const recorded = s.h.collector.esputnik.order('BO-1')!;
  expect(recorded.contact.emails).toEqual(['anna@example.com']);
  expect(recorded.history).toEqual([
    { eventTypeKey: 'orderCreated', status: 'INITIALIZED' },
    { eventTypeKey: 'orderDelivered', status: 'DELIVERED' },
    { eventTypeKey: 'orderUpdated', status: 'DELIVERED' },
    { eventTypeKey: 'orderCancelled', status: 'CANCELLED' },
  ]);
  expect(s.h.collector.esputnik.events.filter((event) => event.params.externalOrderId === 'BO-1').map((event) => event.outcome)).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);

  // Calltouch: the tag's purchase in its site format, then both refunds in the offline one, each valid (seed 000).
  const calltouch = s.h.collector.all.filter((record) => record.service === 'calltouch');
  expect(calltouch.map((record) => [record.status, record.valid, record.kind, (record.body as { eventType: string }).eventType])).toEqual([
    [200, true, 'site', 'purchase'],
    [200, true, 'offline', 'refund'],
    [200, true, 'offline', 'refund'],
  ]);
  expect(calltouch[0].body).toMatchObject({ siteId: SESSIONS[MOD_A].siteId, id: 'BO-1' });
  expect(calltouch.slice(1).map((record) => record.body)).toEqual([
    { siteId: CALLTOUCH_SITE_ID, eventType: 'refund', id: 'BO-1', products: [{ id: 1003, quantity: 1 }] },
    { siteId: CALLTOUCH_SITE_ID, eventType: 'refund', id: 'BO-1', products: [] },
  ]);
  expect(calltouch.slice(1).map((record) => [record.accept, record.cacheControl])).toEqual([
    ['application/json', 'no-cache'],
    ['application/json', 'no-cache'],
  ]);
});
