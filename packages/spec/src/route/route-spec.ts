import { z } from 'zod';
import { dnsLabel } from '../common/dns-label.js';
import { duration } from '../common/duration.js';
import { checkRouteSpec } from './check-route-spec.js';
import { RouteLearningSchema } from './route-learning.js';

export const ROUTING_STRATEGIES = ['priority', 'cost', 'complexity'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Conditions that move a request on to the next target. */
export const FALLBACK_TRIGGERS = [
  'noCapacity',
  'coldStart',
  'queueWait',
  'upstreamError',
  'contextLength',
] as const;
export type FallbackTrigger = (typeof FALLBACK_TRIGGERS)[number];

export const COMPLEXITY_TIERS = ['simple', 'complex'] as const;
export type ComplexityTier = (typeof COMPLEXITY_TIERS)[number];

/** One place a Route may send a request: a Model, or a model of a Provider. */
export const RouteTargetSchema = z.strictObject({
  model: z
    .string()
    .min(1)
    .max(256)
    .describe(
      "Without provider: the name of a Model in the Route's namespace. With provider: the provider's model name, e.g. gpt-5-mini.",
    ),
  provider: dnsLabel()
    .optional()
    .describe('Name of a Provider in the same namespace; makes this an external target.'),
  tier: z
    .enum(COMPLEXITY_TIERS)
    .optional()
    .describe(
      'complexity strategy: simple targets take requests scoring below complexityThreshold, complex ones the rest; untiered targets take both.',
    ),
});
export type RouteTarget = z.output<typeof RouteTargetSchema>;

export const FallbackSchema = z.strictObject({
  triggers: z
    .array(z.enum(FALLBACK_TRIGGERS))
    .default([...FALLBACK_TRIGGERS])
    .describe(
      'What moves a request to the next target: noCapacity (saturated, no endpoints or unschedulable), coldStart (zero ready replicas), queueWait (no headroom within maxQueueWait), upstreamError (429, 503 or connection error before the first byte), contextLength (prompt too long for the target). Without coldStart a request waits for a cold Model up to maxQueueWait. (Not named `on`: YAML 1.1 parsers such as kubectl read an unquoted on as true.)',
    ),
  maxQueueWait: duration()
    .default('2s')
    .describe('Longest a request waits for headroom on a self-hosted target before it overflows.'),
});
export type Fallback = z.output<typeof FallbackSchema>;

export const BUDGET_ACTIONS = ['reject', 'self-hosted-only'] as const;
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];

export const BudgetsSchema = z.strictObject({
  dailyUSD: z.number().nonnegative().optional().describe('Spend limit per UTC day in USD.'),
  monthlyUSD: z.number().nonnegative().optional().describe('Spend limit per UTC month in USD.'),
  onExceeded: z
    .enum(BUDGET_ACTIONS)
    .default('self-hosted-only')
    .describe('When spent: reject requests (429), or keep serving from self-hosted targets only.'),
});
export type Budgets = z.output<typeof BudgetsSchema>;

/** The model name clients use, and where its requests go. */
export const RouteSpecObject = z.strictObject({
  aliases: z
    .array(z.string().min(1).max(256))
    .optional()
    .describe('More names clients may put in "model" (any characters, e.g. "gpt-4o").'),
  targets: z
    .array(RouteTargetSchema)
    .min(1)
    .describe('Targets in order of preference; overflow moves down the list.'),
  strategy: z
    .enum(ROUTING_STRATEGIES)
    .default('priority')
    .describe(
      'priority: first target that fits; cost: cheapest expected cost; complexity: score the prompt and use the simple or complex tier.',
    ),
  complexityThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('complexity strategy: prompts scoring below this (0 to 1) go to simple targets.'),
  fallback: FallbackSchema.prefault({}).describe('When and how requests overflow.'),
  allowExternal: z
    .boolean()
    .default(true)
    .describe('false: requests never leave the cluster (no Provider targets; fail closed).'),
  budgets: BudgetsSchema.optional().describe('Spending limits for traffic through this Route.'),
  learning: RouteLearningSchema.optional().describe(
    "Teach the complexity scorer from this Route's traffic: feedback and shadow evaluation (docs/routing.md, Teaching the router).",
  ),
});

export const RouteSpecSchema = RouteSpecObject.superRefine(checkRouteSpec);
export type RouteSpec = z.output<typeof RouteSpecSchema>;
export type RouteSpecInput = z.input<typeof RouteSpecSchema>;
