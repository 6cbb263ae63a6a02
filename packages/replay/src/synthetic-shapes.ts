import { gammaVariate, normalVariate, seededUniform } from './synthetic-trace.js';
import type { Trace, TraceRequest } from './trace-request.js';

/**
 * Token-length distributions from published trace statistics (log-normal fits to the reported
 * medians and tails; the replay needs the shape of the distribution, not the exact file):
 * - `azure-conversation`: Azure LLM inference trace 2023, conversation (Patel et al., "Splitwise",
 *   ISCA 2024): prompt median ~1,020 tokens, output median ~129.
 * - `azure-code`: the same trace's coding service: prompt median ~1,500, output median ~13.
 * - `burstgpt`: BurstGPT (Wang et al., 2024, ChatGPT/GPT-4 API logs): requests of a few hundred
 *   tokens (long-tailed), responses of a few hundred tokens.
 */
export const TOKEN_PROFILES = {
  'azure-conversation': {
    promptMedian: 1020,
    promptSigma: 1.0,
    outputMedian: 129,
    outputSigma: 0.9,
  },
  'azure-code': { promptMedian: 1500, promptSigma: 0.9, outputMedian: 13, outputSigma: 1.0 },
  burstgpt: { promptMedian: 600, promptSigma: 1.1, outputMedian: 250, outputSigma: 0.8 },
} as const;
export type TokenProfile = keyof typeof TOKEN_PROFILES;

/** The synthetic shapes of `pnpm sim replay --trace <shape>`. */
export const SYNTHETIC_SHAPES = ['flat', 'diurnal', 'bursty', 'long-prompt'] as const;
export type SyntheticShape = (typeof SYNTHETIC_SHAPES)[number];

export interface ShapeOptions {
  /** Mean arrivals per second over the trace (conversation turns for long-prompt). */
  rate: number;
  durationMs: number;
  seed: number;
  /** bursty: coefficient of variation of the gaps (default 3, within BurstGPT's 2-4). */
  cv?: number;
}

/** A request with the 512-token block hashes of its prompt (Mooncake's `hash_ids`). */
export interface PrefixedRequest extends TraceRequest {
  hashIds?: number[];
}

/** Block size of `hash_ids` in the Mooncake traces (tokens). */
export const PREFIX_BLOCK_TOKENS = 512;

function lengths(u: () => number, profile: TokenProfile, maxPrompt = 32_000) {
  const p = TOKEN_PROFILES[profile];
  const prompt = Math.round(p.promptMedian * Math.exp(p.promptSigma * normalVariate(u)));
  const output = Math.round(p.outputMedian * Math.exp(p.outputSigma * normalVariate(u)));
  return {
    promptTokens: Math.min(maxPrompt, Math.max(1, prompt)),
    outputTokens: Math.min(2_000, Math.max(1, output)),
  };
}

/**
 * Non-homogeneous Poisson arrivals with rate `rate(t)` (per second, at most `peak`) by thinning
 * (Lewis and Shedler).
 */
function thinnedArrivals(
  u: () => number,
  durationMs: number,
  peak: number,
  rate: (t: number) => number,
): number[] {
  const out: number[] = [];
  let t = 0;
  for (;;) {
    t += (-Math.log(1 - u()) / peak) * 1000;
    if (t >= durationMs) return out;
    if (u() * peak <= rate(t)) out.push(t);
  }
}

/**
 * Flat: a steady chat service. Poisson arrivals whose rate wanders by +-10% over ~10 minutes
 * (peak/mean of the per-minute rate under 1.3), conversation token lengths.
 */
export function flatTrace(o: ShapeOptions): Trace {
  const u = seededUniform(o.seed);
  const phase = u() * 2 * Math.PI;
  const rate = (t: number) => o.rate * (1 + 0.1 * Math.sin(phase + (2 * Math.PI * t) / 600_000));
  const at = thinnedArrivals(u, o.durationMs, o.rate * 1.1, rate);
  return {
    name: `flat-${o.rate}rps-s${o.seed}`,
    requests: at.map((a) => ({ at: a, ...lengths(u, 'azure-conversation') })),
  };
}

/**
 * Diurnal: one day compressed into the trace, a trough at 20% and a peak at 180% of the mean
 * rate (a cosine ramp; production chat services swing 3-10x between night and day), starting
 * near the trough at a seed-dependent phase, conversation token lengths.
 */
export function diurnalTrace(o: ShapeOptions): Trace {
  const u = seededUniform(o.seed);
  const phase = Math.PI + (u() - 0.5) * 0.5;
  const rate = (t: number) =>
    o.rate * (1 + 0.8 * Math.cos(phase + (2 * Math.PI * t) / o.durationMs));
  const at = thinnedArrivals(u, o.durationMs, o.rate * 1.8, rate);
  return {
    name: `diurnal-${o.rate}rps-s${o.seed}`,
    requests: at.map((a) => ({ at: a, ...lengths(u, 'azure-conversation') })),
  };
}

