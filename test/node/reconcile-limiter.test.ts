// ecomtag-reconcile's pace and persistence toward Calltouch: at most 5 requests in any window a little over a
// second (seed 004: 5 run, 5 queue, the 11th fails), at most 5 unanswered, and retries with backoff on what is
// the moment's fault, a bounded number of times, never quoting the token.
import { describe, expect, it } from 'vitest';
import { createLimiter, type Clock } from '../../src/reconcile/http/limiter';
import { GaveUp, redactor, send, type Http } from '../../src/reconcile/http/request';

/** A clock the test moves by hand: timers fire when it passes their time. */
const manualClock = () => {
  let now = 0;
  let timers: Array<{ at: number; run: () => void }> = [];
  const clock: Clock = { now: () => now, after: (ms, run) => void timers.push({ at: now + ms, run }) };
  const settle = async () => {
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
  };
  const advance = async (ms: number) => {
    // Tasks start a microtask after they are let go: at the time they were let go, as in real time.
    await settle();
    now += ms;
    const due = timers.filter((timer) => timer.at <= now);
    timers = timers.filter((timer) => timer.at > now);
    for (const timer of due) timer.run();
    await settle();
  };
  return { clock, advance };
};

describe('the limiter', () => {
  it('starts at most 5 tasks in any 1.15 s window, in the order given', async () => {
    const { clock, advance } = manualClock();
    const limiter = createLimiter({ perWindow: 5, windowMs: 1150, maxInFlight: 100 }, clock);
    const started: Array<[number, number]> = [];
    const all = Array.from({ length: 12 }, (_, i) => limiter.run(async () => void started.push([i, clock.now()])));
    await advance(0);
    expect(started).toEqual([0, 1, 2, 3, 4].map((i) => [i, 0]));
    await advance(1149);
    expect(started.length).toBe(5);
    await advance(1);
    expect(started.slice(5)).toEqual([5, 6, 7, 8, 9].map((i) => [i, 1150]));
    await advance(1150);
    expect(started.slice(10)).toEqual([[10, 2300], [11, 2300]]);
    await Promise.all(all);
  });

  it('keeps every window of the run at 5 or fewer when tasks come in unevenly', async () => {
    const { clock, advance } = manualClock();
    const limiter = createLimiter({ perWindow: 5, windowMs: 1150, maxInFlight: 100 }, clock);
    const starts: number[] = [];
    const tasks: Array<Promise<void>> = [];
    for (let step = 0; step < 60; step += 1) {
      // Bursts of 0 to 3 tasks every 100 ms.
      for (let i = 0; i < step % 4; i += 1) tasks.push(limiter.run(async () => void starts.push(clock.now())));
      await advance(100);
    }
    for (let i = 0; i < 1000 && starts.length < tasks.length; i += 1) await advance(100);
    await Promise.all(tasks);
    expect(starts.length).toBe(tasks.length);
    for (const start of starts) expect(starts.filter((other) => other >= start && other < start + 1150).length).toBeLessThanOrEqual(5);
  });

  it('holds a sixth task while five are unanswered, and goes on when one answers', async () => {
    const { clock, advance } = manualClock();
    const limiter = createLimiter({ perWindow: 100, windowMs: 1000, maxInFlight: 5 }, clock);
    const answers: Array<() => void> = [];
    let started = 0;
    const tasks = Array.from({ length: 6 }, () =>
      limiter.run(() => {
        started += 1;
        return new Promise<void>((resolve) => answers.push(resolve));
      }),
    );
    await advance(0);
    expect(started).toBe(5);
    answers[0]();
    await advance(0);
    expect(started).toBe(6);
    answers.slice(1).forEach((answer) => answer());
    await Promise.all(tasks);
  });

  it('frees the place of a task that throws before its first await', async () => {
    const { clock, advance } = manualClock();
    const limiter = createLimiter({ perWindow: 100, windowMs: 1000, maxInFlight: 1 }, clock);
    const failing = limiter.run(() => {
      throw new Error('at once');
    });
    const next = limiter.run(async () => 'ran');
    await advance(0);
    await expect(failing).rejects.toThrow('at once');
    await expect(next).resolves.toBe('ran');
  });
});

