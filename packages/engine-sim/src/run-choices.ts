import type { EngineRuntime } from './engine-runtime.js';
import type { GenerationResult } from './generation.js';

export interface ChoicesParams {
  promptTokens: number;
  /** Prefix-cache hashes of the prompt's full KV blocks, shared by the n choices. */
  promptBlockHashes?: readonly number[];
  lora?: string;
  maxTokens: number;
  /** One seed per choice (n choices). */
  seeds: number[];
  stop: readonly string[];
  includeStop?: boolean;
  /** Per choice: fixed token pieces (a tool call's arguments) instead of seeded words. */
  pieces?: ReadonlyArray<readonly string[] | undefined>;
}

export interface ChoicesEvents {
  onToken?(choice: number, delta: string, count: number, last: boolean): void;
  /** Called for each choice when it finishes, before onAllDone. */
  onChoiceDone?(choice: number, result: GenerationResult): void;
  onAllDone(results: GenerationResult[]): void;
}

/** Runs n sequences for one request (vLLM's `n`); returns a function that aborts them all. */
export function runChoices(
  runtime: EngineRuntime,
  params: ChoicesParams,
  events: ChoicesEvents,
): () => void {
  const results: Array<GenerationResult | undefined> = params.seeds.map(() => undefined);
  let remaining = params.seeds.length;
  const cancels = params.seeds.map((seed, i) =>
    runtime.generate(
      {
        promptTokens: params.promptTokens,
        promptBlockHashes: params.promptBlockHashes,
        ...(params.lora !== undefined ? { lora: params.lora } : {}),
        maxTokens: params.maxTokens,
        seed,
        stop: params.stop,
        includeStop: params.includeStop,
        pieces: params.pieces?.[i],
        outputLength: runtime.config.sim.outputLength,
      },
      {
        onToken: (delta, count, last) => events.onToken?.(i, delta, count, last),
        onDone: (result) => {
          runtime.metrics.requestFinished(result.record);
          results[i] = result;
          events.onChoiceDone?.(i, result);
          if (--remaining === 0) events.onAllDone(results as GenerationResult[]);
        },
      },
    ),
  );
  return () => cancels.forEach((c) => c());
}
