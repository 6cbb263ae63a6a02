import { seededRandom } from '@bascule/engine-sim';
import type { Trace, TraceRequest } from './trace-request.js';

/** Deterministic uniform [0,1) generator (mulberry32) so synthetic traces are reproducible. */
export const seededUniform = seededRandom;

/** Standard normal variate (Box-Muller). */
export function normalVariate(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape k, scale 1) by Marsaglia and Tsang. */
export function gammaVariate(u: () => number, k: number): number {
  if (k < 1) return gammaVariate(u, k + 1) * Math.pow(1 - u(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normalVariate(u);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    if (Math.log(1 - u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export interface SyntheticOptions {
  /** Mean arrivals per second. */
  rate: number;
  durationMs: number;
  seed?: number;
  /** Coefficient of variation of inter-arrival gaps: 1 is Poisson, > 1 bursty (Gamma). */
  cv?: number;
  /** Prompt tokens: log-normal with this median (default 1500, like the Azure code trace). */
  promptMedian?: number;
  /** Output tokens: log-normal with this median (default 24). */
  outputMedian?: number;
}

/**
 * Synthetic arrivals: Gamma-distributed gaps with mean 1/rate and the given CV (CV 1 is a
 * Poisson process; CV 4 gives bursts), prompt and output lengths log-normal (sigma 0.9 and 1.0).
 */
export function syntheticTrace(o: SyntheticOptions): Trace {
  const cv = o.cv ?? 1;
  const u = seededUniform(o.seed ?? 1);
  const k = 1 / (cv * cv);
  const meanGapMs = 1000 / o.rate;
  const requests: TraceRequest[] = [];
  let at = 0;
  for (;;) {
    at += cv === 1 ? -Math.log(1 - u()) * meanGapMs : gammaVariate(u, k) * (meanGapMs / k);
    if (at >= o.durationMs) break;
    const prompt = Math.round((o.promptMedian ?? 1500) * Math.exp(0.9 * normalVariate(u)));
    const output = Math.round((o.outputMedian ?? 24) * Math.exp(1.0 * normalVariate(u)));
    requests.push({
      at,
      promptTokens: Math.min(16_000, Math.max(1, prompt)),
      outputTokens: Math.min(2_000, Math.max(1, output)),
    });
  }
  return { name: cv === 1 ? `poisson-${o.rate}rps` : `gamma-${o.rate}rps-cv${cv}`, requests };
}
