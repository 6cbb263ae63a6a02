import { z } from 'zod';

/** A status condition, shaped like `metav1.Condition`. */
export const ConditionSchema = z.strictObject({
  type: z.string().min(1).describe('Condition type, e.g. Ready, Progressing, Degraded.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
  reason: z
    .string()
    .optional()
    .describe('One-word CamelCase reason for the last transition, e.g. InsufficientGPU.'),
  message: z.string().optional().describe('Human-readable detail a person can act on.'),
  lastTransitionTime: z.string().optional().describe('RFC 3339 time of the last change of status.'),
  observedGeneration: z
    .int()
    .nonnegative()
    .optional()
    .describe('metadata.generation the condition was computed from.'),
});
export type Condition = z.output<typeof ConditionSchema>;
export type ConditionStatus = Condition['status'];
