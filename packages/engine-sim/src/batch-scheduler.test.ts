import { describe, expect, it } from 'vitest';
import { BatchScheduler, type KvAllocation, type StepInfo } from './batch-scheduler.js';
import { calibrate, REFERENCE_FITS } from './calibrate.js';
import { stepTimeUs } from './latency-model.js';
import { VirtualClock } from './virtual-clock.js';

const H100 = REFERENCE_FITS.h100;

function run(
  opts: {
    maxNumSeqs?: number;
    kv?: number;
    timeScale?: number;
    budget?: number;
    kvAllocation?: KvAllocation;
  } = {},
) {
  const clock = new VirtualClock(1000);
  const steps: StepInfo[] = [];
  const scheduler = new BatchScheduler({
    coefficients: H100,
    maxNumSeqs: opts.maxNumSeqs ?? 256,
    kvCapacityTokens: opts.kv ?? 1_000_000,
    clock,
    timeScale: opts.timeScale ?? 1,
    ...(opts.budget !== undefined ? { maxNumBatchedTokens: opts.budget } : {}),
    ...(opts.kvAllocation ? { kvAllocation: opts.kvAllocation } : {}),
    onStep: (s) => steps.push(s),
  });
  const submit = (promptTokens: number, outputTokens: number, blockHashes?: number[]) => {
    const tokens: number[] = [];
    const counts: number[] = [];
    const wall: number[] = [];
    let finishedAt: number | undefined;
    scheduler.submit({
      promptTokens,
      outputTokens,
      ...(blockHashes ? { blockHashes } : {}),
      onToken: (n, at) => {
        counts.push(n);
        tokens.push(at);
        wall.push(clock.now());
      },
      onFinish: (at) => (finishedAt = at),
    });
    return { tokens, counts, wall, finished: () => finishedAt };
  };
  return { clock, scheduler, steps, submit };
}

describe('BatchScheduler in virtual time', () => {
  it('concurrency 1: TTFT of a 1,000-token prompt is b0 + 1000·b1 and each next token b0 + b2', () => {
    const { clock, submit } = run();
    const r = submit(1000, 5);
    clock.runAll();
    const ttftMs = (H100.b0 + 1000 * H100.b1) / 1000;
    const tpotMs = (H100.b0 + H100.b2) / 1000;
    expect(r.tokens).toHaveLength(5);
    expect(r.tokens[0]).toBeCloseTo(ttftMs, 9);
    for (let i = 1; i < 5; i++) expect(r.tokens[i]! - r.tokens[i - 1]!).toBeCloseTo(tpotMs, 9);
    expect(r.finished()).toBeCloseTo(ttftMs + 4 * tpotMs, 9);
    // the wall (virtual) clock moved by exactly the same amount at time scale 1
    expect(r.wall[0]! - 1000).toBeCloseTo(ttftMs, 9);
  });

  it('decode steps slow with concurrency as b0 + b2·N', () => {
    const { clock, submit, steps } = run();
    const rs = Array.from({ length: 8 }, () => submit(100, 10));
    clock.runAll();
    // one prefill step for all eight, then nine pure-decode steps of eight sequences
    expect(steps[0]).toMatchObject({ prefillTokens: 800, decodeTokens: 0, batchSize: 8 });
    expect(steps.slice(1).every((s) => s.decodeTokens === 8 && s.prefillTokens === 0)).toBe(true);
    const tpot8 = stepTimeUs(H100, 0, 8) / 1000;
    for (const r of rs) {
      expect(r.tokens[0]).toBeCloseTo(stepTimeUs(H100, 800, 0) / 1000, 9);
      expect(r.tokens[3]! - r.tokens[2]!).toBeCloseTo(tpot8, 9);
    }
    expect(tpot8).toBeGreaterThan(stepTimeUs(H100, 0, 1) / 1000);
  });

  it('a request arriving mid-decode is prefilled in the next step, which slows the others', () => {
    const { clock, submit, steps } = run();
    const a = submit(10, 20);
    clock.advance(20); // a few steps in
    const b = submit(500, 2);
    clock.runAll();
    const mixed = steps.find((s) => s.prefillTokens === 500)!;
    expect(mixed.decodeTokens).toBe(1);
    expect(mixed.endMs - mixed.startMs).toBeCloseTo(stepTimeUs(H100, 500, 1) / 1000, 9);
    expect(b.tokens[0]).toBeCloseTo(mixed.endMs, 9);
    expect(a.tokens).toHaveLength(20);
  });

  it('caps running at maxNumSeqs, queues the rest FIFO and drains to zero', () => {
    const { clock, scheduler, submit } = run({ maxNumSeqs: 4 });
    const rs = Array.from({ length: 10 }, () => submit(50, 3));
    clock.advance(0);
    expect(scheduler.stats()).toMatchObject({ running: 4, waiting: 6 });
    clock.runAll();
    expect(scheduler.stats()).toMatchObject({ running: 0, waiting: 0, kvUsedTokens: 0 });
    const firsts = rs.map((r) => r.tokens[0]!);
    expect([...firsts].sort((x, y) => x - y)).toEqual(firsts); // FIFO
    expect(firsts[4]!).toBeGreaterThan(firsts[3]!);
  });

  it('reserve (TGI): caps running by the prompt + output each sequence reserves', () => {
    const { clock, scheduler, submit } = run({ kv: 1000, kvAllocation: 'reserve' });
    for (let i = 0; i < 5; i++) submit(300, 100);
    clock.advance(0);
    expect(scheduler.stats()).toMatchObject({ running: 2, waiting: 3 });
    expect(() => submit(900, 200)).toThrow(/capacity/);
  });

  it('time scale divides the wall time but not the model time', () => {
    const { clock, submit } = run({ timeScale: 10 });
    const r = submit(1000, 1);
    clock.runAll();
    const ttftMs = (H100.b0 + 1000 * H100.b1) / 1000;
    expect(r.tokens[0]).toBeCloseTo(ttftMs, 9);
    expect(r.wall[0]! - 1000).toBeCloseTo(ttftMs / 10, 9);
  });

  it('cancel frees the slot for the next waiting sequence', () => {
    const clock = new VirtualClock();
    const s = new BatchScheduler({
      coefficients: H100,
      maxNumSeqs: 1,
      kvCapacityTokens: 10_000,
      clock,
    });
    const h = s.submit({ promptTokens: 10, outputTokens: 100 });
    s.submit({ promptTokens: 10, outputTokens: 1 });
    clock.advance(0);
    expect(s.stats()).toMatchObject({ running: 1, waiting: 1 });
    h.cancel();
    clock.runAll();
    expect(s.stats()).toMatchObject({ running: 0, waiting: 0 });
  });
});

