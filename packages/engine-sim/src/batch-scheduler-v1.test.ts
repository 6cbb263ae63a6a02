import { describe, expect, it } from 'vitest';
import { BatchScheduler, type StepInfo } from './batch-scheduler.js';
import { REFERENCE_FITS } from './calibrate.js';
import { stepTimeUs } from './latency-model.js';
import { blockHashesFromHashIds } from './prefix-block-hashes.js';
import { VirtualClock } from './virtual-clock.js';

// vLLM V1's scheduling steps in virtual time: chunked prefill under the token budget, prefix
// caching of shared prompt blocks, and preemption by recompute when KV blocks run out.

const H100 = REFERENCE_FITS.h100;

function engine(opts: { budget?: number; kv?: number; maxNumSeqs?: number } = {}) {
  const clock = new VirtualClock();
  const steps: StepInfo[] = [];
  const scheduler = new BatchScheduler({
    coefficients: H100,
    maxNumSeqs: opts.maxNumSeqs ?? 256,
    kvCapacityTokens: opts.kv ?? 1_000_000,
    clock,
    ...(opts.budget !== undefined ? { maxNumBatchedTokens: opts.budget } : {}),
    onStep: (s) => steps.push(s),
  });
  const submit = (promptTokens: number, outputTokens: number, blockHashes?: number[]) => {
    const arrivedMs = scheduler.nowMs();
    const r = { arrivedMs, tokens: [] as number[], counts: [] as number[], done: false };
    scheduler.submit({
      promptTokens,
      outputTokens,
      ...(blockHashes ? { blockHashes } : {}),
      onToken: (n, at) => {
        r.counts.push(n);
        r.tokens.push(at);
      },
      onFinish: () => (r.done = true),
    });
    return r;
  };
  return { clock, scheduler, steps, submit };
}

const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);

describe('chunked prefill under --max-num-batched-tokens', () => {
  it('keeps decodes flowing every step while a 30k-token prompt prefills in budget-sized chunks', () => {
    const { clock, submit, steps } = engine({ budget: 2048 });
    const decoders = Array.from({ length: 4 }, () => submit(100, 400));
    clock.advance(50); // the four are decoding by now
    const long = submit(30_000, 2);
    clock.runAll();

    const prefillSteps = steps.filter((s) => s.prefillTokens > 0).slice(1); // after the first
    // each step: the four decodes first, then a 2044-token chunk of the long prompt
    expect(prefillSteps).toHaveLength(Math.ceil(30_000 / 2044));
    for (const s of prefillSteps) {
      expect(s.decodeTokens).toBe(4);
      expect(s.prefillTokens + s.decodeTokens).toBeLessThanOrEqual(2048);
    }
    // no decoder waits more than one budget-sized step for its next token...
    const oneStep = stepTimeUs(H100, 2044, 4) / 1000;
    const worst = Math.max(...decoders.flatMap((d) => gaps(d.tokens)));
    expect(worst).toBeCloseTo(oneStep, 9);
    // ...where a whole-prompt prefill would have stalled them for the full 30k tokens
    expect(worst).toBeLessThan(stepTimeUs(H100, 30_000, 4) / 1000 / 10);
    // the long prompt's first token comes with its last chunk
    expect(long.tokens[0]).toBeCloseTo(prefillSteps.at(-1)!.endMs, 9);
    expect(decoders.every((d) => d.done) && long.done).toBe(true);
  });

  it('without a budget limit the same prompt stalls every decode for one long step', () => {
    const { clock, submit } = engine({ budget: 1e9 });
    const decoders = Array.from({ length: 4 }, () => submit(100, 400));
    clock.advance(50);
    submit(30_000, 2);
    clock.runAll();
    const worst = Math.max(...decoders.flatMap((d) => gaps(d.tokens)));
    expect(worst).toBeCloseTo(stepTimeUs(H100, 30_000, 4) / 1000, 9);
  });
});

