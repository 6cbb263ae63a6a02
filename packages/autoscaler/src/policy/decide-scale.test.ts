import { describe, expect, it } from 'vitest';
import { decideScale } from './decide-scale.js';
import { runCurve, type CurveStep } from './run-curve.js';
import { initialScalerState, parseScalerState } from './scaler-state.js';
import type { ScalingInput } from './scaling-input.js';
import { modelSettings } from '../testing/model-settings.js';
import type { ScalingSettings } from './scaling-settings.js';

const S = 1_000;
const M = 60_000;

function settings(autoscaling: Record<string, unknown>, gpus = 'nvidia-l4:1'): ScalingSettings {
  return modelSettings({
    gpus,
    maxConcurrency: 16,
    autoscaling: { targetInFlight: 10, ...autoscaling },
  });
}

const firstAt = (steps: CurveStep[], pred: (s: CurveStep) => boolean) => steps.find(pred)?.at;
const desiredAt = (steps: CurveStep[], at: number) =>
  steps.find((s) => s.at === at)?.decision.desired;

describe('decideScale on scripted load curves (virtual time, 2 s ticks)', () => {
  it('step: scales up on the first tick after the step, in bounded steps, up to what load needs', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 20 });
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t >= 60 * S ? 120 : 5 }),
      durationMs: 5 * M,
    });
    expect(desiredAt(steps, 58 * S)).toBe(1);
    const firstUp = steps.find((x) => x.at >= 60 * S && x.decision.desired > 1)!;
    expect(firstUp.at).toBeLessThanOrEqual(62 * S);
    // Bounded step: from 1, at most max(1 x 2, 1 + 4) = 5 before the load has lasted the panic
    // window (20 s); then panic steps (x4 / +8).
    expect(firstUp.decision.desired).toBeLessThanOrEqual(5);
    expect(firstUp.decision.reason).toBe('scale-up');
    expect(steps.find((x) => x.at === 80 * S)!.decision.panic).toBe(true);
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1]!.decision.desired;
      expect(steps[i]!.decision.desired).toBeLessThanOrEqual(Math.max(prev * 4, prev + 8));
    }
    // Reaches 120 / 10 = 12 replicas within a few ticks and never goes beyond.
    expect(firstAt(steps, (x) => x.decision.desired === 12)).toBeLessThanOrEqual(82 * S);
    expect(Math.max(...steps.map((x) => x.decision.desired))).toBe(12);
  });

  it('ramp: tracks ceil(load / target) going up, never scaling down while load rises', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 20 });
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: Math.min(100, t / (6 * S)) }), // +10 per minute for 10 min
      durationMs: 12 * M,
    });
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.decision.desired).toBeGreaterThanOrEqual(steps[i - 1]!.decision.desired);
    }
    // The 60 s mean lags the ramp by ~30 s (5 in flight): never more than one replica behind.
    for (const x of steps) {
      const need = Math.ceil(Math.min(100, x.at / (6 * S)) / 10);
      expect(x.decision.desired).toBeGreaterThanOrEqual(Math.max(1, need - 1));
    }
    expect(steps.at(-1)!.decision.desired).toBe(10);
  });

  it('waits out the stabilisation window before scaling down', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 20, scaleDownDelay: '5m' });
    const drop = 4 * M;
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t < drop ? 80 : 7 }),
      durationMs: 14 * M,
    });
    expect(desiredAt(steps, drop - 2 * S)).toBe(8);
    const firstDown = firstAt(steps, (x) => x.at > drop && x.decision.desired < 8)!;
    expect(firstDown).toBeGreaterThanOrEqual(drop + 5 * M);
    expect(firstDown).toBeLessThanOrEqual(drop + 5 * M + 60 * S + 4 * S);
    for (const x of steps.filter((x) => x.at > drop && x.at < firstDown)) {
      expect(x.decision.desired).toBe(8);
      expect(['hold', 'hold-stabilising']).toContain(x.decision.reason);
    }
    expect(steps.at(-1)!.decision.desired).toBe(1);
    expect(steps.filter((x) => x.decision.reason === 'scale-down').length).toBeGreaterThan(0);
  });

  it('idle: reaches zero after scaleToZeroDelay and comes back on the first request', () => {
    const s = settings({
      minReplicas: 0,
      maxReplicas: 4,
      scaleDownDelay: '1m',
      scaleToZeroDelay: '10m',
    });
    const stop = 2 * M;
    const again = 20 * M;
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t < stop ? 15 : t >= again ? 1 : 0 }),
      durationMs: 22 * M,
      startReplicas: 2,
    });
    const zeroAt = firstAt(steps, (x) => x.decision.desired === 0)!;
    expect(zeroAt).toBeGreaterThanOrEqual(stop + 10 * M - 2 * S);
    expect(zeroAt).toBeLessThanOrEqual(stop + 10 * M + 2 * S);
    expect(steps.find((x) => x.at === zeroAt)!.decision.reason).toBe('scale-to-zero');
    // Before that it held one replica (stabilisation took it from 2 to 1).
    expect(desiredAt(steps, stop + 8 * M)).toBe(1);
    const back = steps.find((x) => x.at === again)!;
    expect(back.decision.desired).toBe(1);
    expect(back.decision.reason).toBe('scale-from-zero');
  });

  it('a scaleToZeroDelay shorter than the stable window still means zero after that much idle time', () => {
    const s = settings({ minReplicas: 0, maxReplicas: 4, scaleToZeroDelay: '10s' });
    const stop = 2 * M;
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t < stop ? 5 : 0 }),
      durationMs: 4 * M,
      startReplicas: 1,
    });
    // The 60 s stable window still averages the earlier load; idleness decides: 10 s after the
    // last tick that saw demand (stop - 2 s), not after the window forgets it.
    const zeroAt = firstAt(steps, (x) => x.decision.desired === 0)!;
    expect(zeroAt).toBe(stop - 2 * S + 10 * S);
    expect(steps.find((x) => x.at === zeroAt)!.decision.reason).toBe('scale-to-zero');
  });

  it('a queued job alone brings a Model back from zero', () => {
    const s = settings({ minReplicas: 0, maxReplicas: 4 });
    const input: ScalingInput = {
      now: 0,
      gatewayInFlight: 0,
      engines: [],
      queuedJobs: 1,
      readyReplicas: 0,
      currentReplicas: 0,
      scheduledReplicas: 0,
      freeGpus: 8,
    };
    const r = decideScale(s, input, undefined);
    expect(r.decision).toMatchObject({ desired: 1, reason: 'scale-from-zero' });
    const idle = decideScale(s, { ...input, queuedJobs: 0 }, undefined);
    expect(idle.decision).toMatchObject({ desired: 0, reason: 'hold' });
  });

  it('burst: ignores a burst shorter than the panic window; panics on one that lasts, steps faster, and holds during panic', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 30, scaleDownDelay: '30s' });
    const short = 3 * M;
    const long = 6 * M;
    const steps = runCurve({
      settings: s,
      load: (t) => ({
        inFlight: (t >= short && t < short + 10 * S) || (t >= long && t < long + 40 * S) ? 200 : 8,
      }),
      durationMs: 10 * M,
    });
    // 10 s at 200: replicas started for it would be ready after it ended; only the 60 s mean counts.
    const duringShort = steps.filter((x) => x.at >= short && x.at < short + 10 * S);
    expect(duringShort.every((x) => !x.decision.panic)).toBe(true);
    expect(Math.max(...duringShort.map((x) => x.decision.desired))).toBeLessThanOrEqual(5);
    // 40 s at 200: panic once it has lasted the 20 s window.
    const duringLong = steps.filter((x) => x.at >= long && x.at < long + 40 * S);
    const panicAt = firstAt(duringLong, (x) => x.decision.panic)!;
    expect(panicAt).toBeLessThanOrEqual(long + 22 * S);
    expect(duringLong.find((x) => x.at === panicAt)!.decision.reason).toBe('scale-up-panic');
    const peak = Math.max(...duringLong.map((x) => x.decision.desired));
    expect(peak).toBeGreaterThanOrEqual(15);
    const afterBurst = steps.filter((x) => x.at >= long + 40 * S && x.at < panicAt + 60 * S);
    for (const x of afterBurst) expect(x.decision.desired).toBe(peak);
    expect(steps.at(-1)!.decision.desired).toBe(1);
  });

  it('scaleUpDelay: a spike asking for more for less than the delay adds nothing; sustained load scales after it', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 10, scaleUpDelay: '30s' });
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t >= 3 * M ? 60 : t >= 60 * S && t < 70 * S ? 20 : 5 }),
      durationMs: 5 * M,
    });
    expect(steps.filter((x) => x.at < 3 * M).every((x) => x.decision.desired === 1)).toBe(true);
    const up = firstAt(steps, (x) => x.at >= 3 * M && x.decision.desired > 1)!;
    expect(up).toBeGreaterThanOrEqual(3 * M + 30 * S);
    expect(up).toBeLessThanOrEqual(3 * M + 34 * S);
  });

  it('never plans more replicas than free GPUs hold, reports the shortfall, and scales into freed GPUs', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 10 }, 'nvidia-h100:2');
    let budget = 7; // 3 replicas of 2 GPUs fit
    const steps = runCurve({
      settings: s,
      load: () => ({ inFlight: 100 }),
      durationMs: 2 * M,
      gpuBudget: 7,
    });
    for (const x of steps) expect(x.decision.desired * 2).toBeLessThanOrEqual(budget);
    const last = steps.at(-1)!.decision;
    expect(last).toMatchObject({ desired: 3, wanted: 10, reason: 'capacity-shortfall' });
    expect(last.shortfall).toEqual({ replicas: 7, gpus: 14, gpuType: 'nvidia-h100', freeGpus: 1 });
    budget = 16;
    const more = runCurve({
      settings: s,
      load: () => ({ inFlight: 100 }),
      durationMs: 2 * M,
      gpuBudget: budget,
    });
    expect(more.at(-1)!.decision).toMatchObject({ desired: 8, wanted: 10 });
    // Pending replicas (not holding GPUs) are dropped to what fits.
    const pending = decideScale(
      s,
      {
        now: 0,
        gatewayInFlight: 100,
        engines: [],
        queuedJobs: 0,
        readyReplicas: 2,
        currentReplicas: 5,
        scheduledReplicas: 2,
        unschedulableReplicas: 3,
        freeGpus: 2,
      },
      undefined,
    );
    expect(pending.decision).toMatchObject({ desired: 3, reason: 'capacity-shortfall' });
  });

  it('keeps a starting replica whose pod was bound between the pod list and the GPU count', () => {
    // kubectl scale to 1 on a Model with minReplicas 0 and one free A10G: the pod list saw the
    // pod unbound, the free-GPU count already saw its GPU taken. Neither read alone says the
    // replica cannot run; the scheduler has not refused it, so it stays (it was cut to zero).
    const s = settings({ minReplicas: 0, maxReplicas: 4 });
    const input = {
      now: 0,
      gatewayInFlight: 0,
      engines: [],
      queuedJobs: 0,
      readyReplicas: 0,
      currentReplicas: 1,
      scheduledReplicas: 0,
      freeGpus: 0,
    };
    expect(decideScale(s, input, undefined).decision).toMatchObject({ desired: 1, current: 1 });
    expect(decideScale(s, input, undefined).decision.shortfall).toBeUndefined();
    // Once the scheduler reports the pod Unschedulable, the replica is dropped as before.
    const refused = decideScale(s, { ...input, unschedulableReplicas: 1 }, undefined).decision;
    expect(refused).toMatchObject({ desired: 0, reason: 'capacity-shortfall' });
    expect(refused.shortfall).toMatchObject({ replicas: 1, freeGpus: 0 });
  });

  it('KV-cache pressure adds a replica even when the request count is under target', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 10 });
    const r = decideScale(
      s,
      {
        now: 0,
        gatewayInFlight: 8,
        engines: [
          { running: 4, waiting: 2, kvCacheUsage: 0.97 },
          { running: 2, waiting: 0, kvCacheUsage: 0.95 },
        ],
        queuedJobs: 0,
        readyReplicas: 2,
        currentReplicas: 2,
        scheduledReplicas: 2,
        freeGpus: 4,
      },
      undefined,
    );
    expect(r.decision).toMatchObject({ desired: 3, reason: 'scale-up' });
  });

  it('restart: a fresh state neither scales down early nor flaps; a stored state resumes exactly', () => {
    const s = settings({ minReplicas: 1, maxReplicas: 20, scaleDownDelay: '5m' });
    const drop = 3 * M;
    const curve = (t: number) => ({ inFlight: t < drop ? 80 : 10 });
    const restarted = runCurve({
      settings: s,
      load: curve,
      durationMs: 14 * M,
      restartsAtMs: [drop + 4 * M],
    });
    const firstDown = firstAt(restarted, (x) => x.at > drop && x.decision.desired < 8)!;
    // The restart at drop+4m restarts the window: no scale-down before drop+9m.
    expect(firstDown).toBeGreaterThanOrEqual(drop + 9 * M);
    const changes = restarted.filter(
      (x, i) => i > 0 && x.decision.desired !== restarted[i - 1]!.decision.desired,
    );
    expect(changes.every((x) => x.decision.desired < x.decision.current || x.at <= drop)).toBe(
      true,
    );

    // Round trip through JSON (as Redis keeps it) gives the same decisions.
    let a = initialScalerState(0, 1);
    let b = a;
    for (let at = 0; at <= 6 * M; at += 2 * S) {
      const input: ScalingInput = {
        now: at,
        gatewayInFlight: curve(at).inFlight,
        engines: [],
        queuedJobs: 0,
        readyReplicas: 8,
        currentReplicas: 8,
        scheduledReplicas: 8,
        freeGpus: 8,
      };
      const ra = decideScale(s, input, a);
      const rb = decideScale(s, input, parseScalerState(JSON.parse(JSON.stringify(b))));
      expect(rb.decision).toEqual(ra.decision);
      a = ra.state;
      b = rb.state;
    }
    expect(parseScalerState({ since: 'x' })).toBeUndefined();
  });

  it('minReplicas and maxReplicas bound every decision', () => {
    const s = settings({ minReplicas: 2, maxReplicas: 5 });
    const steps = runCurve({
      settings: s,
      load: (t) => ({ inFlight: t < M ? 0 : 500 }),
      durationMs: 3 * M,
      startReplicas: 0,
    });
    expect(steps[0]!.decision).toMatchObject({ desired: 2, reason: 'min-replicas' });
    for (const x of steps) {
      expect(x.decision.desired).toBeGreaterThanOrEqual(2);
      expect(x.decision.desired).toBeLessThanOrEqual(5);
    }
    expect(steps.at(-1)!.decision.desired).toBe(5);
  });
});
