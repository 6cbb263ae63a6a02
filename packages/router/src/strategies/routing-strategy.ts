import type { ComplexityTier, Route, RoutingStrategy as StrategyName } from '@bascule/spec';
import type { ComplexityThreshold } from '../calibration/complexity-threshold.js';
import type { Dropped } from '../filters/target-filter.js';
import type { RoutingRequest } from '../request/routing-request.js';
import type { Target } from '../targets/target.js';

export interface ScoredTarget {
  target: Target;
  /** In [0,1]; higher is preferred. */
  score: number;
  /** Why it scored so (shown by explain). */
  note: string;
}

export interface StrategyContext {
  request: RoutingRequest;
  route: Route | undefined;
  /**
   * The complexity threshold in force for the Route (the gateway's calibrated one). Without it
   * the complexity strategy computes it from the spec alone (fixed, warm-up or minQuality).
   */
  threshold?: ComplexityThreshold;
}

export interface Ranking {
  /** Best first; ties keep the Route's order. */
  ranked: ScoredTarget[];
  /** Targets the strategy refuses for this request (e.g. a simple-tier model for a hard prompt). */
  dropped: Dropped[];
  /** The complexity strategy's tier decision and the threshold it used. */
  complexity?: { tier: ComplexityTier; threshold: ComplexityThreshold };
}

/** Orders the targets that passed the filters. Pure and deterministic. */
export interface RoutingStrategy {
  readonly name: StrategyName;
  rank(targets: readonly Target[], ctx: StrategyContext): Ranking;
}

/** Sorts by score, best first, keeping input order among equal scores. */
export function sortScored(scored: ScoredTarget[]): ScoredTarget[] {
  return scored
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .map(({ s }) => s);
}
