import { z } from 'zod';
import { duration } from '../common/duration.js';

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
    .default('5m')
    .describe('Stabilisation window: how long load must stay low before removing replicas.'),
  scaleToZeroDelay: duration()
    .default('15m')
    .describe(
      'Idle time (no requests, no queued jobs) before scaling to zero when minReplicas is 0.',
    ),
});
export type Autoscaling = z.output<typeof AutoscalingSchema>;
