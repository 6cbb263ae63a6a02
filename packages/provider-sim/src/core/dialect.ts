// What each provider type (openai, anthropic, gemini) plugs into the shared server.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { JudgeLabels, QualityTier, Rng } from '@bascule/engine-sim';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderSimType } from '../types.js';
import type { TextLength } from './generate-text.js';
import type { SimErrorSpec } from './sim-error.js';
import type { TokenCounter } from './token-counter.js';

export interface SimContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Parsed JSON body (POST), undefined for GET. */
  body: unknown;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  seed: number;
  tokens: TokenCounter;
  textLength: TextLength;
  models: readonly string[];
  failAfterFirstChunk: boolean;
  /** The simulated judge, when the sim was given labels. */
  judge?: { labels: JudgeLabels; tier: QualityTier };
  /** The context window of `model`, in tokens. */
  contextWindow(model: string): number;
  /** Per-request PRNG for ids. */
  rng: Rng;
  /** Headers every response carries (the request id). */
  headers: Record<string, string>;
  recordUsage(inputTokens: number, outputTokens: number): void;
  /** Waits the time to first token; false if the client left. */
  waitFirstToken(): Promise<boolean>;
  /** Waits the inter-token delay; false if the client left. */
  waitNextToken(): Promise<boolean>;
  /** Waits as long as generating `outputTokens` takes (non-streaming answers). */
  waitWhole(outputTokens: number): Promise<boolean>;
}

export interface SimRoute {
  /** Whether the route reads a JSON body. */
  body: boolean;
  handle(ctx: SimContext): Promise<void>;
}

export type RouteMatch = SimRoute | 'method_not_allowed' | undefined;

export interface Dialect {
  type: ProviderSimType;
  defaultModels: readonly string[];
  defaultContextWindow: number;
  requestIdHeader?: string;
  requestIdPrefix: string;
  route(method: string, pathname: string): RouteMatch;
  /** An error when the request's key is missing or wrong, else undefined. */
  authenticate(req: IncomingMessage, url: URL, apiKey: string): SimErrorSpec | undefined;
  /** Provider-specific header checks after authentication. */
  precheck?(req: IncomingMessage): SimErrorSpec | undefined;
  renderError(
    spec: SimErrorSpec,
    requestId?: string,
  ): { body: unknown; headers?: Record<string, string> };
  /** Writes the provider's in-stream error event (headers already sent). */
  writeStreamError(res: ServerResponse, spec: SimErrorSpec): void;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time key comparison. */
export function keysMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
