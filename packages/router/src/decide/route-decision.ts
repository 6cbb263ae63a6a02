import type { ComplexityTier, RoutingStrategy as StrategyName } from '@bascule/spec';
import type { ComplexityThreshold } from '../calibration/complexity-threshold.js';
import type { RequestTraits, StrengthDecision } from '../strengths/prefer-strengths.js';
import type { PrivacyVerdict } from '../privacy/scan-request.js';
import type { ShortageReason } from '../capacity/model-capacity.js';
import type { ModelTarget, Target } from '../targets/target.js';

/** What happened to one target while deciding. */
export interface TargetVerdict {
  target: string;
  kind: 'model' | 'provider' | 'unknown';
  verdict: 'chosen' | 'waiting' | 'dropped' | 'overflowed' | 'not-reached' | 'unresolved';
  /** The LoRA adapter of the Model this target sends to, when it names one. */
  adapter?: string;
  /** Stable code: privacy, budget, capability, context-length, tier, saturated, cold-start, ... */
  code?: string;
  message: string;
  score?: number;
}

export interface Explanation {
  model: string;
  resolvedAs: 'route' | 'model' | 'provider' | 'unknown';
  route?: string;
  strategy?: StrategyName;
  complexity?: number;
  /** The features that moved the complexity most (scorers that can say so). */
  features?: readonly { feature: string; delta: number }[];
  /** complexity strategy: the threshold in force and the tier the score fell in. */
  threshold?: ComplexityThreshold;
  tier?: ComplexityTier;
  /** What was detected in the request, when the Route's targets declare strengths. */
  detected?: RequestTraits;
  /** The Route's privacy.detect classes that fired and the action taken (never the text). */
  privacy?: PrivacyVerdict;
  /** The strength that put a target first, when one did. */
  strength?: StrengthDecision;
  targets: TargetVerdict[];
}

export type RouteDecision =
  | {
      action: 'send';
      target: Target;
      /**
       * x-bascule-route-reason: priority, cost, complexity, strength:<s>, privacy, direct,
       * overflow:<why>.
       */
      reason: string;
      /** Targets ranked after this one, in order: where an upstream error may overflow to. */
      remaining: readonly string[];
      /** The Route's fallback.triggers include upstreamError (never for a direct request). */
      overflowOnError: boolean;
      explanation: Explanation;
    }
  | {
      action: 'wait';
      target: ModelTarget;
      shortage: ShortageReason;
      /** Wait at most this long for headroom, then decide again with waitExpired. */
      maxWaitMs: number;
      /** Targets ranked after this one, in order (none: the Model is the Route's last). */
      remaining: readonly string[];
      explanation: Explanation;
    }
  | {
      action: 'reject';
      status: number;
      /** OpenAI-style error code, e.g. model_not_found, no_capacity, privacy_no_target. */
      code: string;
      message: string;
      explanation: Explanation;
    };
