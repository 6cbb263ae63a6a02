import { describe, expect, it } from 'vitest';
import type { Provider } from '@bascule/spec';
import { ProviderError } from '../core/provider-error.js';
import { createCachedSecretSource } from './cached-secret-source.js';
import { createEnvSecretSource, secretEnvName } from './env-secret-source.js';
import { createInMemorySecretSource } from './in-memory-secret-source.js';
import { resolveProvider } from './resolve-provider.js';
import type { SecretSource } from './secret-source.js';

const ref = { namespace: 'ai', name: 'anthropic-key', key: 'apiKey' };

describe('createCachedSecretSource', () => {
  it('serves from cache and re-reads after the Secret changes', async () => {
    const inner = createInMemorySecretSource([
      { namespace: 'ai', name: 'anthropic-key', data: { apiKey: 'k1' } },
    ]);
    let reads = 0;
    const counting: SecretSource = {
      get: (r) => {
        reads++;
        return inner.get(r);
      },
      onChange: (l) => inner.onChange(l),
    };
    const cached = createCachedSecretSource(counting);
    expect(await cached.get(ref)).toBe('k1');
    expect(await cached.get(ref)).toBe('k1');
    expect(reads).toBe(1);
    inner.set('ai', 'anthropic-key', { apiKey: 'k2' });
    expect(await cached.get(ref)).toBe('k2');
    expect(reads).toBe(2);
    cached.close();
  });

  it('re-reads after the ttl without change events', async () => {
    let now = 0;
    let value = 'a';
    const cached = createCachedSecretSource(
      { get: () => Promise.resolve(value) },
      { ttlMs: 1_000, now: () => now },
    );
    expect(await cached.get(ref)).toBe('a');
    value = 'b';
    expect(await cached.get(ref)).toBe('a');
    now = 1_000;
    expect(await cached.get(ref)).toBe('b');
  });
});

describe('createEnvSecretSource', () => {
  it('reads BASCULE_SECRET_<NS>_<NAME>_<KEY>', async () => {
    expect(secretEnvName(ref)).toBe('BASCULE_SECRET_AI_ANTHROPIC_KEY_APIKEY');
    const src = createEnvSecretSource({ BASCULE_SECRET_AI_ANTHROPIC_KEY_APIKEY: 'sk-env' });
    expect(await src.get(ref)).toBe('sk-env');
    expect(await src.get({ ...ref, key: 'other' })).toBeUndefined();
  });
});

describe('resolveProvider', () => {
  const provider = {
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name: 'azure', namespace: 'ai' },
    spec: {
      type: 'azure-openai',
      baseURL: 'https://x.openai.azure.com',
      apiKeySecretRef: { name: 'anthropic-key', key: 'apiKey' },
      azure: { apiVersion: '2024-10-21' },
      models: [
        {
          name: 'gpt-4o',
          deployment: 'gpt4o-prod',
          inputUSDPer1M: 2.5,
          outputUSDPer1M: 10,
          contextWindow: 128000,
          capabilities: ['chat', 'tools'],
          limits: { rpm: 10 },
        },
      ],
      limits: { rpm: 100, tpm: 10000 },
      timeout: '30s',
      maxRetries: 1,
    },
  } as unknown as Provider;

  it('maps the spec and reads the key from the referenced Secret', async () => {
    const secrets = createInMemorySecretSource([
      { namespace: 'ai', name: 'anthropic-key', data: { apiKey: 'sk-az' } },
    ]);
    expect(await resolveProvider(provider, secrets)).toEqual({
      name: 'ai/azure',
      type: 'azure-openai',
      baseUrl: 'https://x.openai.azure.com',
      apiKey: 'sk-az',
      apiVersion: '2024-10-21',
      deployments: { 'gpt-4o': 'gpt4o-prod' },
      models: [
        {
          name: 'gpt-4o',
          contextWindow: 128000,
          capabilities: ['chat', 'tools'],
          limits: { requestsPerMinute: 10 },
        },
      ],
      limits: { requestsPerMinute: 100, tokensPerMinute: 10000 },
      timeoutMs: 30_000,
      maxRetries: 1,
    });
  });

  it('fails with a 502 naming the Secret when the key is missing', async () => {
    const err = await resolveProvider(provider, createInMemorySecretSource()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 502, retryable: false, code: 'provider_misconfigured' });
    expect((err as Error).message).toContain("ai/anthropic-key has no key 'apiKey'");
  });
});