/**
 * Bursty: renewal arrivals with Gamma gaps of coefficient of variation `cv` (BurstGPT fits
 * Gamma inter-arrival times; cv 2-4 covers its services), BurstGPT-like token lengths.
 */
export function burstyTrace(o: ShapeOptions): Trace {
  const cv = o.cv ?? 3;
  const u = seededUniform(o.seed);
  const k = 1 / (cv * cv);
  const meanGapMs = 1000 / o.rate;
  const requests: TraceRequest[] = [];
  let at = 0;
  for (;;) {
    at += gammaVariate(u, k) * (meanGapMs / k);
    if (at >= o.durationMs) break;
    requests.push({ at, ...lengths(u, 'burstgpt') });
  }
  return { name: `bursty-${o.rate}rps-cv${cv}-s${o.seed}`, requests };
}

/**
 * Long-prompt conversational with shared prefixes, after the Mooncake conversation trace (Qin et
 * al., "Mooncake", FAST 2025: prompts ~12k tokens on average, long tail; outputs a few hundred):
 * conversations start as a Poisson process; each opens with one of a few shared system prompts
 * (1-4k tokens) plus a document or history (log-normal, median ~3.5k tokens, sigma 1.35), and every turn's
 * prompt is the previous prompt plus the previous answer plus a new user message, so turns of one
 * conversation share their prefix blocks (`hashIds`, 512 tokens a block, as Mooncake's
 * `hash_ids`). Users think 5-60 s between turns. Calibrated to a prompt mean of ~12k tokens and a
 * p99 of ~85k.
 */
export function longPromptTrace(o: ShapeOptions): Trace {
  const u = seededUniform(o.seed);
  const systems = [1024, 2048, 3072, 4096].map((tokens, i) => ({ tokens, base: i * 16 }));
  let nextHash = 1_000;
  const meanTurns = 4;
  const convRate = o.rate / meanTurns;
  const requests: PrefixedRequest[] = [];
  let start = 0;
  for (;;) {
    start += (-Math.log(1 - u()) / convRate) * 1000;
    if (start >= o.durationMs) break;
    const sys = systems[Math.floor(u() * systems.length)]!;
    const sysBlocks = Array.from(
      { length: sys.tokens / PREFIX_BLOCK_TOKENS },
      (_, i) => sys.base + i,
    );
    let context = sys.tokens + Math.round(3_500 * Math.exp(1.35 * normalVariate(u)));
    const blocks = [...sysBlocks];
    const extend = (tokens: number) => {
      const need = Math.floor(tokens / PREFIX_BLOCK_TOKENS);
      while (blocks.length < need) blocks.push(nextHash++);
    };
    const turns = 1 + Math.floor(-Math.log(1 - u()) * (meanTurns - 1));
    let at = start;
    for (let turn = 0; turn < turns && at < o.durationMs; turn++) {
      const output = Math.min(
        2_000,
        Math.max(1, Math.round(250 * Math.exp(0.8 * normalVariate(u)))),
      );
      const prompt = Math.min(200_000, context);
      extend(prompt);
      // Full blocks are shared with later turns; a partial last block is this request's own.
      const own = prompt % PREFIX_BLOCK_TOKENS > 0 ? [nextHash++] : [];
      requests.push({
        at,
        promptTokens: prompt,
        outputTokens: output,
        hashIds: [...blocks.slice(0, Math.floor(prompt / PREFIX_BLOCK_TOKENS)), ...own],
      });
      context = prompt + output + Math.round(300 * Math.exp(normalVariate(u)));
      at += 5_000 + u() * 55_000 + output * 20;
    }
  }
  requests.sort((a, b) => a.at - b.at);
  return { name: `long-prompt-${o.rate}rps-s${o.seed}`, requests };
}

/** One synthetic trace of a shape. */
export function shapeTrace(shape: SyntheticShape, o: ShapeOptions): Trace {
  switch (shape) {
    case 'flat':
      return flatTrace(o);
    case 'diurnal':
      return diurnalTrace(o);
    case 'bursty':
      return burstyTrace(o);
    case 'long-prompt':
      return longPromptTrace(o);
  }
}

/**
 * Load multiplier: compresses the trace's time by `factor` (arrivals `factor` times as dense,
 * the same requests), leaving the scenario's cold start as it is.
 */
export function multiplyLoad(trace: Trace, factor: number): Trace {
  if (!(factor > 0)) throw new RangeError('load multiplier must be > 0');
  if (factor === 1) return trace;
  return {
    name: `${trace.name}-x${factor}`,
    requests: trace.requests.map((r) => ({ ...r, at: r.at / factor })),
  };
}
