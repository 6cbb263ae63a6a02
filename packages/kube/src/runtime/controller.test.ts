import { describe, expect, it } from 'vitest';
import { KubeError } from '../kube-error.js';
import { manualClock } from '../queue/manual-clock.js';
import { Controller } from './controller.js';
import { LeaderGate } from './leader-gate.js';
import type { ReconcileResult, Reconciler } from './reconciler.js';

type Step = ReconcileResult | Error | void;

/**
 * A reconciler whose answers the test scripts: each call takes the next step (a result or an
 * error to throw) and resolves the promise `next()` handed out, so the test waits for the
 * call itself, never for time.
 */
function scripted(steps: Step[] = []) {
  const calls: string[] = [];
  const errors: { key: string; retryInMs: number | undefined }[] = [];
  let wake: (() => void) | undefined;
  const reconciler: Reconciler = {
    name: 'scripted',
    keys: () => ['default/a', 'default/b'],
    reconcile(key) {
      calls.push(key);
      wake?.();
      const step = steps.shift();
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
    onError: (key, _err, retryInMs) => void errors.push({ key, retryInMs }),
  };
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  return { reconciler, calls, errors, next };
}

/** Lets the worker finish the reconcile in flight (queue bookkeeping runs in microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function open(): LeaderGate {
  const gate = new LeaderGate();
  gate.set(true);
  return gate;
}

/** A started controller on an open gate and a manual clock, with a scripted reconciler. */
function started(steps: Step[], queue: { baseDelayMs?: number; maxDelayMs?: number } = {}) {
  const clock = manualClock();
  const s = scripted(steps);
  const c = new Controller({ reconciler: s.reconciler, gate: open(), queue: { clock, ...queue } });
  c.start();
  /** Queues a key and waits for its reconcile to finish. */
  const reconcileOnce = async (key: string) => {
    const call = s.next();
    c.queue.add(key);
    await call;
    await settle();
  };
  return { clock, s, c, reconcileOnce };
}

describe('Controller (runtime)', () => {
  it('reconciles a key again after requeueAfterMs, and not before', async () => {
    const { clock, s, c, reconcileOnce } = started([{ requeueAfterMs: 1000 }, {}]);
    await reconcileOnce('default/a');
    clock.advance(999);
    await settle();
    expect(s.calls).toEqual(['default/a']);
    const second = s.next();
    clock.advance(1);
    await second;
    expect(s.calls).toEqual(['default/a', 'default/a']);
    await c.stop();
  });

  it('requeues failures with exponential backoff and forgets them after a success', async () => {
    const boom = () => new Error('boom');
    const { clock, s, c, reconcileOnce } = started([boom(), boom(), boom(), {}], {
      baseDelayMs: 100,
      maxDelayMs: 250,
    });
    await reconcileOnce('default/a');
    let call: Promise<void> | undefined;
    for (const delay of [100, 200, 250]) {
      if (call) {
        await call;
        await settle();
      }
      expect(c.queue.numRequeues('default/a')).toBeGreaterThan(0);
      call = s.next();
      clock.advance(delay - 1);
      await settle();
      expect(s.calls.length).toBe(s.errors.length);
      clock.advance(1);
    }
    await call;
    await settle();
    expect(s.errors.map((e) => e.retryInMs)).toEqual([100, 200, 250]);
    expect(s.calls).toHaveLength(4);
    expect(c.queue.numRequeues('default/a')).toBe(0);
    expect(clock.pending()).toBe(0);
    await c.stop();
  });

  it('drops a key whose error is permanent (a KubeError that is not retryable)', async () => {
    const invalid = new KubeError('apply Deployment default/a: bad field', {
      status: 422,
      reason: 'Invalid',
    });
    const { clock, s, c, reconcileOnce } = started([invalid]);
    await reconcileOnce('default/a');
    expect(s.errors).toEqual([{ key: 'default/a', retryInMs: undefined }]);
    expect(clock.pending()).toBe(0);
    expect(c.queue.numRequeues('default/a')).toBe(0);
    await c.stop();
  });

  it('works keys only while the leader gate is open; enqueueAll queues nothing while closed', async () => {
    const gate = new LeaderGate();
    const s = scripted();
    const c = new Controller({ reconciler: s.reconciler, gate, workers: 2 });
    c.start();
    c.enqueueAll();
    expect(c.queue.length).toBe(0);
    c.queue.add('default/a');
    await settle();
    expect(s.calls).toEqual([]);
    expect(c.queue.length).toBe(1);
    const call = s.next();
    gate.set(true);
    await call;
    expect(s.calls).toEqual(['default/a']);
    await settle();
    gate.set(false);
    c.queue.add('default/b');
    await settle();
    expect(s.calls).toEqual(['default/a']);
    const all = s.next();
    gate.set(true);
    c.enqueueAll();
    await all;
    await settle();
    await settle();
    expect(new Set(s.calls)).toEqual(new Set(['default/a', 'default/b']));
    await c.stop();
  });
});
