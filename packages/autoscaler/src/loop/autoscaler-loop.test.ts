import { parseModel } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import type { ScaleDecision } from '../policy/scale-decision.js';
import { AutoscalerLoop } from './autoscaler-loop.js';
import {
  memoryStateStore,
  type DecisionEvent,
  type LoopClock,
  type ModelRef,
  type ObservedLoad,
  type ScalableModel,
} from './autoscaler-ports.js';

/** A little cluster the ports read from and write to, in memory. */
function world(names: string[], opts: { freeGpus?: number; current?: number } = {}) {
  const models = new Map<string, ScalableModel>();
  for (const name of names) {
    models.set(name, {
      ref: { namespace: 'team', name },
      model: parseModel({
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Model',
        metadata: { name, namespace: 'team' },
        spec: {
          source: `hf://org/${name}`,
          engine: 'vllm',
          gpus: 'nvidia-h100:2',
          maxConcurrency: 8,
          autoscaling: { minReplicas: 0, maxReplicas: 8, targetInFlight: 4, scaleDownDelay: '1m' },
        },
      }),
      currentReplicas: opts.current ?? 1,
      readyReplicas: opts.current ?? 1,
      scheduledReplicas: opts.current ?? 1,
      unschedulableReplicas: 0,
      readyPods: [],
    });
  }
  const load = new Map<string, ObservedLoad | Error>();
  const writes: { ref: ModelRef; replicas: number }[] = [];
  const events: { ref: ModelRef; event: DecisionEvent }[] = [];
  const decisions: ScaleDecision[] = [];
  const errors: string[] = [];
  let now = 0;
  let free = opts.freeGpus ?? 16;
  const clock: LoopClock & { timers: (() => void)[] } = {
    timers: [],
    now: () => now,
    setTimeout(fn) {
      this.timers.push(fn);
      return fn;
    },
    clearTimeout(h) {
      this.timers = this.timers.filter((f) => f !== h);
    },
  };
  const ports = {
    models: {
      // The controller and scheduler catch up between ticks: pods of the last write are bound.
      list: () => {
        for (const [k, m] of models) {
          free -= (m.currentReplicas - m.scheduledReplicas) * 2;
          models.set(k, {
            ...m,
            readyReplicas: m.currentReplicas,
            scheduledReplicas: m.currentReplicas,
          });
        }
        return Promise.resolve([...models.values()].map((m) => ({ ...m })));
      },
    },
    capacity: { freeGpus: () => free },
    load: {
      read: (m: ScalableModel) => {
        const l = load.get(m.ref.name) ?? {
          gatewayInFlight: 0,
          overflowInFlight: 0,
          engines: [],
          queuedJobs: 0,
        };
        return l instanceof Error ? Promise.reject(l) : Promise.resolve(l);
      },
    },
    scale: {
      setReplicas: (ref: ModelRef, replicas: number) => {
        writes.push({ ref, replicas });
        const m = models.get(ref.name)!;
        models.set(ref.name, { ...m, currentReplicas: replicas });
        return Promise.resolve();
      },
    },
    events: {
      record: (ref: ModelRef, event: DecisionEvent) => {
        events.push({ ref, event });
        return Promise.resolve();
      },
    },
    observer: {
      observe: (_: ModelRef, d: ScaleDecision) => decisions.push(d),
      error: (_: unknown, s: string) => errors.push(s),
    },
    clock,
  };
  return {
    ports,
    models,
    load,
    writes,
    events,
    decisions,
    errors,
    clock,
    advance: (ms: number) => (now += ms),
    setInFlight: (name: string, n: number) =>
      load.set(name, { gatewayInFlight: n, overflowInFlight: 0, engines: [], queuedJobs: 0 }),
  };
}

