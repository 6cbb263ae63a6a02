// Scenario 4, scale to zero and back: `bascule-server --roles controller,gateway` (autoscaler
// on) against kube-sim, a private redis-server and an OpenAI provider-sim.
// (1) A private Route that waits for cold starts: the first request waits at the gateway, its
//     demand reaches the autoscaler through Redis, the Model scales 0 -> 1 and the same request is
//     served by the new pod; once idle past scaleToZeroDelay the Model goes back to 0 replicas and
//     its Deployment to 0 pods, and the next request brings it back again.
// (2) A Route that overflows cold starts: the first request is served by the closed API at once,
//     the overflowed demand still scales the Model up, and traffic comes back to the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  modelYaml,
  startServedStack,
  waitFor,
  type ModelView,
  type Serve,
  type Stack,
  routeDoc,
} from '../support/served-stack.js';

const MODEL = 'cold-chat';
const ROUTE = 'cold-private';
const OVERFLOW_MODEL = 'cold-overflow';
const OVERFLOW_ROUTE = 'cold-or-closed';

const coldModel = (name: string, scaleToZeroDelay: string) =>
  modelYaml(name, {
    source: `hf://example/${name}`,
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxConcurrency: 8,
    replicas: 0,
    autoscaling: { minReplicas: 0, maxReplicas: 1, scaleToZeroDelay },
  });

describe.skipIf(!hasKubectl)('scenario 4: scale to zero and back', () => {
  let stack: Stack;
  let gateway = '';

  beforeAll(async () => {
    // The closed API answers after 3 s, long enough for the autoscaler to see the overflow.
    let serve: Serve;
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:2x1',
      providers: { openai: { latency: { firstTokenMs: 3000 } } },
      roles: 'controller,gateway',
      env: { BASCULE_AUTOSCALER: 'on', BASCULE_AUTOSCALER_INTERVAL: '500ms' },
      docs: [
        coldModel(MODEL, '4s'),
        coldModel(OVERFLOW_MODEL, '10m'),
        routeDoc(OVERFLOW_ROUTE, {
          strategy: 'priority',
          targets: [{ model: OVERFLOW_MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'coldStart'], maxQueueWait: '0s' },
        }),
        routeDoc(ROUTE, {
          allowExternal: false,
          strategy: 'priority',
          targets: [{ model: MODEL }],
          fallback: { triggers: ['noCapacity'], maxQueueWait: '60s' },
        }),
      ],
    }));
    gateway = serve.gateway!;
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  const model = (name: string) => stack.h.kubectlJson<ModelView>(['get', 'model', name]);
  const deploymentReplicas = async (name: string) =>
    (await stack.h.kubectlJson<{ spec: { replicas?: number } }>(['get', 'deployment', name])).spec
      .replicas;

  it('a waiting Route: the first request waits for the cold start and is served by the new pod; idle, the Model goes back to zero; the next request brings it back', async () => {
    expect((await model(MODEL)).status?.replicas?.ready ?? 0).toBe(0);
    const client = stack.openai(gateway);
    const ask = async () => {
      const { data, response } = await client.chat.completions
        .create(
          { model: ROUTE, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 },
          { timeout: 60_000 },
        )
        .withResponse();
      expect(response.status).toBe(200);
      expect(response.headers.get('x-bascule-target')).toBe(MODEL);
      expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    };
    await ask();
    const up = await model(MODEL);
    expect(up.spec.replicas).toBe(1);
    expect(up.status?.replicas?.ready).toBe(1);

    // Idle past scaleToZeroDelay (4 s): the autoscaler writes 0, the controller removes the pod.
    await waitFor(
      'the Model back at zero',
      async () => {
        const m = await model(MODEL);
        return m.spec.replicas === 0 && (m.status?.replicas?.ready ?? 0) === 0;
      },
      60_000,
    );
    expect(await deploymentReplicas(MODEL)).toBe(0);
    expect(stack.sims.openai!.stats().requests).toBe(0);

    // ...and back: a second cold start, served by the Model again, never by the closed API.
    await ask();
    expect((await model(MODEL)).status?.replicas?.ready).toBe(1);
    expect(stack.sims.openai!.stats().requests).toBe(0);
  }, 150_000);

  it('an overflow Route: the cold start is served by the closed API, the Model still scales up and traffic comes back', async () => {
    const client = stack.openai(gateway);
    const ask = async () => {
      const { response } = await client.chat.completions
        .create(
          { model: OVERFLOW_ROUTE, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 },
          { timeout: 30_000 },
        )
        .withResponse();
      return {
        status: response.status,
        target: response.headers.get('x-bascule-target'),
        reason: response.headers.get('x-bascule-route-reason'),
      };
    };
    expect(await ask()).toEqual({
      status: 200,
      target: 'openai/gpt-5-mini',
      reason: 'overflow:cold-start',
    });
    expect(stack.sims.openai!.stats().requests).toBeGreaterThanOrEqual(1);
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
    expect((await model(OVERFLOW_MODEL)).spec.replicas).toBe(1);
  }, 90_000);
});
