/**
 * A QueueClock whose timers fire only when a test advances time (for tests of the work queue
 * and the controller runtime; not exported from the package).
 */
import type { QueueClock } from './work-queue.js';

export function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: QueueClock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
    pending: () => timers.size,
  };
  return clock;
}
