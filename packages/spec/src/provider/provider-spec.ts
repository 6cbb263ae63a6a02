import { z } from 'zod';
import { duration } from '../common/duration.js';
import { SecretKeySelectorSchema } from '../common/secret-key-ref.js';
import { CAPABILITIES } from '../model/model-parts.js';
import { checkProviderSpec } from './check-provider-spec.js';

/** Closed or external API families. */
export const PROVIDER_TYPES = [
  'openai',
  'azure-openai',
  'anthropic',
  'gemini',
  'openai-compatible',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Base URL used when `baseURL` is omitted (none for azure-openai and openai-compatible). */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

/** Requests and tokens per minute, enforced across gateway replicas. */
export const RateLimitsSchema = z.strictObject({
  rpm: z.int().nonnegative().optional().describe('Requests per minute.'),
  tpm: z.int().nonnegative().optional().describe('Tokens (input plus output) per minute.'),
});
export type RateLimits = z.output<typeof RateLimitsSchema>;

const usd = () => z.number().nonnegative();

/** One model a Provider offers. */
export const ProviderModelSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[A-Za-z0-9][-A-Za-z0-9_.:@/]*$/, {
      error:
        "must start with a letter or digit and contain only letters, digits, '-', '_', '.', ':', '@' or '/'",
    })
    .describe('Model id as the provider spells it, e.g. gpt-5-mini or claude-sonnet-4-5.'),
  deployment: z
    .string()
    .min(1)
    .optional()
    .describe(
      'azure-openai only: the deployment name serving this model; the model name when omitted.',
    ),
  inputUSDPer1M: usd().describe('List price in USD per 1M input tokens.'),
  outputUSDPer1M: usd().default(0).describe('List price in USD per 1M output tokens.'),
  cachedInputUSDPer1M: usd()
    .optional()
    .describe('Price in USD per 1M cached input tokens, where the provider discounts them.'),
  contextWindow: z.int().positive().describe('Context window in tokens (prompt plus output).'),
  maxOutputTokens: z.int().positive().optional().describe('Most output tokens per request.'),
  capabilities: z
    .array(z.enum(CAPABILITIES))
    .default(['chat', 'tools'])
    .describe('Request types this model serves: chat, completions, embeddings, tools, vision.'),
  limits: RateLimitsSchema.optional().describe('Rate limits for this model alone.'),
});
export type ProviderModel = z.output<typeof ProviderModelSchema>;

/** A closed or external API. */
export const ProviderSpecObject = z.strictObject({
  type: z
    .enum(PROVIDER_TYPES)
    .describe('API family: openai, azure-openai, anthropic, gemini or openai-compatible.'),
  baseURL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .describe(
      "API base URL; the provider's public endpoint when omitted. Required for azure-openai (https://<resource>.openai.azure.com) and openai-compatible.",
    ),
  apiKeySecretRef: SecretKeySelectorSchema.optional().describe(
    'Secret key holding the API key; keys are never written inline. Required except for openai-compatible endpoints without auth.',
  ),
  azure: z
    .strictObject({
      apiVersion: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, { error: 'must look like 2024-10-21' })
        .default('2024-10-21')
        .describe('Azure OpenAI api-version query parameter.'),
    })
    .optional()
    .describe('azure-openai only options.'),
  models: z.array(ProviderModelSchema).min(1).describe('Models offered, with prices and windows.'),
  limits: RateLimitsSchema.optional().describe('Rate limits for the whole provider account.'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra non-secret HTTP headers sent with every request.'),
  timeout: duration().default('10m').describe('Timeout of one upstream request.'),
  maxRetries: z
    .int()
    .nonnegative()
    .max(10)
    .default(2)
    .describe('Retries of a retryable failure (429, 5xx, reset) before the first streamed byte.'),
});

export const ProviderSpecSchema = ProviderSpecObject.superRefine(checkProviderSpec);
export type ProviderSpec = z.output<typeof ProviderSpecSchema>;
export type ProviderSpecInput = z.input<typeof ProviderSpecSchema>;