const TOKEN = 'GllU3tbwhrTkA1Chryud4xIT48WE8FPeNyrGQQswIb3nr';

/** An Http whose fetch plays `answers` in turn; each entry a status, a thrown error, or 'hang' (until aborted). */
const scripted = (answers: Array<number | Error | 'hang' | [number, Record<string, string>]>, overrides: Partial<Http> = {}) => {
  const seen: string[] = [];
  const retries: string[] = [];
  const http: Http = {
    limiter: createLimiter({ perWindow: 100, windowMs: 1000, maxInFlight: 5 }),
    timeoutMs: 200,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 },
    redact: redactor(TOKEN),
    onRetry: (retry) => retries.push(`${retry.attempt}/${retry.attempts}: ${retry.reason}`),
    fetch: async (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      const next = answers.shift() ?? 200;
      if (next === 'hang') {
        return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      }
      if (next instanceof Error) throw next;
      const [status, headers] = Array.isArray(next) ? next : [next, {}];
      return new Response(status === 200 ? '{"ok":true}' : `{"message":"failed for clientApiId=${TOKEN}"}`, { status, headers });
    },
    ...overrides,
  };
  return { http, seen, retries };
};

const request = () => new Request(`https://api.calltouch.ru/x?clientApiId=${TOKEN}`);
const resetError = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

describe('retries', () => {
  it('tries again after 503, 429, a timeout and a reset, then returns the answer', async () => {
    const { http, seen, retries } = scripted([503, 429, 'hang', resetError(), 200]);
    http.retry = { attempts: 5, baseDelayMs: 1, maxDelayMs: 4 };
    await expect(send(http, 'page 1', request)).resolves.toEqual({ status: 200, text: '{"ok":true}' });
    expect(seen.length).toBe(5);
    expect(retries).toEqual(['1/5: HTTP 503', '2/5: HTTP 429', '3/5: no answer within 0.2 s', '4/5: ECONNRESET']);
  });

  it('returns a 4xx other than 408 and 429 at once: retrying would not change it', async () => {
    const { http, seen } = scripted([401]);
    await expect(send(http, 'page 1', request)).resolves.toMatchObject({ status: 401 });
    expect(seen.length).toBe(1);
  });

  it('gives up after the attempts, naming the last reason', async () => {
    const { http, seen } = scripted([503, 503, 503, 502]);
    const failure = await send(http, 'page 2', request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GaveUp);
    expect(failure).toMatchObject({ what: 'page 2', attempts: 4, reason: 'HTTP 502' });
    expect(seen.length).toBe(4);
  });

  it('waits what Retry-After asks, and gives up at once when that is over a minute', async () => {
    const waited = scripted([[503, { 'Retry-After': '0' }], 200]);
    waited.http.retry = { attempts: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const started = performance.now();
    await expect(send(waited.http, 'page 1', request)).resolves.toMatchObject({ status: 200 });
    // Retry-After: 0 replaces the minute of backoff.
    expect(performance.now() - started).toBeLessThan(30_000);
    const { http } = scripted([[429, { 'Retry-After': '3600' }]]);
    await expect(send(http, 'page 1', request)).rejects.toMatchObject({ reason: 'HTTP 429, and Calltouch asks to wait 3600 s', attempts: 1 });
  });

  it('stops waiting and trying once the run is stopped elsewhere', async () => {
    const { http, seen } = scripted([503, 503, 503, 503]);
    http.retry = { attempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const stop = new AbortController();
    const sending = send(http, 'page 3', request, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort();
    await expect(sending).rejects.toThrow();
    expect(seen.length).toBe(1);
  });

  it('never lets the token through: redaction of the raw and the URL-encoded form', () => {
    const redact = redactor('a+b/c=');
    expect(redact('clientApiId=a%2Bb%2Fc%3D&x=a+b/c=')).toBe('clientApiId=***&x=***');
    expect(redactor(TOKEN)(`GET https://api.calltouch.ru/x?clientApiId=${TOKEN} failed`)).toBe('GET https://api.calltouch.ru/x?clientApiId=*** failed');
  });
});
