// Unit tests' network: fetch and sendBeacon recorded, not sent, with their parsed bodies. Call in a beforeEach;
// vi.restoreAllMocks() in afterEach takes the spies away.
import { vi } from 'vitest';

export interface Sent {
  url: string;
  via: 'fetch' | 'beacon';
  body: Record<string, unknown> & { params?: Array<{ name: string; value: string }> };
}

/** Every request from now on, in order; fetch answers `status()` (200 unless a test says otherwise). */
export const recordRequests = (status: () => number = () => 200): Sent[] => {
  const sent: Sent[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (url, init) => {
    sent.push({ url: String(url), via: 'fetch', body: JSON.parse(String(init!.body)) });
    return new Response('{}', { status: status() });
  });
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => (sent.push({ url: String(url), via: 'beacon', body: JSON.parse(String(body)) }), true));
  return sent;
};

/**
 * A fresh page for a tag under test: empty storage, Calltouch's session cookies for mod_id abcd1234 (site 1,
 * session 111), console.error silenced and recorded, the network recorded.
 */
export const freshPage = () => {
  localStorage.clear();
  document.cookie = '_ct=77';
  document.cookie = '_ct_ids=abcd1234:1:111';
  return { sent: recordRequests(), errors: vi.spyOn(console, 'error').mockImplementation(() => undefined) };
};
