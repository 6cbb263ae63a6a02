import type { ComplexityTier } from '@bascule/spec';
import type { Dropped } from '../filters/target-filter.js';
import type { RoutingStrategy, ScoredTarget } from './routing-strategy.js';

/** The tier a complexity score falls in. */
export function tierFor(complexity: number, threshold: number): ComplexityTier {
  return complexity < threshold ? 'simple' : 'complex';
}

/**
 * Scores the prompt's tier: below the Route's threshold, simple and untiered targets come first
 * (in Route order) and complex ones follow as overflow; at or above it, complex and untiered
 * targets only (a hard prompt is never downgraded to a simple-tier model).
 */
export const complexityStrategy: RoutingStrategy = {
  name: 'complexity',
  rank(targets, { request, route }) {
    const threshold = route?.spec.complexityThreshold ?? 0.5;
    const c = request.complexity ?? 0;
    const tier = tierFor(c, threshold);
    const first = targets.filter((t) => t.tier === undefined || t.tier === tier);
    const rest = tier === 'simple' ? targets.filter((t) => t.tier === 'complex') : [];
    const dropped: Dropped[] =
      tier === 'complex'
        ? targets
            .filter((t) => t.tier === 'simple')
            .map((t) => ({
              target: t.name,
              code: 'tier' as const,
              message: `complexity ${c.toFixed(2)} >= threshold ${threshold}: ${t.name} is a simple-tier target`,
            }))
        : [];
    const note = `complexity ${c.toFixed(2)} ${tier === 'simple' ? '<' : '>='} ${threshold}`;
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
    return { ranked, dropped };
  },
};
