import type { z } from 'zod';

interface CheckedProviderSpec {
  type: string;
  baseURL?: string | undefined;
  apiKeySecretRef?: unknown;
  azure?: unknown;
  models: { name: string; deployment?: string | undefined }[];
  headers?: Record<string, string> | undefined;
}

/** Header names that carry credentials, which belong in a Secret. */
const SECRET_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'x-goog-api-key']);

/** Cross-field rules of a Provider spec. */
export function checkProviderSpec(spec: CheckedProviderSpec, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const azure = spec.type === 'azure-openai';

  if ((azure || spec.type === 'openai-compatible') && spec.baseURL === undefined) {
    issue(['baseURL'], `baseURL is required for type ${spec.type}`);
  }
  if (spec.type !== 'openai-compatible' && spec.apiKeySecretRef === undefined) {
    issue(
      ['apiKeySecretRef'],
      `apiKeySecretRef is required for type ${spec.type}: reference the Secret key holding the API key`,
    );
  }
  if (!azure && spec.azure !== undefined) {
    issue(['azure'], `azure options are only valid with type azure-openai`);
  }
  const seen = new Set<string>();
  spec.models.forEach((m, i) => {
    if (seen.has(m.name)) issue(['models', i, 'name'], `duplicate model name "${m.name}"`);
    seen.add(m.name);
    if (!azure && m.deployment !== undefined) {
      issue(['models', i, 'deployment'], 'deployment is only valid with type azure-openai');
    }
  });
  for (const header of Object.keys(spec.headers ?? {})) {
    if (SECRET_HEADERS.has(header.toLowerCase())) {
      issue(
        ['headers', header],
        `header ${header} carries a credential: put the key in a Secret and reference it with apiKeySecretRef`,
      );
    }
  }
}
