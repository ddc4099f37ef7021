/**
 * How much the relay asks of eSputnik, whoever asks: at most `maxRps` calls a second in all (eSputnik takes 350 a
 * second per account, and the store's back office spends from the same allowance), and at most `maxInFlight` calls
 * waiting for an answer at once (each holds a request, its body and two sockets until eSputnik answers or the
 * timeout ends it). Both lanes pass through the same gate.
 */
import { createRateLimiter } from '../rate-limit';
import { clampRetryAfter } from './esputnik';

export type Admission = { ok: true } | { ok: false; status: 429 | 503; reason: string; error: string; retryAfterSeconds: number };

export interface Gate {
  /** Spends one call of the second's allowance at `now` (ms). */
  take(now: number): Admission;
  /** Counts one more request waiting for eSputnik, or refuses when `maxInFlight` already are; leave() when it is answered. */
  enter(): Admission;
  leave(): void;
}

/** `service` names the one called, in the reasons (the back office's Calltouch calls have a gate of their own). */
export const createGate = ({ maxRps, maxInFlight, retryAfterSeconds, service = 'eSputnik' }: { maxRps: number; maxInFlight: number; retryAfterSeconds: number; service?: string }): Gate => {
  // One second's worth at once: a burst the size of the allowance, never more.
  const overall = createRateLimiter({ burst: maxRps, perSecond: maxRps, maxKeys: 1 });
  let inFlight = 0;
  return {
    take(now) {
      const verdict = overall.take('all', now);
      if (verdict.ok) return verdict;
      const seconds = clampRetryAfter(verdict.retryAfterSeconds);
      return { ok: false, status: 429, reason: `over ${maxRps} calls a second to ${service}`, error: `the relay is busy; retry in ${seconds} s`, retryAfterSeconds: seconds };
    },
    enter() {
      if (inFlight >= maxInFlight) {
        return { ok: false, status: 503, reason: `${maxInFlight} requests already waiting for ${service}`, error: 'the relay is busy; retry later', retryAfterSeconds };
      }
      inFlight += 1;
      return { ok: true };
    },
    leave() {
      inFlight -= 1;
    },
  };
};
