import type { ComplexityTier } from '@bascule/spec';
import {
  isComplex,
  quantiseScore,
  type ComplexityThreshold,
} from '../calibration/complexity-threshold.js';
import { thresholdInForce } from '../calibration/threshold-in-force.js';
import type { Dropped } from '../filters/target-filter.js';
import type { RoutingStrategy, ScoredTarget } from './routing-strategy.js';

/** The tier a complexity score falls in under a fixed threshold. */
export function tierFor(complexity: number, threshold: number): ComplexityTier {
  return complexity < threshold ? 'simple' : 'complex';
}

/** "0.5", or "0.612 (strongShare: 2000 recent scores)": the threshold as explain shows it. */
export function describeThreshold(t: ComplexityThreshold): string {
  const v = String(Number(t.value.toFixed(6)));
  switch (t.source) {
    case 'fixed':
      return v;
    case 'warm-up':
      return `${v} (complexityThreshold while warming up: ${t.samples ?? 0} recent scores)`;
    case 'quality':
      return `${v} (minQuality)`;
    case 'share':
      return `${v} (strongShare: ${((t.targetShare ?? 0) * 100).toFixed(1)} % of ${t.samples ?? 0} recent scores)`;
  }
}

/**
 * Scores the prompt's tier against the threshold in force (the gateway's calibrated one, or
 * the Route's fixed complexityThreshold): below it, simple and untiered targets come first (in
 * Route order) and complex ones follow as overflow; at or above it, complex and untiered
 * targets only (a hard prompt is never downgraded to a simple-tier model). A score exactly at
 * a calibrated threshold goes by the prompt's tie key (isComplex).
 */
export const complexityStrategy: RoutingStrategy = {
  name: 'complexity',
  rank(targets, { request, route, threshold }) {
    const t = threshold ?? thresholdInForce(route?.spec ?? {});
    const c = request.complexity ?? 0;
    const tier: ComplexityTier = isComplex(c, t, request.tieKey ?? 0) ? 'complex' : 'simple';
    const shown = describeThreshold(t);
    const score = t.source === 'fixed' ? c.toFixed(2) : String(quantiseScore(c));
    const first = targets.filter((x) => x.tier === undefined || x.tier === tier);
    const rest = tier === 'simple' ? targets.filter((x) => x.tier === 'complex') : [];
    const dropped: Dropped[] =
      tier === 'complex'
        ? targets
            .filter((x) => x.tier === 'simple')
            .map((x) => ({
              target: x.name,
              code: 'tier' as const,
              message: `complexity ${score} >= threshold ${shown}: ${x.name} is a simple-tier target`,
            }))
        : [];
    const tie =
      t.tieShare < 1 && quantiseScore(c) === t.value
        ? ` (a tie at the threshold: ${(t.tieShare * 100).toFixed(0)} % of ties take the complex tier, by the prompt's hash)`
        : '';
    const note = `complexity ${score} ${tier === 'simple' ? '<' : '>='} ${shown}${tie}`;
    const ranked: ScoredTarget[] = [
      ...first.map((target, i) => ({
        target,
        score: 1 - (0.5 * i) / Math.max(1, first.length),
        note: `${note}: ${tier} tier`,
      })),
      ...rest.map((target, i) => ({
        target,
        score: 0.5 - (0.5 * (i + 1)) / (rest.length + 1),
        note: `${note}: complex tier as overflow`,
      })),
    ];
    return { ranked, dropped, complexity: { tier, threshold: t } };
  },
};
