// A stream that stalls after it started fails with a 504 from the iterator, and is not retried.
import { createProviderClient, ProviderError } from '@bascule/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from './support/targets.js';

describe.each(['openai', 'anthropic', 'gemini'] as const)('stalled stream: %s', (type) => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(type, { perTokenMs: 20_000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('times out between chunks', async () => {
    const client = createProviderClient({
      retry: { maxRetries: 2 },
      sleep: () => Promise.resolve(),
    });
    const r = await client.chat(
      t.provider(),
      t.model,
      { model: 'r', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { timeoutMs: 1_000 },
    );
    if (!r.stream) throw new Error('expected a stream');
    let received = 0;
    const err = await (async () => {
      for await (const _c of r.chunks) received++;
    })().catch((e: unknown) => e);
    expect(received).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(t.sim.stats().requests).toBe(1);
    expect(await r.usage).toBeUndefined();
    await client.close();
  });
});
