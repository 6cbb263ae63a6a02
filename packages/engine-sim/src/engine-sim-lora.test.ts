import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineSim, type RunningEngine } from './start-engine-sim.js';
import { scrape } from './test-support.js';
import { waitFor } from '@bascule/test-support';

const BASE = 'meta-llama/Llama-3.1-8B-Instruct';

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('engine-sim LoRA adapters as vLLM serves them', () => {
  let engine: RunningEngine;
  let locked: RunningEngine;
  let client: OpenAI;

  beforeAll(async () => {
    engine = await startEngineSim({
      argv: [BASE, '--enable-lora', '--max-loras', '1', '--lora-modules', 'sql=/adapters/sql'],
      port: 0,
      loadSeconds: 0,
      tokenizer: 'approx',
      env: { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' },
    });
    locked = await startEngineSim({
      argv: [BASE, '--enable-lora', '--lora-modules', 'sql=/adapters/sql'],
      port: 0,
      loadSeconds: 0,
      tokenizer: 'approx',
    });
    await Promise.all([engine.ready, locked.ready]);
    client = new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await Promise.all([engine.close(), locked.close()]);
  });

  it('lists --lora-modules with their parent, serves them and 404s an unknown name', async () => {
    const models = await client.models.list();
    const sql = models.data.find((m) => m.id === 'sql') as unknown as Record<string, unknown>;
    expect(sql).toMatchObject({ root: '/adapters/sql', parent: BASE });
    const r = await client.chat.completions.create({
      model: 'sql',
      messages: [{ role: 'user', content: 'list tables' }],
      max_tokens: 4,
    });
    expect(r.model).toBe('sql');
    const err = await client.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }], max_tokens: 2 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toContain('The model `nope` does not exist.');
  });

  it('loads and unloads at run time, with vLLM answers, only when the env flag allows it', async () => {
    const t0 = Date.now();
    const loaded = await post(engine.url, '/v1/load_lora_adapter', {
      lora_name: 'chat',
      lora_path: '/adapters/chat',
    });
    expect(loaded.status).toBe(200);
    expect(await loaded.text()).toBe("Success: LoRA adapter 'chat' added successfully.");
    // the default simulated load is 2 model seconds at time scale 1
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    const again = await post(engine.url, '/v1/load_lora_adapter', {
      lora_name: 'chat',
      lora_path: '/adapters/chat',
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      "The lora adapter 'chat' has already been loaded.",
    );
    const missing = await post(engine.url, '/v1/load_lora_adapter', { lora_name: 'x' });
    expect(missing.status).toBe(400);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual([BASE, 'sql', 'chat']);

    const unloaded = await post(engine.url, '/v1/unload_lora_adapter', { lora_name: 'chat' });
    expect(unloaded.status).toBe(200);
    const gone = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], max_tokens: 2 })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundError);
    const twice = await post(engine.url, '/v1/unload_lora_adapter', { lora_name: 'chat' });
    expect(twice.status).toBe(404);
    expect(await twice.json()).toEqual({
      error: {
        message: "The lora adapter 'chat' cannot be found.",
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
    });

    const refused = await post(locked.url, '/v1/load_lora_adapter', {
      lora_name: 'chat',
      lora_path: '/adapters/chat',
    });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ detail: 'Not Found' });
  });

  it('holds at most --max-loras adapters in a batch, counts swaps and exports vllm:lora_requests_info', async () => {
    expect(
      (
        await post(engine.url, '/v1/load_lora_adapter', {
          lora_name: 'chat',
          lora_path: '/adapters/chat',
        })
      ).status,
    ).toBe(200);
    const swapsBefore = engine.runtime.scheduler.stats().loraSwaps;
    const ask = (model: string, i: number) =>
      client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: `q${i}` }],
        max_tokens: 60,
      });
    const all = Promise.all([ask('sql', 1), ask('chat', 2), ask('sql', 3), ask('chat', 4)]);
    let labels: Record<string, string> | undefined;
    await waitFor(
      'one adapter running, the other waiting',
      async () => {
        const family = (await scrape(engine.url)).find((f) => f.name === 'vllm:lora_requests_info');
        labels = family?.metrics[0]?.labels;
        return !!labels?.running_lora_adapters && !!labels.waiting_lora_adapters;
      },
      15_000,
      5,
    );
    expect(labels?.max_lora).toBe('1');
    // max-loras 1: the running batch holds one adapter; the other waits for it to drain
    expect(labels?.running_lora_adapters?.split(',')).toHaveLength(1);
    expect(labels?.waiting_lora_adapters).not.toBe(labels?.running_lora_adapters);
    await all;
    // sql was already in the one slot; both sql requests batch first, then chat swaps in once
    expect(engine.runtime.scheduler.stats().loraSwaps - swapsBefore).toBe(1);
  });
});
