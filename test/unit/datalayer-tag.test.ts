import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createCore } from '../../src/tag';
import { freshPage, type Sent } from '../support/requests';

// The dataLayer bridge inside the tag: pushes become calls, errors name the dataLayer, and one switch keeps
// them from Calltouch for accounts whose Calltouch reads GA4 e-commerce itself.
const ENDPOINT = 'https://collector.test/calltouch/ecommerce.php';
const RELAY = 'https://shop.test/relay';
let sent: Sent[];
let errors: MockInstance;
let names = 0;
const layer = () => (window as unknown as Record<string, unknown[]>).shopLayer;

const setup = (config: Record<string, unknown> = {}) => {
  const core = createCore(
    window,
    {
      accounts: [{ modId: 'abcd1234', calltouch: { siteId: 1 }, esputnik: { siteId: 'S' } }],
      calltouch: { endpoint: ENDPOINT, global: 'ctw' },
      esputnik: { format: 'event', endpoint: RELAY },
      dataLayer: 'shopLayer',
      ...config,
    },
    `d${names++}`,
  );
  return Object.assign((...args: unknown[]) => core.handle(args), { flush: core.flush });
};

const purchase = { event: 'purchase', ecommerce: { transaction_id: 'T-9', currency: 'USD', items: [{ item_id: 'SKU1', item_name: 'Кабель', price: 9.5, quantity: 2 }] } };

beforeEach(() => {
  ({ sent, errors } = freshPage());
});

afterEach(() => {
  vi.restoreAllMocks();
  delete (window as unknown as Record<string, unknown>).shopLayer;
});

describe('dataLayer in the tag', () => {
  it('reads what was pushed before and after the tag started, to Calltouch and eSputnik, in the pushes’ currency', async () => {
    (window as unknown as Record<string, unknown>).shopLayer = [{ ecommerce: null }, { event: 'view_item', ecommerce: { items: [{ item_id: 'SKU1', price: 9.5 }] } }];
    const ct = setup();
    ct('set_contact', { email: 'a@b.ru' });
    layer().push({ ecommerce: null }, purchase);
    await ct.flush();
    expect(sent.filter((s) => s.url == ENDPOINT).map((s) => [s.body.eventType, s.body.id])).toEqual([
      ['detail', undefined],
      ['purchase', 'T-9'],
    ]);
    const order = sent.find((s) => s.body.eventTypeKey == 'orderCreated')!.body;
    expect(order.params!.find((p) => p.name == 'currency')!.value).toBe('USD');
    expect(order.params!.find((p) => p.name == 'totalCost')!.value).toBe('19');
  });

  it('calltouch.dataLayer false: the dataLayer feeds eSputnik only, the store’s own calls still reach Calltouch', async () => {
    const ct = setup({ calltouch: { endpoint: ENDPOINT, global: 'ctw', dataLayer: false } });
    ct('set_contact', { email: 'a@b.ru' });
    layer().push(purchase);
    ct('send_ecommerce', 'purchase', { id: 'T-10', products: [{ id: 1, price: 1, name: 'A' }] });
    await ct.flush();
    expect(sent.filter((s) => s.url == ENDPOINT).map((s) => s.body.id)).toEqual(['T-10']);
    const orders = sent.filter((s) => s.url == RELAY && s.body.eventTypeKey == 'orderCreated');
    expect(orders.map((s) => s.body.params!.find((p) => p.name == 'externalOrderId')!.value)).toEqual(['T-9', 'T-10']);
  });

  it('names the dataLayer in the line of a push it cannot use', () => {
    setup();
    layer().push({ event: 'purchase', ecommerce: { items: [{ item_id: 'SKU1', price: 1, item_name: 'A' }] } });
    expect(errors.mock.calls.map((call) => call.join(' '))).toEqual(['ecomtag: shopLayer purchase: id is required']);
  });

  it('holds dataLayer pushes while consent is pending, like any call', async () => {
    const ct = setup({ consent: 'pending', esputnik: false, accounts: [{ modId: 'abcd1234' }] });
    layer().push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'SKU1', quantity: 1 }] } });
    await ct.flush();
    expect(sent).toEqual([]);
    ct('consent', 'granted');
    await ct.flush();
    expect(sent.map((s) => s.body.eventType)).toEqual(['addToCart']);
  });
});
