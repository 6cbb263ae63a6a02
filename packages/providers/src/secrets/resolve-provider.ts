import { parseDuration, type Provider } from '@bascule/spec';
import { ProviderError } from '../core/provider-error.js';
import type { ResolvedLimits, ResolvedProvider } from '../core/resolved-provider.js';
import type { SecretSource } from './secret-source.js';

/**
 * Maps a Provider resource to what adapters need, reading its key through `secrets`.
 * A missing Secret or key is a non-retryable 502 naming the Secret (never its value).
 */
export async function resolveProvider(
  provider: Provider,
  secrets: SecretSource,
): Promise<ResolvedProvider> {
  const { spec, metadata } = provider;
  const namespace = metadata.namespace ?? 'default';
  const name = `${namespace}/${metadata.name}`;
  let apiKey: string | undefined;
  if (spec.apiKeySecretRef) {
    const ref = { namespace, ...spec.apiKeySecretRef };
    try {
      apiKey = await secrets.get(ref);
    } catch (err) {
      throw new ProviderError({
        status: 502,
        retryable: true,
        type: 'upstream_error',
        code: 'provider_secret_unavailable',
        provider: name,
        message: `provider ${name}: cannot read Secret ${namespace}/${ref.name}`,
        cause: err,
      });
    }
    if (!apiKey) {
      throw new ProviderError({
        status: 502,
        retryable: false,
        type: 'upstream_error',
        code: 'provider_misconfigured',
        provider: name,
        message: `provider ${name}: Secret ${namespace}/${ref.name} has no key '${ref.key}'`,
      });
    }
  }
  const deployments: Record<string, string> = {};
  for (const m of spec.models) if (m.deployment) deployments[m.name] = m.deployment;
  return {
    name,
    type: spec.type,
    ...(spec.baseURL ? { baseUrl: spec.baseURL } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(spec.azure ? { apiVersion: spec.azure.apiVersion } : {}),
    ...(Object.keys(deployments).length > 0 ? { deployments } : {}),
    models: spec.models.map((m) => ({
      name: m.name,
      contextWindow: m.contextWindow,
      ...(m.maxOutputTokens ? { maxOutputTokens: m.maxOutputTokens } : {}),
      capabilities: m.capabilities,
      ...(m.limits ? { limits: toLimits(m.limits) } : {}),
    })),
    ...(spec.limits ? { limits: toLimits(spec.limits) } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
    timeoutMs: parseDuration(spec.timeout),
    maxRetries: spec.maxRetries,
  };
}

function toLimits(l: { rpm?: number | undefined; tpm?: number | undefined }): ResolvedLimits {
  return {
    ...(l.rpm ? { requestsPerMinute: l.rpm } : {}),
    ...(l.tpm ? { tokensPerMinute: l.tpm } : {}),
  };
}
