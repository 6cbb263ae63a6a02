// Legacy completions and embeddings through every adapter, against provider-sim.
import {
  createProviderClient,
  ProviderError,
  type ProviderClient,
  type TextCompletionChunk,
} from '@bascule/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, TARGET_TYPES, type Target } from './support/targets.js';

describe.each(TARGET_TYPES)('completions and embeddings: %s', (type) => {
  let t: Target;
  let client: ProviderClient;
  beforeAll(async () => {
    t = await startTarget(type);
    client = createProviderClient({ retry: { maxRetries: 0 } });
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('completes a prompt as a text_completion', async () => {
    const r = await client.completion(t.provider(), t.model, {
      model: 'r',
      prompt: 'Once upon a time',
      max_tokens: 5,
    });
    if (r.stream) throw new Error('expected a complete response');
    expect(r.response.object).toBe('text_completion');
    expect(r.response.choices[0]?.text.length).toBeGreaterThan(0);
    expect(r.response.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBeLessThanOrEqual(5);
  });

  it('streams a completion', async () => {
    const r = await client.completion(t.provider(), t.model, {
      model: 'r',
      prompt: 'Once upon a time',
      stream: true,
      max_tokens: 200,
    });
    if (!r.stream) throw new Error('expected a stream');
    const chunks: TextCompletionChunk[] = [];
    for await (const c of r.chunks) chunks.push(c);
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('').length).toBeGreaterThan(0);
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual([
      'stop',
    ]);
    expect((await r.usage)?.total_tokens).toBeGreaterThan(0);
  });

  const embeddingModel = type === 'gemini' ? 'gemini-embedding-001' : 'text-embedding-3-small';
  if (type === 'anthropic') {
    it('refuses embeddings with a 400 before any call', async () => {
      t.sim.resetStats();
      const err = await client
        .embeddings(t.provider(), t.model, { model: 'e', input: 'hi' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 400 });
      expect(t.sim.stats().requests).toBe(0);
    });
  } else {
    it('embeds a batch', async () => {
      const provider = t.provider({
        models: [{ name: embeddingModel, contextWindow: 8192 }],
        ...(type === 'azure-openai' ? { deployments: { [embeddingModel]: 'mini-prod' } } : {}),
      });
      const model = type === 'azure-openai' ? t.model : embeddingModel;
      const p = type === 'azure-openai' ? t.provider() : provider;
      const r = await client.embeddings(p, model, { model: 'e', input: ['alpha', 'beta'] });
      expect(r.object).toBe('list');
      expect(r.data.map((d) => d.index)).toEqual([0, 1]);
      expect(Array.isArray(r.data[0]?.embedding) && r.data[0].embedding.length).toBeGreaterThan(0);
      expect(r.usage.prompt_tokens).toBeGreaterThan(0);
    });
  }
});
