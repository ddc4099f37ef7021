/**
 * Calltouch takes 5 requests a second from one address, queues 5 more and fails the rest (seed 004). A token
 * bucket of 5 with a burst of 5 would still let 9 through in one second (5 at once, then one every 200 ms), so
 * this is the strict form: at most `perWindow` requests start in any `windowMs`, and at most `maxInFlight` are
 * unanswered at once. The window is a little longer than a second so that requests which leave on time but
 * arrive unevenly (a busy event loop, the network) still arrive at most 5 to a second.
 */

export interface LimiterSettings {
  perWindow: number;
  windowMs: number;
  maxInFlight: number;
}

export const CALLTOUCH_LIMIT: LimiterSettings = { perWindow: 5, windowMs: 1150, maxInFlight: 5 };

export interface Clock {
  now: () => number;
  /** Calls `run` after `ms`. */
  after: (ms: number, run: () => void) => void;
}

// The timer is set only while a task waits, and keeps the process alive for it.
const realClock: Clock = {
  now: () => performance.now(),
  after: (ms, run) => void setTimeout(run, ms),
};

export interface Limiter {
  /** Runs `task` when the window and the in-flight bound allow, in the order tasks were given. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export const createLimiter = ({ perWindow, windowMs, maxInFlight }: LimiterSettings, clock: Clock = realClock): Limiter => {
  /** When the last `perWindow` requests started, oldest first. */
  const starts: number[] = [];
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  let timerSet = false;

  const pump = () => {
    while (waiting.length && inFlight < maxInFlight) {
      const now = clock.now();
      if (starts.length === perWindow) {
        const free = starts[0] + windowMs;
        if (now < free) {
          if (!timerSet) {
            timerSet = true;
            clock.after(free - now, () => {
              timerSet = false;
              pump();
            });
          }
          return;
        }
        starts.shift();
      }
      starts.push(now);
      inFlight += 1;
      (waiting.shift() as () => void)();
    }
  };

  return {
    run: (task) =>
      new Promise((resolve, reject) => {
        waiting.push(() => {
          // Through then(), so a task that throws before its first await still frees its place.
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              inFlight -= 1;
              pump();
            });
        });
        pump();
      }),
  };
};

/** One limiter for everything this process sends to Calltouch: the deal journal's pages and the repair's posts. */
export const processLimiter = createLimiter(CALLTOUCH_LIMIT);