describe('prefix caching', () => {
  const shared = [11, 12, 13, 14, 15, 16, 17, 18]; // eight 512-token blocks: 4,096 tokens
  const prompt = 4096 + 200;

  it('a repeated prefix skips its prefill: the second TTFT is the suffix alone', () => {
    const { clock, scheduler, submit } = engine();
    const a = submit(prompt, 4, blockHashesFromHashIds([...shared, 101], prompt));
    clock.runAll();
    const b = submit(prompt, 4, blockHashesFromHashIds([...shared, 202], prompt));
    clock.runAll();
    expect(a.tokens[0]! - a.arrivedMs).toBeCloseTo(stepTimeUs(H100, prompt, 0) / 1000, 9);
    expect(b.tokens[0]! - b.arrivedMs).toBeCloseTo(stepTimeUs(H100, 200, 0) / 1000, 9);
    expect(scheduler.stats()).toMatchObject({
      prefixQueries: 2 * prompt,
      prefixHits: 4096,
      prefilledTokens: prompt + 200,
      kvCacheUsage: 0, // cached blocks nobody holds count as free, as in vLLM
    });
  });

  it('a fully cached prompt still computes its last block', () => {
    const { clock, scheduler, submit } = engine();
    const hashes = blockHashesFromHashIds(shared, 4096);
    submit(4096, 1, hashes);
    clock.runAll();
    const b = submit(4096, 1, hashes);
    clock.runAll();
    expect(scheduler.stats().prefixHits).toBe(4096 - 16);
    expect(b.tokens[0]! - b.arrivedMs).toBeCloseTo(stepTimeUs(H100, 16, 0) / 1000, 9);
  });

  it('evicts free cached blocks least recently used first, tail blocks of a prompt first', () => {
    // 300 blocks; A holds 269, so an unrelated prompt of the same size takes the 31 never-used
    // blocks and then A's blocks from its tail, leaving A's first 31 blocks cached
    const { clock, scheduler, submit } = engine({ kv: 300 * 16 });
    submit(prompt, 4, blockHashesFromHashIds([...shared, 101], prompt));
    clock.runAll();
    submit(prompt, 4, blockHashesFromHashIds([1, 2, 3, 4, 5, 6, 7, 8, 9], prompt));
    clock.runAll();
    const hitsBefore = scheduler.stats().prefixHits;
    submit(prompt, 4, blockHashesFromHashIds([...shared, 303], prompt));
    clock.runAll();
    expect(hitsBefore).toBe(0);
    expect(scheduler.stats().prefixHits).toBe(31 * 16);
  });

  it('without hashes nothing is shared', () => {
    const { clock, scheduler, submit } = engine();
    submit(prompt, 2);
    clock.runAll();
    submit(prompt, 2);
    clock.runAll();
    expect(scheduler.stats()).toMatchObject({ prefixQueries: 2 * prompt, prefixHits: 0 });
  });
});

describe('preemption when KV blocks run out', () => {
  it('preempts the last-admitted sequence, recomputes it later, and completes everything', () => {
    // 64 blocks of 16 tokens: two 400-token prompts fit (25 blocks each), but not both grown
    // to 700 tokens (44 blocks each)
    const { clock, scheduler, submit, steps } = engine({ kv: 64 * 16 });
    const a = submit(400, 300);
    const b = submit(400, 300);
    clock.runAll();
    const stats = scheduler.stats();
    expect(stats.preemptions).toBe(1);
    for (const r of [a, b]) {
      expect(r.done).toBe(true);
      expect(r.counts).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    }
    // the first-admitted one never stalls; the preempted one waits for it to finish
    expect(Math.max(...gaps(a.tokens))).toBeLessThan(stepTimeUs(H100, 800, 2) / 1000);
    const bStall = Math.max(...gaps(b.tokens));
    expect(bStall).toBeGreaterThan(100 * (stepTimeUs(H100, 0, 1) / 1000));
    expect(b.tokens.at(-1)!).toBeGreaterThan(a.tokens.at(-1)!);
    // its recompute is a prefill step after the first one; the blocks it had filled that were
    // not evicted in the meantime come back as prefix-cache hits
    expect(steps.filter((s) => s.prefillTokens > 0).length).toBe(2);
    expect(stats.prefixHits).toBeGreaterThan(0);
    expect(stats.prefilledTokens + stats.prefixHits).toBeGreaterThan(800);
    expect(stats).toMatchObject({ running: 0, waiting: 0, kvUsedBlocks: 0 });
  });
});

describe('prefix caching off', () => {
  it('--no-enable-prefix-caching: nothing is looked up, every prompt is prefilled', () => {
    const clock = new VirtualClock();
    const s = new BatchScheduler({
      coefficients: H100,
      maxNumSeqs: 8,
      kvCapacityTokens: 100_000,
      clock,
      enablePrefixCaching: false,
    });
    const hashes = blockHashesFromHashIds([1, 2], 1024);
    for (let i = 0; i < 2; i++) {
      s.submit({ promptTokens: 1024, outputTokens: 1, blockHashes: hashes });
      clock.runAll();
    }
    expect(s.stats()).toMatchObject({ prefixQueries: 0, prefixHits: 0, prefilledTokens: 2048 });
  });
});
