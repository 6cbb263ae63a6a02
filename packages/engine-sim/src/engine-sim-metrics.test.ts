import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';
import { histogramCount, sample, scrape } from './test-support.js';
import { waitFor } from '@bascule/test-support';

describe('engine-sim /metrics under load beyond --max-num-seqs', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngineSim({
      argv: [
        '--model',
        'meta-llama/Llama-3.1-8B-Instruct',
        '--max-num-seqs',
        '4',
        '--output-tokens',
        'max',
      ],
      port: 0,
      loadSeconds: 0,
      tokenizer: 'approx',
    });
    await engine.ready;
  });
  afterAll(() => engine.close());

  it('shows running = cap and waiting = excess, then both return to zero', async () => {
    const client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const labels = { model_name: 'meta-llama/Llama-3.1-8B-Instruct', engine: '0' };
    // 10 requests of 150 tokens: one wave of 4 lasts ~0.9 s (model time = wall time here)
    const all = Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.chat.completions.create({
          model: 'meta-llama/Llama-3.1-8B-Instruct',
          messages: [{ role: 'user', content: `q${i}` }],
          max_tokens: 150,
        }),
      ),
    );
    let seen: Array<number | undefined> = [];
    await waitFor(
      'running=4 waiting=6',
      async () => {
        const m = await scrape(engine.url);
        seen = [
          sample(m, 'vllm:num_requests_running', labels),
          sample(m, 'vllm:num_requests_waiting', labels),
        ];
        return seen[0] === 4 && seen[1] === 6;
      },
      15_000,
      5,
    );
    expect(seen).toEqual([4, 6]);
    const results = await all;
    expect(results.every((r) => r.usage!.completion_tokens === 150)).toBe(true);
    const m = await scrape(engine.url);
    expect(sample(m, 'vllm:num_requests_running', labels)).toBe(0);
    expect(sample(m, 'vllm:num_requests_waiting', labels)).toBe(0);
    expect(sample(m, 'vllm:kv_cache_usage_perc', labels)).toBe(0);
    expect(sample(m, 'vllm:generation_tokens_total', labels)).toBe(1500);
    expect(sample(m, 'vllm:request_success_total', { ...labels, finished_reason: 'length' })).toBe(
      10,
    );
    const text = await (await fetch(`${engine.url}/metrics`)).text();
    expect(histogramCount(text, 'vllm:time_to_first_token_seconds', labels)).toBe(10);
    expect(histogramCount(text, 'vllm:e2e_request_latency_seconds', labels)).toBe(10);
    expect(histogramCount(text, 'vllm:inter_token_latency_seconds', labels)).toBe(1490);
    const types = Object.fromEntries(m.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      'vllm:num_requests_running': 'GAUGE',
      'vllm:prompt_tokens_total': 'COUNTER',
      'vllm:time_to_first_token_seconds': 'HISTOGRAM',
    });
  });

  it('aborts a stream whose client goes away and frees its slot', async () => {
    const labels = { model_name: 'meta-llama/Llama-3.1-8B-Instruct', engine: '0' };
    const before =
      sample(await scrape(engine.url), 'vllm:request_success_total', {
        ...labels,
        finished_reason: 'abort',
      }) ?? 0;
    const controller = new AbortController();
    const res = await fetch(`${engine.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'long one', max_tokens: 2000, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first token is out: the sequence is running
    expect(engine.runtime.scheduler.stats().running).toBe(1);
    controller.abort();
    await waitFor(
      'the aborted sequence to leave the batch',
      () => engine.runtime.scheduler.stats().running === 0,
      15_000,
    );
    const m = await scrape(engine.url);
    expect(sample(m, 'vllm:request_success_total', { ...labels, finished_reason: 'abort' })).toBe(
      before + 1,
    );
    expect(sample(m, 'vllm:kv_cache_usage_perc', labels)).toBe(0);
  });
});
