import type { V1Deployment } from '@kubernetes/client-node';
import { engineAdapter, parsePrometheusText } from '@bascule/engines';
import { loadSources, type Model } from '@bascule/spec';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  hasKubectl,
  startHarness,
  type Harness,
  type ModelStatusView,
} from './support/controller-harness.js';

// One node spec that fits every example at one replica: 8 x H200 for DeepSeek V3, 2 x 8 H100 for
// Llama 4 Scout, Mistral Large 2 and Qwen3 32B, two L4s and an A10G for the small models.
const NODES = 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1';

describe.skipIf(!hasKubectl)('manifests/examples on kube-sim', () => {
  let h: Harness;
  const models: Model[] = [];

  beforeAll(async () => {
    h = await startHarness(NODES);
    for (const doc of (await loadSources([EXAMPLES])).documents) {
      if (doc.result?.status === 'valid' && doc.result.resource.kind === 'Model')
        models.push(doc.result.resource);
    }
    await h.startController();
    await h.kubectl(['apply', '-f', EXAMPLES]);
  });
  afterAll(() => h?.close());

  it('makes every example Ready (scaling the scale-to-zero ones to one replica with kubectl scale)', async () => {
    const zero = models.filter(
      (m) => m.spec.autoscaling.minReplicas === 0 && m.spec.replicas === undefined,
    );
    expect(zero.map((m) => m.metadata.name).sort()).toEqual([
      'mistral-7b',
      'mistral-large-2',
      'qwen3-32b',
    ]);
    await h.kubectl(['scale', ...zero.map((m) => `model/${m.metadata.name}`), '--replicas=1']);
    const out = await h.kubectl([
      'wait',
      '--for=condition=Ready',
      '--timeout=90s',
      ...models.map((m) => `model/${m.metadata.name}`),
    ]);
    for (const m of models)
      expect(out).toContain(`model.bascule.dev/${m.metadata.name} condition met`);
    const table = await h.kubectl(['get', 'models']);
    expect(table.split('\n')[0]).toMatch(/NAME\s+ENGINE\s+GPUS\s+READY\s+DESIRED\s+STATUS/);
    expect(table).toMatch(/deepseek-v3\s+vllm\s+nvidia-h200:8\s+1\s+1\s+Serving/);
  });

  it('stores the Deployment exactly as the engine adapter rendered it, owned by the Model', async () => {
    for (const m of models) {
      const live = await h.kubectlJson<V1Deployment>(['get', 'deployment', m.metadata.name]);
      const want = engineAdapter(m.spec.engine).renderDeployment({
        model: { ...m, metadata: { ...m.metadata, namespace: 'default' } },
        replicas: 1,
      });
      const [lc, wc] = [
        live.spec!.template.spec!.containers[0]!,
        want.spec!.template.spec!.containers[0]!,
      ];
      expect(lc.image).toBe(wc.image);
      expect(lc.args).toEqual(wc.args);
      expect(lc.resources).toEqual(wc.resources);
      expect(lc.startupProbe).toMatchObject(wc.startupProbe!);
      expect(live.spec!.template.spec!.volumes).toEqual(want.spec!.template.spec!.volumes);
      expect(live.metadata!.ownerReferences).toMatchObject([
        { kind: 'Model', name: m.metadata.name, controller: true },
      ]);
    }
  });

  it('reports endpoints whose engine-sim pods answer the OpenAI API', async () => {
    for (const m of models) {
      const view = await h.kubectlJson<ModelStatusView>(['get', 'model', m.metadata.name]);
      expect(view.status!.replicas).toEqual({ desired: 1, ready: 1 });
      const ep = view.status!.endpoints!.find((e) => e.ready)!;
      expect(ep.port).toBe(engineAdapter(m.spec.engine).port);
      const client = new OpenAI({
        baseURL: `http://${ep.ip}:${ep.port}/v1`,
        apiKey: 'unused',
        maxRetries: 0,
      });
      const served = m.spec.servedNames?.[0] ?? m.metadata.name;
      const listed = await client.models.list();
      expect(listed.data.map((d) => d.id)).toContain(
        m.spec.engine === 'vllm' ? served : m.spec.source.slice(5),
      );
      const reply = await client.chat.completions.create({
        model: m.spec.engine === 'vllm' ? served : 'tgi',
        messages: [{ role: 'user', content: 'Say hello.' }],
        max_tokens: 8,
      });
      expect(reply.choices[0]!.message.content!.length).toBeGreaterThan(0);
      expect(reply.usage!.completion_tokens).toBeGreaterThan(0);
      // The adapter's metric names match what the engine exports: load reads as numbers.
      const adapter = engineAdapter(m.spec.engine);
      const text = await (await fetch(`http://${ep.ip}:${ep.port}${adapter.metricsPath}`)).text();
      const samples = parsePrometheusText(text);
      for (const name of [adapter.metricNames.running, adapter.metricNames.waiting]) {
        expect(samples.some((s) => s.name === name)).toBe(true);
      }
      const load = adapter.readLoad(samples, { maxBatchTotalTokens: 100_000 });
      expect(load).toMatchObject({ running: 0, waiting: 0 });
      expect(load.kvCacheUsage).toBeGreaterThanOrEqual(0);
    }
  });

  it('makes every example Route and Provider Ready (targets resolve, key Secrets exist)', async () => {
    const out = await h.kubectl([
      'wait',
      '--for=condition=Ready',
      '--timeout=90s',
      'routes,providers',
      '--all',
    ]);
    for (const name of ['chat', 'private-chat', 'batch', 'polyglot'])
      expect(out).toContain(`route.bascule.dev/${name} condition met`);
    for (const name of ['openai', 'anthropic', 'gemini'])
      expect(out).toContain(`provider.bascule.dev/${name} condition met`);
    expect(await h.kubectl(['get', 'providers'])).toMatch(/openai\s+openai\s+SecretResolved/);
    expect(await h.kubectl(['get', 'routes'])).toMatch(/chat\s+complexity\s+true\s+Resolved/);
  });
});