it('a late timer never schedules a sequence before it arrived (queue time and TTFT >= 0)', () => {
  // Timers fire 40 ms late, as a busy event loop does: steps then run behind the clock in
  // model time, and a request that arrives in between must not join a step that began before it.
  const clock = new VirtualClock();
  const late = {
    now: () => clock.now(),
    setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, ms + 40),
    clearTimeout: (h: Parameters<VirtualClock['clearTimeout']>[0]) => clock.clearTimeout(h),
  };
  const s = new BatchScheduler({
    coefficients: H100,
    maxNumSeqs: 8,
    kvCapacityTokens: 100_000,
    clock: late,
  });
  const seen: { submitted: number; scheduled?: number; first?: number }[] = [];
  const submit = (promptTokens: number, outputTokens: number) => {
    const r: (typeof seen)[number] = { submitted: s.nowMs() };
    seen.push(r);
    s.submit({
      promptTokens,
      outputTokens,
      onScheduled: (at) => (r.scheduled = at),
      onToken: (n, at) => {
        if (n === 1) r.first = at;
      },
    });
  };
  submit(2000, 20);
  for (let i = 0; i < 12; i++) {
    clock.advance(15);
    submit(500, 5);
  }
  clock.runAll();
  expect(seen.every((r) => r.first !== undefined)).toBe(true);
  for (const r of seen) {
    expect(r.scheduled!).toBeGreaterThanOrEqual(r.submitted);
    expect(r.first!).toBeGreaterThan(r.submitted);
  }
});

describe('calibrate', () => {
  it('returns the published fits for Llama-3.1-8B at TP1', () => {
    expect(calibrate({ gpu: 'NVIDIA-H100-80GB-HBM3', paramsB: 8 }).coefficients).toEqual(
      REFERENCE_FITS.h100,
    );
    expect(calibrate({ gpu: 'nvidia-a100:1', paramsB: 8 }).coefficients).toEqual(
      REFERENCE_FITS.a100,
    );
  });

  it('scales by parameter count and tensor parallelism', () => {
    const c70 = calibrate({ gpu: 'h100', paramsB: 70, tensorParallel: 4 }).coefficients;
    const f = 70 / 8 / Math.pow(4, 0.85);
    expect(c70.b1).toBeCloseTo(REFERENCE_FITS.h100.b1 * f, 9);
    expect(c70.b0).toBeCloseTo(REFERENCE_FITS.h100.b0 * f, 9);
    const small = calibrate({ gpu: 'h100', paramsB: 0.5 }).coefficients;
    expect(small.b0).toBeCloseTo(REFERENCE_FITS.h100.b0 * 0.25, 9);
    expect(calibrate({ gpu: 'l4', paramsB: 8 }).coefficients.b0).toBeGreaterThan(
      REFERENCE_FITS.a100.b0,
    );
  });

  it('rejects unknown GPUs by name', () => {
    expect(() => calibrate({ gpu: 'voodoo5', paramsB: 8 })).toThrow(/unknown GPU type "voodoo5"/);
  });
});

describe('BatchScheduler callback failures', () => {
  it('drops a sequence whose callback throws and keeps the batch going', () => {
    const clock = new VirtualClock();
    const errors: unknown[] = [];
    const s = new BatchScheduler({
      coefficients: H100,
      maxNumSeqs: 4,
      kvCapacityTokens: 10_000,
      clock,
      onCallbackError: (e) => errors.push(e),
    });
    let other = 0;
    s.submit({
      promptTokens: 10,
      outputTokens: 5,
      onToken: () => {
        throw new Error('boom');
      },
    });
    s.submit({ promptTokens: 10, outputTokens: 5, onToken: () => (other += 1) });
    clock.runAll();
    expect(errors).toHaveLength(1);
    expect(other).toBe(5);
    expect(s.stats()).toMatchObject({ running: 0, waiting: 0 });
  });
});
