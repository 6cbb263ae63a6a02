import { describe, expect, it } from 'vitest';
import { parseProvider, validateResource } from '../index.js';

const base = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Provider',
  metadata: { name: 'openai' },
  spec: {
    type: 'openai',
    apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
    models: [{ name: 'gpt-5-mini', inputUSDPer1M: 0.25, outputUSDPer1M: 2, contextWindow: 400000 }],
  },
};
const withSpec = (spec: Record<string, unknown>) => ({ ...base, spec: { ...base.spec, ...spec } });
const issuesOf = (input: unknown) => {
  const r = validateResource(input);
  return r.status === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
};

describe('Provider schema', () => {
  it('applies defaults', () => {
    const p = parseProvider(base);
    expect(p.spec.timeout).toBe('10m');
    expect(p.spec.models[0]?.capabilities).toEqual(['chat', 'tools']);
  });

  it('refuses an inline key and says where the key goes', () => {
    expect(issuesOf(withSpec({ apiKey: 'sk-123' }))).toEqual([
      'spec.apiKey: inline API keys are not allowed: store the key in a Secret and reference it with apiKeySecretRef {name, key}',
    ]);
  });

  it('never echoes a key written where a Secret reference belongs', () => {
    const key = 'sk-proj-SECRET0123456789';
    const issues = [
      ...issuesOf(withSpec({ apiKeySecretRef: key })),
      ...issuesOf(withSpec({ headers: { 'X-Api-Key': key } })),
      ...issuesOf(withSpec({ type: key })),
    ];
    expect(issues).toEqual([
      'spec.apiKeySecretRef: expected an object, got a string',
      'spec.headers.X-Api-Key: header X-Api-Key carries a credential: put the key in a Secret and reference it with apiKeySecretRef',
      'spec.type: must be one of openai, azure-openai, anthropic, gemini, openai-compatible; got a string',
    ]);
    expect(issues.join('\n')).not.toContain('SECRET');
  });

  it('requires baseURL for azure-openai and rejects negative prices', () => {
    expect(
      issuesOf(
        withSpec({
          type: 'azure-openai',
          models: [{ name: 'gpt-5', inputUSDPer1M: -1, contextWindow: 1 }],
        }),
      ),
    ).toEqual([
      'spec.models.0.inputUSDPer1M: must be >= 0',
      'spec.baseURL: baseURL is required for type azure-openai',
    ]);
    expect(issuesOf(withSpec({ type: 'azure-openai' }))).toEqual([
      'spec.baseURL: baseURL is required for type azure-openai',
    ]);
  });
});
