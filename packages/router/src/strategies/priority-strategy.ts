import type { RoutingStrategy } from './routing-strategy.js';

/** First target that fits: the Route's order, scored 1 down towards 0. */
export const priorityStrategy: RoutingStrategy = {
  name: 'priority',
  rank(targets) {
    const n = targets.length;
    return {
      ranked: targets.map((target, i) => ({
        target,
        score: n <= 1 ? 1 : 1 - i / n,
        note: `position ${i + 1} of ${n}`,
      })),
      dropped: [],
    };
  },
};
