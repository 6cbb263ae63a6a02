import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';
import { sample, scrape } from './test-support.js';

describe('engine-sim prefix caching over HTTP', () => {
  let engine: RunningEngine;
  const model = 'meta-llama/Llama-3.1-8B-Instruct';
  const labels = { model_name: model, engine: '0' };

  beforeAll(async () => {
    engine = await startEngineSim({
      argv: ['--model', model, '--output-tokens', 'fixed:2'],
      port: 0,
      loadSeconds: 0,
      tokenizer: 'approx',
      timeScale: 100,
    });
    await engine.ready;
  });
  afterAll(() => engine.close());

  it('a repeated system prompt hits the cache: vllm:prefix_cache_hits counts its tokens', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const system = 'You are a careful assistant. '.repeat(200); // ~1,450 tokens
    const ask = (q: string) =>
      client.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: q },
        ],
      });
    const first = await ask('first question');
    const afterFirst = await scrape(engine.url);
    expect(sample(afterFirst, 'vllm:prefix_cache_hits_total', labels)).toBe(0);
    expect(sample(afterFirst, 'vllm:prefix_cache_queries_total', labels)).toBe(
      first.usage!.prompt_tokens,
    );
    const second = await ask('a different second question');
    const m = await scrape(engine.url);
    const hits = sample(m, 'vllm:prefix_cache_hits_total', labels)!;
    // what the two prompts share: the system message (3 header tokens, its 1,450 content
    // tokens, 1 end-of-turn) and the user header (3), in whole 16-token blocks
    const shared = 3 + system.length / 4 + 1 + 3;
    expect(hits).toBe(Math.floor(shared / 16) * 16);
    expect(sample(m, 'vllm:prefix_cache_queries_total', labels)).toBe(
      first.usage!.prompt_tokens + second.usage!.prompt_tokens,
    );
    expect(sample(m, 'vllm:num_preemptions_total', labels)).toBe(0);
  });
});
