import type { Clock, TimerHandle } from '@bascule/engine-sim';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * The discrete-event core of the replay: a Clock (engine-sim's interface, so its
 * BatchScheduler runs on it unchanged) whose timers sit in a binary heap. Time only moves in
 * {@link EventClock.runUntil}, jumping from one event to the next.
 */
export class EventClock implements Clock {
  private current = 0;
  private seq = 0;
  private heap: Timer[] = [];
  /** Events fired so far (for the report). */
  fired = 0;

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(t);
    return t;
  }

  /** Arms a timer at an absolute time (never earlier than now). */
  at(time: number, fn: () => void): TimerHandle {
    return this.setTimeout(fn, time - this.current);
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as Timer).cancelled = true;
  }

  /** Fires every event due up to `end` in time order (ties in arming order). */
  runUntil(end: number, maxEvents = 50_000_000): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= end) {
      const t = this.pop();
      if (t.cancelled) continue;
      this.current = Math.max(this.current, t.at);
      if (++this.fired > maxEvents) throw new Error(`replay: more than ${maxEvents} events`);
      t.fn();
    }
    this.current = Math.max(this.current, end);
  }

  /** Whether any live event is left. */
  idle(): boolean {
    return this.heap.every((t) => t.cancelled);
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
