// A LoRA adapter through the gateway's admission and accounting: a 503 while no ready replica
// has it loaded, key scopes by the adapter's own name, and its in-flight requests counted as
// demand on the base Model (what the autoscaler reads).
import type { Principal } from '@bascule/gateway';
import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

describe('LoRA adapters: admission, scopes and demand', () => {
  let engine: RunningEngine;
  let gw: TestGateway;
  const ask = (model: string, scope?: string[]) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(scope ? { 'x-test-scope': JSON.stringify(scope) } : {}),
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
    });

  beforeAll(async () => {
    engine = await startEngine({
      served: 'llama',
      extraArgs: ['--enable-lora', '--lora-modules', 'sql=/adapters/sql'],
      outputTokens: 'uniform:40-40',
      timeScale: 5,
    });
    gw = await startTestGateway({
      models: [
        modelResource('llama', {
          servedNames: ['llama'],
          loraAdapters: [{ name: 'sql', source: 'hf://org/sql-lora' }],
        }),
      ],
      routes: [routeResource('chat', { targets: [{ model: 'llama' }] })],
      extra: {
        authenticate: (req): Principal => {
          const scope = req.headers['x-test-scope'];
          return {
            keyId: 'k',
            ...(typeof scope === 'string' ? { allowedModels: JSON.parse(scope) as string[] } : {}),
          };
        },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
  });

  it('answers 503 adapter_loading while no ready replica has the adapter, then serves it', async () => {
    gw.store.set('llama', [{ url: engine.url, ready: true, adapters: [] }]);
    const loading = await ask('sql');
    expect(loading.status).toBe(503);
    expect(((await loading.json()) as { error: { code: string } }).error.code).toBe(
      'adapter_loading',
    );
    gw.store.set('llama', [{ url: engine.url, ready: true, adapters: ['sql'] }]);
    const served = await ask('sql');
    expect(served.status).toBe(200);
    expect(gw.usage.at(-1)).toMatchObject({ route: 'sql', target: 'llama', adapter: 'sql' });
  });

  it('scopes keys by the adapter name: an adapter-only key cannot use the base, and back', async () => {
    expect((await ask('sql', ['sql'])).status).toBe(200);
    expect((await ask('llama', ['sql'])).status).toBe(403);
    expect((await ask('sql', ['llama'])).status).toBe(403);
    expect((await ask('llama', ['llama'])).status).toBe(200);
  });

  it("counts an adapter's in-flight request as demand on the base Model", async () => {
    const stream = await gw.client.chat.completions.create({
      model: 'sql',
      messages: [{ role: 'user', content: 'count slowly' }],
      max_tokens: 40,
      stream: true,
    });
    const it = stream[Symbol.asyncIterator]();
    await it.next(); // the first chunk: the request is in flight
    expect(gw.gateway.tracker.demand().get('llama')).toBe(1);
    expect(gw.gateway.tracker.demand().has('sql')).toBe(false);
    for (let r = await it.next(); !r.done; r = await it.next());
    expect(gw.gateway.tracker.demand().get('llama') ?? 0).toBe(0);
  });
});
