// The public, in-process API of provider-sim.
import type { JudgeLabels, QualityTier } from '@bascule/engine-sim';

export type ProviderSimType = 'openai' | 'anthropic' | 'gemini';

export interface ProviderSimLatency {
  /** Delay before the first token (streaming) or added to the whole answer (non-streaming). */
  firstTokenMs?: number;
  /** Delay between tokens. */
  perTokenMs?: number;
}

export interface ProviderSimFaults {
  /** Probability in [0, 1] that a request fails with `status` (drawn from the seeded PRNG). */
  errorRate?: number;
  /** Status of injected errors: a 5xx (default 500; 529 is Anthropic's "overloaded"). */
  status?: number;
  /** Every Nth request (counted from the last setFaults) is answered 429. */
  rateLimitEvery?: number;
  /** `retry-after` of injected 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Each request waits this long before it is processed (a slow or hung upstream). */
  hangMs?: number;
  /** Streams send their first chunk, then the provider's in-stream error event, then end. */
  failAfterFirstChunk?: boolean;
}

export interface ProviderSimOptions {
  type: ProviderSimType;
  apiKey: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral (the default). */
  port?: number;
  /** Models offered (and accepted); defaults per type, see PROVIDER_SIM_DEFAULT_MODELS. */
  models?: string[];
  latency?: ProviderSimLatency;
  /** Seed for generated text, tool arguments, ids and fault draws (default 0). */
  seed?: number;
  /** Range of the natural answer length in tokens (default 12-48), before max_tokens. */
  outputTokens?: { min: number; max: number };
  /** Context window in tokens, for all models or per model; longer prompts get the provider's 400
   *  (OpenAI context_length_exceeded, Anthropic "prompt is too long", Gemini INVALID_ARGUMENT).
   *  Defaults: openai 128000, anthropic 200000, gemini 1048576. */
  contextWindow?: number | Record<string, number>;
  /** Test hook: replaces the timer behind every latency and hang (resolve false to stop). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** Faults active from the start. */
  faults?: ProviderSimFaults;
  /**
   * The simulated judge (OpenAI chat only): hidden answer quality per prompt (a JSONL file path
   * or parsed labels, see judge-labels.ts). Labelled prompts get answers carrying their quality;
   * judge prompts get A, B or TIE by those qualities.
   */
  judgeLabels?: string | JudgeLabels;
  /** Which column of weak_score/strong_score lines this sim's answers take (default strong). */
  qualityTier?: QualityTier;
}

export interface ProviderSimStats {
  requests: number;
  byPath: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
}

/** A request as the simulated API received it. */
export interface ReceivedRequest {
  path: string;
  body: unknown;
  /** The `anthropic-beta` header, when sent. */
  anthropicBeta?: string;
  /** The W3C `traceparent` header, when sent. */
  traceparent?: string;
}

export interface RunningProviderSim {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash, no /v1). */
  url: string;
  close(): Promise<void>;
  stats(): ProviderSimStats;
  /** The JSON bodies of the most recent requests (up to 200, oldest first): what the API received. */
  received(): readonly ReceivedRequest[];
  /** Clears the counters and the received bodies. */
  resetStats(): void;
  /** Replaces the active faults; `{}` clears them. */
  setFaults(f: ProviderSimFaults): void;
}
