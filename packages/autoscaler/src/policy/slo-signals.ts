import type { EngineLoad } from '@bascule/engines';

/** Cumulative counters of one engine's histograms, as scraped (they only grow until a restart). */
export interface LatencyCounters {
  /** Requests whose first token came out (vLLM `vllm:time_to_first_token_seconds_count`). */
  ttftCount: number;
  /** Of those, requests whose TTFT was within the SLO (the histogram bucket at or under it). */
  ttftWithinSlo: number;
  /** Requests that left the engine's queue, and the seconds they waited there in total. */
  queueCount: number;
  queueSecondsSum: number;
  /**
   * Prompt and output tokens the engine processed (vLLM `vllm:prompt_tokens_total`,
   * `vllm:generation_tokens_total`), when it exports them: what its load would cost elsewhere.
   */
  promptTokens?: number;
  generationTokens?: number;
}

/** One ready replica as the autoscaler sees it: its load, and its latency counters when known. */
export interface EngineObservation extends EngineLoad {
  /** Pod name: the key that lets counters be differenced between decisions. */
  pod?: string;
  counters?: LatencyCounters;
}

/** What the engines' counters say about the interval since the previous decision. */
export interface SloSignals {
  /** Requests that got their first token in the interval, and how many did within the SLO. */
  ttftCount: number;
  ttftWithinSlo: number;
  /** Requests that left an engine queue in the interval, and their total wait (ms). */
  queueCount: number;
  queueWaitMs: number;
  /** Prompt and output tokens the engines processed in the interval. */
  promptTokens: number;
  generationTokens: number;
}

/**
 * Differences each pod's cumulative counters against the previous decision's. A pod seen for the
 * first time, or whose counters went down (a restart), contributes nothing this interval.
 */
export function diffCounters(
  engines: readonly EngineObservation[],
  previous: Readonly<Record<string, LatencyCounters>>,
): { signals: SloSignals; counters: Record<string, LatencyCounters> } {
  const signals: SloSignals = {
    ttftCount: 0,
    ttftWithinSlo: 0,
    queueCount: 0,
    queueWaitMs: 0,
    promptTokens: 0,
    generationTokens: 0,
  };
  const counters: Record<string, LatencyCounters> = {};
  for (const e of engines) {
    if (e.pod === undefined || e.counters === undefined) continue;
    counters[e.pod] = e.counters;
    const p = previous[e.pod];
    if (!p) continue;
    const c = e.counters;
    if (c.ttftCount >= p.ttftCount && c.ttftWithinSlo >= p.ttftWithinSlo) {
      signals.ttftCount += c.ttftCount - p.ttftCount;
      signals.ttftWithinSlo += Math.min(
        c.ttftWithinSlo - p.ttftWithinSlo,
        c.ttftCount - p.ttftCount,
      );
    }
    if (c.queueCount >= p.queueCount && c.queueSecondsSum >= p.queueSecondsSum) {
      signals.queueCount += c.queueCount - p.queueCount;
      signals.queueWaitMs += (c.queueSecondsSum - p.queueSecondsSum) * 1000;
    }
    signals.promptTokens += grown(c.promptTokens, p.promptTokens);
    signals.generationTokens += grown(c.generationTokens, p.generationTokens);
  }
  return { signals, counters };
}

/** How much a cumulative counter grew (0 when unknown on either side or reset). */
function grown(now: number | undefined, before: number | undefined): number {
  return now !== undefined && before !== undefined && now >= before ? now - before : 0;
}
