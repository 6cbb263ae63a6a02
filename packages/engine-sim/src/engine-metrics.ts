import type { SchedulerStats } from './batch-scheduler.js';

/** What the HTTP layer reports about one finished (or aborted) request, in model seconds. */
export interface RequestRecord {
  promptTokens: number;
  generationTokens: number;
  maxTokens: number;
  /** 'stop' | 'length' | 'abort' (vLLM's FinishReason names). */
  finishReason: 'stop' | 'length' | 'abort';
  queueSeconds: number;
  ttftSeconds: number;
  e2eSeconds: number;
  /** Gaps between consecutive tokens. */
  interTokenSeconds: number[];
}

/** An engine's /metrics: the same events, each engine's names and format. */
export interface EngineMetrics {
  /** A request passed validation and was queued. */
  requestReceived(): void;
  requestFinished(r: RequestRecord): void;
  /** A request failed (validation, overload, injected fault). */
  requestFailed(kind: string): void;
  render(stats: SchedulerStats): string;
}

/** 1-2-5 buckets up to `max`, as vLLM's build_1_2_5_buckets. */
export function buckets125(max: number): number[] {
  const out: number[] = [];
  for (let e = 1; ; e *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * e > max) return out;
      out.push(m * e);
    }
  }
}
