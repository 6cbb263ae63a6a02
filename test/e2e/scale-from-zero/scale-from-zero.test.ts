// Scale from zero, end to end: `modelplane serve --roles controller,gateway` (autoscaler on)
// against kube-sim, a private redis-server and an OpenAI provider-sim. (1) A private Route that
// waits for cold starts: the first request waits at the gateway, its demand reaches the
// autoscaler through Redis, the Model scales 0 -> 1, and the same request is served by the pod.
// (2) A Route that overflows cold starts: the first request is served by the closed API at once,
// the overflowed demand still scales the Model up, and traffic comes back to the cluster.
import { join } from 'node:path';
import OpenAI from 'openai';
import { startProviderSim, type RunningProviderSim } from '@modelplane/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
} from '../../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../../support/redis-server.js';

const MODEL = 'cold-chat';
const ROUTE = 'cold-private';
const OVERFLOW_MODEL = 'cold-overflow';
const OVERFLOW_ROUTE = 'cold-or-closed';
const SIM_KEY = 'sk-scale-from-zero';

const coldModel = (name: string) =>
  modelYaml(name, {
    source: `hf://example/${name}`,
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxConcurrency: 8,
    replicas: 0,
    autoscaling: { minReplicas: 0, maxReplicas: 1 },
  });

describe.skipIf(!hasKubectl)('scale from zero through the gateway', () => {
  let h: Harness;
  let redis: RunningRedisServer;
  let openai: RunningProviderSim;
  let out: () => string = () => '';
  let gateway = '';

  beforeAll(async () => {
    h = await startHarness('l4:2x1');
    redis = await startRedisServer();
    // The closed API answers after 3 s, long enough for the autoscaler to see the overflow.
    openai = await startProviderSim({
      type: 'openai',
      apiKey: SIM_KEY,
      host: '127.0.0.1',
      port: 0,
      latency: { firstTokenMs: 3000 },
    });
    await h.kubectl(['apply', '-f', '-'], coldModel(MODEL));
    await h.kubectl(['apply', '-f', '-'], coldModel(OVERFLOW_MODEL));
    for (const doc of [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'openai-key' },
        stringData: { 'api-key': SIM_KEY },
      },
      {
        apiVersion: 'modelplane.io/v1alpha1',
        kind: 'Provider',
        metadata: { name: 'openai' },
        spec: {
          type: 'openai',
          baseURL: `${openai.url}/v1`,
          apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
          models: [
            { name: 'gpt-5-mini', inputUSDPer1M: 0.25, outputUSDPer1M: 2, contextWindow: 400000 },
          ],
        },
      },
      {
        apiVersion: 'modelplane.io/v1alpha1',
        kind: 'Route',
        metadata: { name: OVERFLOW_ROUTE },
        spec: {
          strategy: 'priority',
          targets: [{ model: OVERFLOW_MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'coldStart'], maxQueueWait: '0s' },
        },
      },
    ])
      await h.kubectl(['apply', '-f', '-'], JSON.stringify(doc));
    await h.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'modelplane.io/v1alpha1',
        kind: 'Route',
        metadata: { name: ROUTE },
        spec: {
          allowExternal: false,
          strategy: 'priority',
          targets: [{ model: MODEL }],
          fallback: { triggers: ['noCapacity'], maxQueueWait: '60s' },
        },
      }),
    );
    const serve = h.spawnServe(
      ['--roles', 'controller,gateway', '--metrics-host', '127.0.0.1', '--metrics-port', '0'],
      {
        MODELPLANE_GATEWAY_HOST: '127.0.0.1',
        MODELPLANE_GATEWAY_PORT: '0',
        MODELPLANE_REDIS_URL: redis.url,
        MODELPLANE_AUTH: 'none',
        MODELPLANE_AUTOSCALER: 'on',
        MODELPLANE_AUTOSCALER_INTERVAL: '500ms',
        MODELPLANE_BATCH_DIR: join(h.dir, 'batches'),
      },
    );
    out = serve.output;
    gateway = await waitFor(
      'gateway listening',
      () => /"url":"(http:[^"]+)"[^\n]*"msg":"gateway listening"/.exec(out())?.[1],
      40_000,
    );
  }, 90_000);

  afterAll(async () => {
    await redis?.stop();
    await openai?.close();
    await h?.close();
  });

  it('the first request waits for the cold start, scales the Model up and is served by it', async () => {
    const before = JSON.parse(await h.kubectl(['get', 'model', MODEL, '-o', 'json'])) as {
      status?: { replicas?: { ready?: number } };
    };
    expect(before.status?.replicas?.ready ?? 0).toBe(0);
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create(
        { model: ROUTE, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 },
        { timeout: 60_000 },
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-modelplane-target')).toBe(MODEL);
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const after = JSON.parse(await h.kubectl(['get', 'model', MODEL, '-o', 'json'])) as {
      spec: { replicas?: number };
      status?: { replicas?: { ready?: number } };
    };
    expect(after.spec.replicas).toBe(1);
    expect(after.status?.replicas?.ready).toBe(1);
  }, 90_000);

  it('a Route that overflows cold starts is served by the closed API, scales the Model up and comes back', async () => {
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async () => {
      const { response } = await client.chat.completions
        .create(
          { model: OVERFLOW_ROUTE, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 },
          { timeout: 30_000 },
        )
        .withResponse();
      return {
        status: response.status,
        target: response.headers.get('x-modelplane-target'),
        reason: response.headers.get('x-modelplane-route-reason'),
      };
    };
    expect(await ask()).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:cold-start',
    });
    expect(openai.stats().requests).toBeGreaterThanOrEqual(1);
    // No request waited for the Model, yet the overflowed one scaled it up: traffic comes back.
    const back = await waitFor(
      'traffic back on the Model',
      async () => {
        const r = await ask();
        expect(r.status).toBe(200);
        return r.target === OVERFLOW_MODEL ? r : undefined;
      },
      60_000,
    );
    expect(back.reason).toBe('priority');
  }, 90_000);
});
