import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTransport } from '../../src/deliver/transport';

// The collector's answer, as the outbox sees it (SPEC §7).
const URL = 'https://collector.test/e';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('post', () => {
  it.each([
    [200, 'sent'],
    [204, 'sent'],
    [400, 'drop'],
    // The relay refuses an event whose signed identity is missing, expired or another contact's: no retry helps.
    [403, 'refused'],
    [404, 'drop'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('answers %i as %s', async (status, outcome) => {
    vi.spyOn(window, 'fetch').mockResolvedValue(new Response(null, { status }));
    expect(await createTransport(window).post(URL, '{}')).toBe(outcome);
  });

  it('retries a network error', async () => {
    vi.spyOn(window, 'fetch').mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect(await createTransport(window).post(URL, '{}')).toBe('retry');
  });

  it.each([
    [
      'throws instead of rejecting',
      () => {
        throw new Error('broken polyfill');
      },
    ],
    ['answers with something that is not a Response', () => Promise.resolve({} as Response)],
  ])('sends by beacon where fetch %s', async (_, broken) => {
    vi.spyOn(window, 'fetch').mockImplementation(broken);
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValueOnce(true).mockReturnValueOnce(false);
    expect(await createTransport(window).post(URL, '{"a":1}')).toBe('sent');
    expect(await createTransport(window).post(URL, '{"a":1}')).toBe('retry');
    expect(beacon).toHaveBeenCalledWith(URL, '{"a":1}');
  });

  it('retries after 10 s a fetch that never settles, whether or not it heeds the abort', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(window, 'fetch').mockImplementation(() => new Promise(() => undefined));
    const outcome = createTransport(window).post(URL, '{}');
    await vi.advanceTimersByTimeAsync(10002);
    expect(await outcome).toBe('retry');
  });

  it('gives up on a collector that hangs after 10 s, and retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(window, 'fetch').mockImplementation(
      (_, init) => new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const outcome = createTransport(window).post(URL, '{}');
    await vi.advanceTimersByTimeAsync(9999);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    // The verdict on a failed request comes a task later (a page that is going hands the request over first).
    await vi.advanceTimersByTimeAsync(2);
    expect(await outcome).toBe('retry');
  });

  it('falls back to sendBeacon where there is no fetch', async () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValueOnce(true).mockReturnValueOnce(false);
    const win = { navigator } as unknown as Window;
    expect(await createTransport(win).post(URL, '{"a":1}')).toBe('sent');
    expect(await createTransport(win).post(URL, '{"a":1}')).toBe('retry');
    expect(beacon).toHaveBeenCalledWith(URL, '{"a":1}');
  });
});

describe('beacon', () => {
  it('sends the body as a string (text/plain, no preflight) and never throws', () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    expect(createTransport(window).beacon(URL, '{}')).toBe(true);
    expect(beacon).toHaveBeenCalledWith(URL, '{}');
    beacon.mockImplementation(() => {
      throw new TypeError('Illegal invocation');
    });
    expect(createTransport(window).beacon(URL, '{}')).toBe(false);
  });
});
