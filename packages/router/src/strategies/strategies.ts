import type { RoutingStrategy as StrategyName } from '@bascule/spec';
import { complexityStrategy } from './complexity-strategy.js';
import { costStrategy } from './cost-strategy.js';
import { priorityStrategy } from './priority-strategy.js';
import type { RoutingStrategy } from './routing-strategy.js';

/** Every strategy by the name a Route's `strategy` uses. */
export const STRATEGIES: Readonly<Record<StrategyName, RoutingStrategy>> = {
  priority: priorityStrategy,
  cost: costStrategy,
  complexity: complexityStrategy,
};
