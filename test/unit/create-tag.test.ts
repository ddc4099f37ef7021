import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createTag } from '../../src/index';

beforeEach(() => {
  localStorage.clear();
  document.cookie = '_ct=77';
  document.cookie = '_ct_ids=abcd1234:12345:111';
});
afterEach(() => vi.restoreAllMocks());

it('createTag works without a global, keeps its storage under config.name, and flushes', async () => {
  const bodies: string[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (_, init) => (bodies.push(String(init!.body)), new Response('{}')));
  const ct = createTag({ name: 'spa', accounts: [{ modId: 'abcd1234' }], calltouch: { endpoint: 'https://c.test/e' } });
  ct('send_ecommerce', 'purchase', { id: 'T1', products: [{ id: 1, quantity: 1 }] });
  expect(Object.keys(localStorage).every((key) => key.startsWith('ecomtag:spa:'))).toBe(true);
  await ct.flush();
  expect(bodies.map((body) => JSON.parse(body).eventType)).toEqual(['purchase']);
  expect((window as unknown as Record<string, unknown>).ct).toBeUndefined();
});
