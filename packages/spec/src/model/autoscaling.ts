import { z } from 'zod';
import { duration } from '../common/duration.js';

/**
 * The latency objective the autoscaler keeps (`spec.autoscaling.slo`). Defaults: 2 s to the
 * first token and 150 ms per output token for 99% of requests, the interactive-chat bounds the
 * replay benchmarks use (a reader's pace is ~5-7 tokens/s).
 */
export const ScalingObjectiveSchema = z.strictObject({
  ttftSeconds: z
    .number()
    .positive()
    .default(2)
    .describe(
      'Time to first token a request should meet (seconds, measured by the engine: queue wait plus prefill).',
    ),
  tpotSeconds: z
    .number()
    .positive()
    .default(0.15)
    .describe('Mean time per output token a request should meet (seconds).'),
  attainment: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.99)
    .describe(
      'Share of requests that should meet both bounds; the autoscaler adds a replica when the recent share falls below it.',
    ),
});
export type ScalingObjective = z.output<typeof ScalingObjectiveSchema>;

/**
 * What a token costs where the Model's requests go when it is short (`spec.autoscaling.overflowCost`):
 * the list prices of the Route's fallback target. With `cost.gpuHourUSD` it lets the autoscaler
 * weigh a replica's price against the overflow it absorbs.
 */
export const OverflowCostSchema = z.strictObject({
  inputUSDPer1M: z
    .number()
    .nonnegative()
    .describe('USD per 1M prompt tokens at the overflow target.'),
  outputUSDPer1M: z
    .number()
    .nonnegative()
    .describe('USD per 1M output tokens at the overflow target.'),
});
export type OverflowCost = z.output<typeof OverflowCostSchema>;

/** How the autoscaler sizes a Model (`spec.autoscaling`). */
export const AutoscalingSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe(
      'Let the autoscaler set spec.replicas through the scale subresource; when false a person sets spec.replicas.',
    ),
  minReplicas: z
    .int()
    .nonnegative()
    .default(1)
    .describe('Fewest replicas; 0 lets the Model scale to zero when idle.'),
  maxReplicas: z.int().nonnegative().default(1).describe('Most replicas; must be >= minReplicas.'),
  targetInFlight: z
    .number()
    .positive()
    .optional()
    .describe(
      'In-flight requests (running plus waiting) one replica should carry; desired replicas = load / target. Defaults to 75% of maxConcurrency.',
    ),
  scaleUpDelay: duration()
    .default('0s')
    .describe('How long load must stay above target before adding replicas.'),
  scaleDownDelay: duration()
    .default('2m')
    .describe(
      'Stabilisation window: how long load must fit fewer replicas (with a 20% margin) before removing one. The default is about twice a GPU cold start: holding an idle replica longer costs more than starting it again.',
    ),
  scaleToZeroDelay: duration()
    .default('15m')
    .describe(
      'Idle time (no requests, no queued jobs) before scaling to zero when minReplicas is 0.',
    ),
  slo: ScalingObjectiveSchema.prefault({}).describe(
    'Latency objective: the autoscaler adds replicas when queue wait or time to first token predict missing it, and removes them only while it is met.',
  ),
  overflowCost: OverflowCostSchema.optional().describe(
    "Token prices of the Route's fallback target (e.g. the closed API's). With cost.gpuHourUSD set, the autoscaler runs the replicas whose share of the load, priced at these, would cost more than the replica, and overflows the rest (the SLO still adds replicas); unset, it sizes by targetInFlight.",
  ),
});
export type Autoscaling = z.output<typeof AutoscalingSchema>;
