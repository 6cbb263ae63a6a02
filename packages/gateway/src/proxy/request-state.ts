import type { ServerResponse } from 'node:http';
import type { RoutingRequest, Target } from '@bascule/router';
import type { DialectSession } from '../dialects/core/dialect.js';
import type { RequestTrace, Span } from '../tracing/request-trace.js';
import type { ParsedRequest } from '../validate/parse-request.js';
import type { ClientGone } from './client-gone.js';
import type { TokenCounts } from './extract-usage.js';
import type { ModelUsage } from './send-to-model.js';

/** One request's progress through the gateway. */
export interface RequestState {
  parsed: ParsedRequest;
  routing: RoutingRequest;
  res: ServerResponse;
  /** The client's disconnect (`aborted`; `abortSignal` for APIs that need an AbortSignal). */
  signal: ClientGone;
  /** performance.now() at arrival. */
  t0: number;
  /** Time spent waiting on upstreams and for headroom (not gateway overhead). */
  externalMs: number;
  /** Whether the client asked for stream_options.include_usage. */
  clientWantsUsage: boolean;
  stream: boolean;
  /** Response bytes sent to the client: no more overflow or retry. */
  committed: boolean;
  usage?: TokenCounts;
  ttftMs?: number;
  /** Overhead at the moment headers went out. */
  overheadMs?: number;
  status: number;
  /** The body with privacy.detect's matches redacted: what a closed target gets instead. */
  redacted?: ParsedRequest;
  /**
   * The whole JSON answer when it was not streamed (what shadow evaluation compares), as text or
   * as the bytes that came: decoded only if learning reads it.
   */
  responseText?: string | Buffer;
  /** The client's dialect when it is not Chat Completions (the answer is rendered in it). */
  dialect?: DialectSession;
  /** Tracing on: the request's trace and the span of the upstream attempt under way. */
  trace?: { trace: RequestTrace; attempt: Span };
  /** The target last tried, and why (x-bascule-route-reason; a refusal's metric reason). */
  target?: Target;
  reason: string;
  /** The Models the last decision overflowed past, and why (metered per Model). */
  overflowedFrom?: { model: string; reason: string }[];
  /** Replica time held, for self-hosted cost. */
  held: ModelUsage;
  /** Ends the overflow demand this request counts toward (once it is answered). */
  endOverflow?: () => void;
}

/** A whole (not streamed) answer: the sender returns it, the attempt loop writes it once. */
export interface Answer {
  kind: 'answer';
  status: number;
  /** The upstream's JSON text, or its bytes as they came (decoded only when a dialect renders it). */
  text: string | Buffer;
  usage: TokenCounts | undefined;
  /** Render in the client's dialect (false: it is already in it, the untranslated path). */
  render: boolean;
  /** Keep the text as the request's responseText (what shadow evaluation compares). */
  keep: boolean;
}

export function overheadNow(s: RequestState): number {
  return Math.max(0, performance.now() - s.t0 - s.externalMs);
}
