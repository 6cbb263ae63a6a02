import { z } from 'zod';
import { ConditionSchema } from '../common/condition.js';
import { resourceEnvelope } from '../common/resource-envelope.js';
import { ProviderSpecSchema } from './provider-spec.js';

export const ProviderStatusSchema = z.strictObject({
  observedGeneration: z.int().nonnegative().optional().describe('Generation last observed.'),
  conditions: z
    .array(ConditionSchema)
    .optional()
    .describe(
      'Ready, written by the controller: True (SecretResolved, or NoAPIKey without apiKeySecretRef) when the API key resolves from the referenced Secret key; False with reason SecretNotFound, SecretKeyMissing or Invalid and a message a person can act on; Unknown (SecretUnreadable) when the controller may not read the Secret.',
    ),
});
export type ProviderStatus = z.output<typeof ProviderStatusSchema>;

/** A closed or external model API. */
export const ProviderSchema = z
  .strictObject({
    ...resourceEnvelope('Provider'),
    spec: ProviderSpecSchema.describe('Desired state.'),
    status: ProviderStatusSchema.optional().describe('Observed state.'),
  })
  .describe(
    'A closed or external model API (OpenAI, Azure OpenAI, Anthropic, Gemini or any OpenAI-compatible endpoint): its models, prices and rate limits.',
  );
export type Provider = z.output<typeof ProviderSchema>;
export type ProviderInput = z.input<typeof ProviderSchema>;
