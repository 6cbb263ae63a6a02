import { describe, expect, it } from 'vitest';
import { manualClock } from './manual-clock.js';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('deduplicates keys that are queued', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands one key to two workers; re-adds while processing run after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(key!);
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('delays keys, keeping the earliest pending delay', async () => {
    const clock = manualClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 5000);
    expect(clock.pending()).toBe(1);
    q.addAfter('a', 200);
    expect(clock.pending()).toBe(1);
    clock.advance(199);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('backs off exponentially per key up to the maximum, and forgets on success', () => {
    const q = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1000, clock: manualClock() });
    expect([1, 2, 3, 4, 5].map(() => q.addRateLimited('a'))).toEqual([100, 200, 400, 800, 1000]);
    expect(q.numRequeues('a')).toBe(5);
    expect(q.addRateLimited('b')).toBe(100);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(100);
  });

  it('shuts down: waiting workers get undefined, no more keys are accepted', async () => {
    const clock = manualClock();
    const q = new WorkQueue({ clock });
    const waiting = q.get();
    q.addAfter('x', 10);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    expect(clock.pending()).toBe(0);
    q.add('y');
    expect(await q.get()).toBeUndefined();
  });
});