describe('AutoscalerLoop', () => {
  it('scales a loaded Model through the scale writer and records an Event and a decision', async () => {
    const w = world(['a']);
    const loop = new AutoscalerLoop({ ...w.ports, state: memoryStateStore() });
    w.setInFlight('a', 14);
    const [r] = await loop.tick();
    expect(r!.decision).toMatchObject({ current: 1, desired: 4 });
    expect(w.writes).toEqual([{ ref: { namespace: 'team', name: 'a' }, replicas: 4 }]);
    expect(w.events[0]!.event).toMatchObject({ type: 'Normal', reason: 'ScaledUp' });
    expect(w.events[0]!.event.message).toMatch(/1 -> 4 replica/);
    expect(w.decisions).toHaveLength(1);
    // Steady load: no write, no event.
    w.advance(2_000);
    await loop.tick();
    expect(w.writes).toHaveLength(1);
    expect(w.events).toHaveLength(1);
  });

  it('does nothing when not the leader', async () => {
    const w = world(['a']);
    let leader = false;
    const loop = new AutoscalerLoop({
      ...w.ports,
      state: memoryStateStore(),
      isLeader: () => leader,
    });
    w.setInFlight('a', 30);
    expect(await loop.tick()).toEqual([]);
    expect(w.writes).toEqual([]);
    leader = true;
    await loop.tick();
    expect(w.writes).toHaveLength(1);
  });

  it('leaves a Model alone when its load cannot be read', async () => {
    const w = world(['a'], { current: 3 });
    const loop = new AutoscalerLoop({ ...w.ports, state: memoryStateStore() });
    w.load.set('a', new Error('redis down'));
    const [r] = await loop.tick();
    expect(r).toEqual({ ref: { namespace: 'team', name: 'a' }, error: 'load' });
    expect(w.writes).toEqual([]);
    expect(w.errors).toEqual(['load']);
  });

  it('shares free GPUs between Models in one tick and reports the shortfall once', async () => {
    const w = world(['a', 'b'], { freeGpus: 6 });
    const published: [string, number | undefined][] = [];
    const loop = new AutoscalerLoop({
      ...w.ports,
      state: memoryStateStore(),
      shortfall: {
        publish: (ref, s) => {
          published.push([ref.name, s?.replicas]);
          return Promise.resolve();
        },
      },
    });
    w.setInFlight('a', 12); // wants 3 (2 more: 4 GPUs)
    w.setInFlight('b', 12); // wants 3 (2 more), only 2 GPUs left: 1 more
    await loop.tick();
    expect(w.writes.map((x) => [x.ref.name, x.replicas])).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    const warn = w.events.filter((e) => e.event.type === 'Warning');
    expect(warn).toHaveLength(1);
    expect(warn[0]!.ref.name).toBe('b');
    expect(warn[0]!.event.message).toMatch(
      /wanted 3 replica\(s\), 2 fit: 1 more would need 2 nvidia-h100 GPU\(s\) beyond the 2 free/,
    );
    w.advance(2_000);
    await loop.tick();
    expect(w.events.filter((e) => e.event.type === 'Warning')).toHaveLength(1);
    // The annotation is set for b, cleared once for a (first decision), then left alone.
    expect(published).toEqual([
      ['a', undefined],
      ['b', 1],
    ]);
  });

  it('survives a restart without flapping: a kept state resumes, a lost one waits a full window', async () => {
    const w = world(['a'], { current: 1 });
    const store = memoryStateStore();
    const first = new AutoscalerLoop({ ...w.ports, state: store });
    w.setInFlight('a', 28);
    await first.tick(); // 1 -> 5 (one step: max(1 x 2, 1 + 4))
    const up = w.models.get('a')!.currentReplicas;
    expect(up).toBe(5);
    w.setInFlight('a', 2);
    for (let i = 0; i < 10; i++) {
      w.advance(2_000);
      await first.tick();
    }
    expect(w.models.get('a')!.currentReplicas).toBe(up);
    // New leader, same stored state: still inside the window, so no scale-down yet.
    const second = new AutoscalerLoop({ ...w.ports, state: store });
    w.advance(2_000);
    await second.tick();
    expect(w.models.get('a')!.currentReplicas).toBe(up);
    // New leader with the state lost: holds for a full stabilisation window from its start.
    const third = new AutoscalerLoop({ ...w.ports, state: memoryStateStore() });
    const restartAt = w.clock.now();
    let downAt: number | undefined;
    for (let i = 0; i < 120 && downAt === undefined; i++) {
      w.advance(2_000);
      await third.tick();
      if (w.models.get('a')!.currentReplicas < up) downAt = w.clock.now();
    }
    expect(downAt).toBeDefined();
    expect(downAt! - restartAt).toBeGreaterThanOrEqual(60_000);
    const changes = w.writes.map((x) => x.replicas);
    expect(changes.slice(1).every((n, i) => n <= (changes[i] ?? Infinity))).toBe(true);
  });

  it('start and stop drive ticks through the injected clock', async () => {
    const w = world(['a']);
    const loop = new AutoscalerLoop({ ...w.ports, state: memoryStateStore(), intervalMs: 5_000 });
    w.setInFlight('a', 14);
    loop.start();
    expect(w.clock.timers).toHaveLength(1);
    w.clock.timers.shift()!();
    await loop.stop();
    expect(w.writes).toHaveLength(1);
    expect(w.clock.timers).toHaveLength(0);
  });
});
