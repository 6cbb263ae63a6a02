import { z } from 'zod';
import { dnsLabel } from '../common/dns-label.js';
import { duration } from '../common/duration.js';
import { checkRouteSpec } from './check-route-spec.js';
import { RouteLearningSchema } from './route-learning.js';
import { RoutePrivacySchema } from './route-privacy.js';
import { STRENGTHS } from './strengths.js';

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
      'complexity strategy: simple targets take requests scoring below the threshold in force (complexityThreshold, or the one complexity.strongShare/minQuality set), complex ones the rest; untiered targets take both.',
    ),
  strengths: z
    .array(z.enum(STRENGTHS))
    .max(STRENGTHS.length)
    .optional()
    .describe(
      'What this target is good at: languages (en, fr, de, es, it, pt, zh, ja, ko, ru, ar, hi, el, he, th) and task kinds (code, math, tools, structured-output). The router detects them in each request and prefers a target whose strengths match before it weighs difficulty (any strategy).',
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

/** How the complexity strategy sets its threshold from what the Route wants. */
export const ComplexityCalibrationSchema = z.strictObject({
  strongShare: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      "Share of requests for the complex tier, e.g. 0.3: the threshold in force is the (1 - strongShare) quantile of the Route's recent scores, shared by every gateway replica through Redis. complexityThreshold stands in until 20 scores are known.",
    ),
  minQuality: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'Quality level in [0,1]: a request takes the complex tier when its score (P(strong model needed)) is at least 1 - minQuality, so the simple tier answers only what it is predicted to get right with that probability. With strongShare as well, strongShare is a cap and the stricter of the two wins.',
    ),
  window: z
    .int()
    .min(100)
    .max(20000)
    .default(2000)
    .describe(
      'strongShare: how many recent decisions (of all gateway replicas) the share is measured over.',
    ),
});
export type ComplexityCalibration = z.output<typeof ComplexityCalibrationSchema>;

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
    .describe(
      'complexity strategy: prompts scoring below this (0 to 1) go to simple targets. With complexity.strongShare it is only the warm-up threshold, with complexity.minQuality it is not used.',
    ),
  complexity: ComplexityCalibrationSchema.optional().describe(
    'complexity strategy: set the threshold by what the Route wants (a share of strong calls, a quality level) instead of complexityThreshold.',
  ),
  fallback: FallbackSchema.prefault({}).describe('When and how requests overflow.'),
  allowExternal: z
    .boolean()
    .default(true)
    .describe('false: requests never leave the cluster (no Provider targets; fail closed).'),
  budgets: BudgetsSchema.optional().describe('Spending limits for traffic through this Route.'),
  privacy: RoutePrivacySchema.optional().describe(
    'Detect personal data and secrets in each request and keep it in the cluster, redact it or refuse it (docs/privacy.md).',
  ),
  learning: RouteLearningSchema.optional().describe(
    "Teach the complexity scorer from this Route's traffic: feedback and shadow evaluation (docs/routing.md, Teaching the router).",
  ),
});

export const RouteSpecSchema = RouteSpecObject.superRefine(checkRouteSpec);
export type RouteSpec = z.output<typeof RouteSpecSchema>;
export type RouteSpecInput = z.input<typeof RouteSpecSchema>;
