/** The provider types an adapter exists for (same names as the Provider resource's `type`). */
export const providerTypes = [
  'openai',
  'azure-openai',
  'openai-compatible',
  'anthropic',
  'gemini',
] as const;
export type ProviderType = (typeof providerTypes)[number];

export interface ResolvedModel {
  /** The provider's model name (what is sent upstream). */
  name: string;
  /** Prompt + completion tokens the model accepts. */
  contextWindow?: number;
  /** Largest completion the model produces; also the default `max_tokens` for Anthropic. */
  maxOutputTokens?: number;
  /** Request kinds the model serves (`chat`, `completions`, `embeddings`, `tools`, `vision`); all when absent. */
  capabilities?: string[];
  /** Rate limits of this model alone (on top of the provider's). */
  limits?: ResolvedLimits;
}

export interface ResolvedLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/**
 * A Provider resource with its Secret already read: everything an adapter needs for one call.
 * `apiKey` is a secret: never log this object.
 */
export interface ResolvedProvider {
  /** Unique name (the Provider resource's namespace/name); keys shared limits and cooldowns. */
  name: string;
  type: ProviderType;
  /**
   * Base URL, as each official SDK takes it: OpenAI/compatible include the version path
   * (`https://api.openai.com/v1`); Anthropic and Gemini are the host root; Azure is the
   * resource endpoint (`https://x.openai.azure.com`).
   */
  baseUrl?: string;
  apiKey?: string;
  /** Azure `api-version` query parameter, Gemini API version path (`v1beta`), Anthropic version header. */
  apiVersion?: string;
  /** Azure: model name -> deployment name (defaults to the model name). */
  deployments?: Record<string, string>;
  /** The models offered; when non-empty, other models are refused with a 400. */
  models?: ResolvedModel[];
  limits?: ResolvedLimits;
  /** Extra request headers (never secrets). */
  headers?: Record<string, string>;
  /** Per-attempt timeout in milliseconds (overrides the client's default). */
  timeoutMs?: number;
  /** Retries before the first streamed byte (overrides the client's default). */
  maxRetries?: number;
}

export function findModel(provider: ResolvedProvider, model: string): ResolvedModel | undefined {
  return provider.models?.find((m) => m.name === model);
}
