import type { Clock, TimerHandle } from './clock.js';

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in order of due time (ties in arming
 * order) as {@link VirtualClock.advance} passes them, with `now()` equal to each timer's due
 * time while it runs, so timings are exact.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = {
      at: this.current + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as VirtualTimer).cancelled = true;
  }

  /** Number of armed, uncancelled timers. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves time to `target`, firing every timer due on the way (including ones they arm). */
  advanceTo(target: number): void {
    for (;;) {
      const next = this.nextDue();
      if (!next || next.at > target) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = Math.max(this.current, target);
  }

  /** Fires timers until none is left (bounded by `maxTimers` to stop runaway loops). */
  runAll(maxTimers = 1_000_000): void {
    for (let i = 0; i < maxTimers; i++) {
      const next = this.nextDue();
      if (!next) return;
      this.advanceTo(next.at);
    }
    throw new Error(`VirtualClock.runAll: more than ${maxTimers} timers fired`);
  }

  private nextDue(): VirtualTimer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: VirtualTimer | undefined;
    for (const t of this.timers)
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }
}
