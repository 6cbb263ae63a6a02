import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';

/** Condition types the controller writes on a Model. */
export const MODEL_CONDITIONS = ['Ready', 'Progressing', 'Degraded', 'CapacityAvailable'] as const;
export type ModelConditionType = (typeof MODEL_CONDITIONS)[number];

/** One serving endpoint (a pod of the Model). */
export const ModelEndpointSchema = z.strictObject({
  pod: z.string().optional().describe('Pod name.'),
  ip: z.string().describe('Pod IP.'),
  port: z.int().min(1).max(65535).describe('Engine port on the pod.'),
  ready: z.boolean().describe('Whether the pod passes its readiness probe.'),
  node: z.string().optional().describe('Node the pod runs on.'),
  adapters: z
    .array(z.string())
    .optional()
    .describe(
      'LoRA adapters the engine on this pod has loaded (vLLM: read from its /v1/models); absent when the controller has not looked.',
    ),
});
export type ModelEndpoint = z.output<typeof ModelEndpointSchema>;

/** The observed state of a Model, written only by the controller. */
export const ModelStatusSchema = z.strictObject({
  observedGeneration: z
    .int()
    .nonnegative()
    .optional()
    .describe('metadata.generation the controller last acted on.'),
  conditions: z
    .array(ConditionSchema)
    .optional()
    .describe('Ready, Progressing, Degraded and CapacityAvailable, with reasons and messages.'),
  replicas: z
    .strictObject({
      desired: z.int().nonnegative().default(0).describe('Replicas the Deployment is asked for.'),
      ready: z.int().nonnegative().default(0).describe('Replicas passing readiness.'),
    })
    .optional()
    .describe('Desired and ready replica counts.'),
  selector: z
    .string()
    .optional()
    .describe("Label selector of the Model's pods, for the scale subresource."),
  endpoints: z
    .array(ModelEndpointSchema)
    .optional()
    .describe('Pods serving the Model: IP, port and readiness.'),
});
export type ModelStatus = z.output<typeof ModelStatusSchema>;
