import { sumMetric, type EngineMetricNames, type PrometheusSample } from '@bascule/engines';
import type { Engine } from '@bascule/spec';
import type { LatencyCounters } from '../policy/slo-signals.js';

/**
 * Cumulative latency counters of one engine from its histograms: first tokens (`_count`), those
 * within `ttftSeconds` (the largest `le` bucket at or under it; vLLM's TTFT buckets include 0.5,
 * 0.75, 1, 2.5, 5 s), and the queue-time histogram's `_count` and `_sum`. When the engine has no
 * TTFT histogram (TGI), the queue histogram stands in for both: a request counts within the bound
 * when it waited under it. Undefined when neither histogram is there.
 */
export function readLatencyCounters(
  samples: readonly PrometheusSample[],
  names: EngineMetricNames,
  ttftSeconds: number,
): LatencyCounters | undefined {
  const queueCount = sumMetric(samples, `${names.queueDuration}_count`);
  const queueSum = sumMetric(samples, `${names.queueDuration}_sum`);
  const ttftName = names.timeToFirstToken ?? names.queueDuration;
  const ttftCount = sumMetric(samples, `${ttftName}_count`);
  if (ttftCount === undefined && queueCount === undefined) return undefined;
  return {
    ttftCount: ttftCount ?? 0,
    ttftWithinSlo: bucketAtOrUnder(samples, `${ttftName}_bucket`, ttftSeconds),
    queueCount: queueCount ?? 0,
    queueSecondsSum: queueSum ?? 0,
  };
}

/** Sum over series of the cumulative bucket with the largest `le` at or under `bound`. */
function bucketAtOrUnder(
  samples: readonly PrometheusSample[],
  name: string,
  bound: number,
): number {
  let best = -Infinity;
  for (const s of samples) {
    if (s.name !== name) continue;
    const le = Number(s.labels.le);
    if (le <= bound + 1e-9 && le > best) best = le;
  }
  if (best === -Infinity) return 0;
  let total = 0;
  for (const s of samples) {
    if (s.name === name && Number(s.labels.le) === best && Number.isFinite(s.value)) {
      total += s.value;
    }
  }
  return total;
}

/**
 * Counters of prompt and output tokens each engine exports: vLLM's `vllm:prompt_tokens_total` and
 * `vllm:generation_tokens_total`; TGI's input-length and generated-tokens histograms (`_sum`).
 */
const TOKEN_COUNTERS: Record<Engine, { prompt: string; generation: string }> = {
  vllm: { prompt: 'vllm:prompt_tokens_total', generation: 'vllm:generation_tokens_total' },
  tgi: { prompt: 'tgi_request_input_length_sum', generation: 'tgi_request_generated_tokens_sum' },
};

/** Cumulative prompt and output tokens of one engine, summed over its series, when exported. */
export function readTokenCounters(
  samples: readonly PrometheusSample[],
  engine: Engine,
): { promptTokens: number; generationTokens: number } | undefined {
  const names = TOKEN_COUNTERS[engine];
  const promptTokens = sumMetric(samples, names.prompt);
  const generationTokens = sumMetric(samples, names.generation);
  if (promptTokens === undefined || generationTokens === undefined) return undefined;
  return { promptTokens, generationTokens };
}
