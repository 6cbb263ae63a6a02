import { z } from 'zod';
import { resourceEnvelope } from '../common/resource-envelope.js';
import { ModelSpecSchema } from './model-spec.js';
import { ModelStatusSchema } from './model-status.js';

/** A self-hosted model served by vLLM or TGI. */
export const ModelSchema = z
  .strictObject({
    ...resourceEnvelope('Model'),
    spec: ModelSpecSchema.describe('Desired state.'),
    status: ModelStatusSchema.optional().describe('Observed state, written by the controller.'),
  })
  .describe(
    'A self-hosted model: weights, engine, GPUs and scaling. The controller runs it as an engine Deployment and Service.',
  );
export type Model = z.output<typeof ModelSchema>;
export type ModelInput = z.input<typeof ModelSchema>;
