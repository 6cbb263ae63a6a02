/** One request as metered. */
export interface UsageRecord {
  /** API key id (never the key itself) or 'anonymous'. */
  key: string;
  /** Route name, or the Model / provider/model addressed directly. */
  route: string;
  target: string;
  /** The LoRA adapter of the target Model the request ran with (a declared adapter's name). */
  adapter?: string;
  targetKind: 'model' | 'provider' | 'none';
  reason: string;
  status: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** Streaming only. */
  ttftMs?: number;
  overheadMs: number;
  costUSD: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** Refused before admission (the key's rate limit or budget): nothing was reserved to settle. */
  refused?: boolean;
  /** privacy.detect classes that fired and the action taken (never the matched text). */
  privacy?: { classes: readonly string[]; action: string };
  /** A shadow or judge call of this Route (`{ns}/{name}`), sent by the shadow worker. */
  shadowOf?: string;
  /** The answer's x-request-id (access log). */
  requestId?: string;
  /** The key's tenant (access log). */
  tenant?: string;
  /** Self-hosted Models this request overflowed away from, and why (saturated, cold-start, ...). */
  overflowedFrom?: readonly { model: string; reason: string }[];
  /** The client went away before the answer ended (status is what had been sent). */
  cancelled?: boolean;
  /** The path the client called, e.g. /v1/messages (access log). */
  endpoint?: string;
}

/** Where usage goes besides Prometheus: Redis counters (shared by replicas), or nowhere. */
export interface UsageSink {
  record(r: UsageRecord): void;
  /** Per-Model demand of this gateway (in flight + waiting), for the autoscaler, sent with the usage. */
  reportInFlight?(
    counts: ReadonlyMap<string, number>,
    overflow?: ReadonlyMap<string, number>,
  ): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const nullUsageSink: UsageSink = {
  record: () => undefined,
  flush: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
