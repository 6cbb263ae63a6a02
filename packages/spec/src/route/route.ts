import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';
import { resourceEnvelope } from '../common/resource-envelope.js';
import { RouteSpecSchema } from './route-spec.js';

export const RouteStatusSchema = z.strictObject({
  observedGeneration: z.int().nonnegative().optional().describe('Generation last observed.'),
  conditions: z
    .array(ConditionSchema)
    .optional()
    .describe(
      'Ready, written by the controller: True (Resolved) when the spec passes every rule and each target resolves to a Model or a Provider model of the namespace; False with reason Invalid, ModelNotFound, ModelInvalid, ProviderNotFound, ProviderInvalid or ProviderModelNotFound and a message naming the field (the gateway still routes to the targets that resolve).',
    ),
});
export type RouteStatus = z.output<typeof RouteStatusSchema>;

/** A model name for clients and the policy that picks a target for each request. */
export const RouteSchema = z
  .strictObject({
    ...resourceEnvelope('Route'),
    spec: RouteSpecSchema.describe('Desired state.'),
    status: RouteStatusSchema.optional().describe('Observed state.'),
  })
  .describe(
    'The name clients put in "model": ordered targets (Models and Provider models), a strategy, overflow triggers, privacy and budgets.',
  );
export type Route = z.output<typeof RouteSchema>;
export type RouteInput = z.input<typeof RouteSchema>;
