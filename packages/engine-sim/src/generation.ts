import type { BatchScheduler } from './batch-scheduler.js';
import type { RequestRecord } from './engine-metrics.js';
import { drawOutputLength, type OutputLengthSpec } from './output-length.js';
import { seededRandom } from './seeded-random.js';
import { TextGenerator } from './text-generator.js';

export interface GenerateParams {
  promptTokens: number;
  /** Prefix-cache hashes of the prompt's full KV blocks (EngineRuntime.promptBlockHashes). */
  promptBlockHashes?: readonly number[];
  /** LoRA adapter the request names (vLLM). */
  lora?: string;
  /** Hard cap on output tokens (request max_tokens, or what the context leaves). */
  maxTokens: number;
  seed: number;
  stop: readonly string[];
  outputLength: OutputLengthSpec;
  /** Keep the stop string at the end of the text (TGI does; vLLM does not by default). */
  includeStop?: boolean;
  /** Fixed token pieces to emit instead of seeded words (a tool call's arguments). */
  pieces?: readonly string[];
}

export interface GenerationResult {
  text: string;
  tokens: number;
  finishReason: 'stop' | 'length';
  /** The stop string that ended generation, else null (EOS or length). */
  stopReason: string | null;
  record: RequestRecord;
}

export interface GenerationEvents {
  /**
   * New text (possibly empty when a stop string cut it) for token number `count`; `last` is
   * true for the final token, whose onDone follows in the same tick.
   */
  onToken?(delta: string, count: number, last: boolean): void;
  onDone(result: GenerationResult): void;
}

/**
 * Runs one sequence through the scheduler: decides its length from the output-length spec
 * (capped by maxTokens), emits seeded text token by token, honours stop strings (cut before
 * the stop string as vLLM does, or after it with includeStop as TGI does) and builds the metrics record. Returns a
 * cancel function that aborts it and reports the abort.
 */
export function runGeneration(
  scheduler: BatchScheduler,
  params: GenerateParams,
  events: GenerationEvents,
  onAbort: (record: RequestRecord) => void,
): () => void {
  const drawn = params.pieces
    ? params.pieces.length
    : drawOutputLength(params.outputLength, seededRandom(params.seed ^ 0x5bd1e995));
  const target = Math.max(1, Math.min(drawn ?? params.maxTokens, params.maxTokens));
  const eos =
    drawn !== undefined &&
    (drawn < params.maxTokens || (params.pieces !== undefined && drawn === params.maxTokens));
  const gen = new TextGenerator(params.seed);
  const submittedAt = scheduler.nowMs();
  let scheduledAt = submittedAt;
  const tokenTimes: number[] = [];
  let text = '';
  let finished = false;

  const record = (finishReason: RequestRecord['finishReason'], atMs: number): RequestRecord => ({
    promptTokens: params.promptTokens,
    generationTokens: tokenTimes.length,
    maxTokens: params.maxTokens,
    finishReason,
    queueSeconds: (scheduledAt - submittedAt) / 1000,
    ttftSeconds: tokenTimes.length ? (tokenTimes[0]! - submittedAt) / 1000 : 0,
    e2eSeconds: (atMs - submittedAt) / 1000,
    interTokenSeconds: tokenTimes.slice(1).map((t, i) => (t - tokenTimes[i]!) / 1000),
  });

  const done = (finishReason: 'stop' | 'length', stopReason: string | null, atMs: number) => {
    finished = true;
    events.onDone({
      text,
      tokens: tokenTimes.length,
      finishReason,
      stopReason,
      record: record(finishReason, atMs),
    });
  };

  const handle = scheduler.submit({
    promptTokens: params.promptTokens,
    ...(params.promptBlockHashes ? { blockHashes: params.promptBlockHashes } : {}),
    ...(params.lora !== undefined ? { lora: params.lora } : {}),
    outputTokens: target,
    onScheduled: (at) => (scheduledAt = at),
    onToken: (count, at) => {
      tokenTimes.push(at);
      const piece = params.pieces ? (params.pieces[count - 1] ?? '') : gen.next();
      const before = text.length;
      const candidate = text + piece;
      const hit = firstStop(candidate, params.stop, Math.max(0, before - maxLen(params.stop)));
      if (hit) {
        text = candidate.slice(0, hit.index + (params.includeStop ? hit.stop.length : 0));
        events.onToken?.(text.slice(before), count, true);
        handle.cancel();
        done('stop', hit.stop, at);
        return;
      }
      text = candidate;
      events.onToken?.(piece, count, count >= target);
    },
    onFinish: (at) => done(eos ? 'stop' : 'length', null, at),
  });

  return () => {
    if (finished) return;
    finished = true;
    handle.cancel();
    onAbort(record('abort', scheduler.nowMs()));
  };
}

function maxLen(stops: readonly string[]): number {
  return stops.reduce((m, s) => Math.max(m, s.length), 0);
}

function firstStop(
  text: string,
  stops: readonly string[],
  from: number,
): { index: number; stop: string } | undefined {
  let best: { index: number; stop: string } | undefined;
  for (const stop of stops) {
    if (!stop) continue;
    const i = text.indexOf(stop, from);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, stop };
  }
  return best;
}
