import type { Capability } from '@bascule/spec';
import type { PrivacyVerdict } from '../privacy/scan-request.js';
import type { RequestTraits } from '../strengths/prefer-strengths.js';

export type RequestKind = 'chat' | 'completions' | 'embeddings';

/** What the router needs to know about one request (no bodies, no I/O). */
export interface RoutingRequest {
  /** The `model` field as the client sent it. */
  model: string;
  kind: RequestKind;
  /** Estimated prompt tokens. */
  promptTokens: number;
  /** max_tokens / max_completion_tokens if the client set one. */
  maxOutputTokens?: number;
  /** Capabilities beyond `kind` the request needs (tools, vision). */
  needs?: readonly Capability[];
  /** `x-bascule-privacy: strict`: never leave the cluster. */
  privacyStrict?: boolean;
  /** The Route's privacy.detect classes that fired, and the action (keep, redact, refuse). */
  privacy?: PrivacyVerdict;
  /**
   * `x-bascule-deferred: self-hosted`: queued work (a job, a batch line) before its deadline,
   * which waits for self-hosted capacity rather than go to a closed API. Metered as `deferred`,
   * not `privacy`: nothing private kept it in the cluster.
   */
  deferred?: boolean;
  /** The key's or Route's budget is spent and says self-hosted only. */
  externalForbiddenByBudget?: boolean;
  /** Complexity in [0,1], computed by a ComplexityScorer; needed by the complexity strategy. */
  complexity?: number;
  /** The features that moved the complexity most (scorers that can say so), largest first. */
  features?: readonly { feature: string; delta: number }[];
  /** A stable number in [0,1) per prompt: splits ties at a calibrated threshold. */
  tieKey?: number;
  /** Language and task kinds detected in the request (Routes whose targets declare strengths). */
  traits?: RequestTraits;
  /** Targets already tried for this request that failed upstream (429/503/connection). */
  failedTargets?: readonly string[];
  /** The gateway already waited maxQueueWait for the targets it was told to wait for. */
  waitExpired?: boolean;
}
