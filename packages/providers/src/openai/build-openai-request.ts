import type { ResolvedProvider } from '../core/resolved-provider.js';

export type OpenAIEndpoint = 'chat/completions' | 'completions' | 'embeddings';

const DEFAULT_OPENAI_BASE = 'https://api.openai.com/v1';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/**
 * URL for an OpenAI-shaped endpoint. Azure: `{endpoint}/openai/deployments/{deployment}/{path}
 * ?api-version=...` (https://learn.microsoft.com/azure/ai-services/openai/reference).
 */
export function buildOpenAIUrl(
  p: ResolvedProvider,
  model: string,
  endpoint: OpenAIEndpoint,
): string {
  const base = (p.baseUrl ?? (p.type === 'openai' ? DEFAULT_OPENAI_BASE : '')).replace(/\/+$/, '');
  if (p.type === 'azure-openai') {
    const deployment = p.deployments?.[model] ?? model;
    const version = encodeURIComponent(p.apiVersion ?? DEFAULT_AZURE_API_VERSION);
    return `${base}/openai/deployments/${encodeURIComponent(deployment)}/${endpoint}?api-version=${version}`;
  }
  return `${base}/${endpoint}`;
}

/** Auth headers: Azure's `api-key`, everyone else's `Authorization: Bearer` (optional for local servers). */
export function buildOpenAIHeaders(p: ResolvedProvider): Record<string, string> {
  if (!p.apiKey) return {};
  if (p.type === 'azure-openai') return { 'api-key': p.apiKey };
  return { authorization: `Bearer ${p.apiKey}` };
}
