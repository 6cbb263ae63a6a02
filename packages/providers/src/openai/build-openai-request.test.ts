import { describe, expect, it } from 'vitest';
import { buildOpenAIHeaders, buildOpenAIUrl } from './build-openai-request.js';

// Azure paths: https://learn.microsoft.com/azure/ai-services/openai/reference#chat-completions
describe('buildOpenAIUrl / buildOpenAIHeaders', () => {
  it.each([
    [
      { name: 'o', type: 'openai' as const },
      'gpt-4o',
      'chat/completions' as const,
      'https://api.openai.com/v1/chat/completions',
    ],
    [
      { name: 'c', type: 'openai-compatible' as const, baseUrl: 'http://10.0.0.5:8000/v1/' },
      'llama',
      'completions' as const,
      'http://10.0.0.5:8000/v1/completions',
    ],
    [
      {
        name: 'a',
        type: 'azure-openai' as const,
        baseUrl: 'https://res.openai.azure.com',
        apiVersion: '2024-10-21',
        deployments: { 'gpt-4o': 'prod 4o' },
      },
      'gpt-4o',
      'chat/completions' as const,
      'https://res.openai.azure.com/openai/deployments/prod%204o/chat/completions?api-version=2024-10-21',
    ],
    [
      { name: 'a', type: 'azure-openai' as const, baseUrl: 'https://res.openai.azure.com' },
      'emb',
      'embeddings' as const,
      'https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21',
    ],
  ])('%j %s %s', (p, model, endpoint, url) => {
    expect(buildOpenAIUrl(p, model, endpoint)).toBe(url);
  });
  it('uses api-key for Azure, Bearer otherwise, nothing without a key', () => {
    expect(buildOpenAIHeaders({ name: 'a', type: 'azure-openai', apiKey: 'k' })).toEqual({
      'api-key': 'k',
    });
    expect(buildOpenAIHeaders({ name: 'o', type: 'openai', apiKey: 'k' })).toEqual({
      authorization: 'Bearer k',
    });
    expect(buildOpenAIHeaders({ name: 'c', type: 'openai-compatible' })).toEqual({});
  });
});
