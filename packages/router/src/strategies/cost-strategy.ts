import { expectedCostUSD } from './expected-cost.js';
import { sortScored, type RoutingStrategy } from './routing-strategy.js';

const EPS = 1e-9;

/** Cheapest expected cost first; score = cheapest / this target's cost. */
export const costStrategy: RoutingStrategy = {
  name: 'cost',
  rank(targets, { request }) {
    const costs = targets.map((t) => expectedCostUSD(t, request));
    const min = Math.min(...costs);
    return {
      ranked: sortScored(
        targets.map((target, i) => ({
          target,
          score: Math.min(1, (min + EPS) / (costs[i]! + EPS)),
          note: `expected cost $${costs[i]!.toPrecision(3)}`,
        })),
      ),
      dropped: [],
    };
  },
};
