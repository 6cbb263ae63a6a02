import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { TEMPLATE_HASH_ANNOTATION } from '@bascule/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
  type ModelStatusView,
} from './support/controller-harness.js';

const SPEC = {
  source: 'hf://Qwen/Qwen3-8B',
  engine: 'vllm',
  gpus: 'nvidia-l4:1',
  maxConcurrency: 16,
  autoscaling: { enabled: false },
};

type PodList = { items: V1Pod[] };
const podNames = async (h: Harness) =>
  (await h.kubectlJson<PodList>(['get', 'pods', '-l', 'bascule.dev/model=qwen'])).items
    .filter((p) => !p.metadata!.deletionTimestamp)
    .map((p) => p.metadata!.name!)
    .sort();
const readyAndSettled = async (h: Harness) =>
  (await condition(h, 'qwen', 'Ready'))?.status === 'True' &&
  (await condition(h, 'qwen', 'Progressing'))?.status === 'False';

describe.skipIf(!hasKubectl)('rollouts, no-op applies, drift and deletion', () => {
  let h: Harness;
  let reconciles: () => Promise<number>;
  beforeAll(async () => {
    h = await startHarness('l4:3x1');
    const controller = await h.startController();
    reconciles = async () =>
      (await controller.metrics.reconciles.get()).values.reduce((a, v) => a + v.value, 0);
    await h.kubectl(['apply', '-f', '-'], modelYaml('qwen', { ...SPEC, replicas: 1 }));
    await waitFor('qwen Ready', () => readyAndSettled(h));
  });
  afterAll(() => h?.close());

  it('re-applying the same spec changes nothing: no new generation, no pod restart', async () => {
    const before = await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen']);
    const model = await h.kubectlJson<ModelStatusView>(['get', 'model', 'qwen']);
    const pods = await podNames(h);
    const out = await h.kubectl(['apply', '-f', '-'], modelYaml('qwen', { ...SPEC, replicas: 1 }));
    expect(out).toContain('model.bascule.dev/qwen unchanged');
    // A status-only change (an event for the controller) must not touch the Deployment either.
    const seen = await reconciles();
    await h.kubectl(['annotate', 'model', 'qwen', 'example.com/touched=1']);
    await waitFor('the annotation event reconciled', async () => (await reconciles()) > seen);
    const after = await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen']);
    expect(after.metadata!.generation).toBe(before.metadata!.generation);
    expect(after.metadata!.resourceVersion).toBe(before.metadata!.resourceVersion);
    expect(
      (await h.kubectlJson<ModelStatusView>(['get', 'model', 'qwen'])).metadata.generation,
    ).toBe(model.metadata.generation);
    expect(await podNames(h)).toEqual(pods);
  });

  it('changing the spec rolls the Deployment to a new pod template', async () => {
    const before = await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen']);
    const oldPods = await podNames(h);
    await h.kubectl(
      ['apply', '-f', '-'],
      modelYaml('qwen', { ...SPEC, replicas: 1, maxConcurrency: 8 }),
    );
    const rolled = await waitFor('a new template', async () => {
      const d = await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen']);
      return (
        d.metadata!.annotations![TEMPLATE_HASH_ANNOTATION] !==
          before.metadata!.annotations![TEMPLATE_HASH_ANNOTATION] && d
      );
    });
    expect(rolled.metadata!.generation).toBeGreaterThan(before.metadata!.generation!);
    expect(rolled.spec!.template.spec!.containers[0]!.args).toContain('8');
    await waitFor('rollout done', async () => {
      const pods = await podNames(h);
      return pods.length === 1 && !oldPods.includes(pods[0]!) && (await readyAndSettled(h));
    });
    const model = await h.kubectlJson<ModelStatusView>(['get', 'model', 'qwen']);
    expect(model.status!.observedGeneration).toBe(model.metadata.generation);
  });

  it('follows spec.replicas written through the scale subresource', async () => {
    await h.kubectl(['scale', 'model/qwen', '--replicas=2']);
    await waitFor('2 ready', async () => {
      const m = await h.kubectlJson<ModelStatusView>(['get', 'model', 'qwen']);
      return (
        m.status?.replicas?.ready === 2 && m.status.endpoints?.filter((e) => e.ready).length === 2
      );
    });
    expect((await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen'])).spec!.replicas).toBe(
      2,
    );
    await h.kubectl(['scale', 'model/qwen', '--replicas=1']);
    await waitFor(
      'back to 1',
      async () => (await podNames(h)).length === 1 && (await readyAndSettled(h)),
    );
  });

  it('puts back hand edits of the Deployment and the Service', async () => {
    await h.kubectl(['set', 'image', 'deployment/qwen', 'engine=example.com/other:1']);
    await h.kubectl(['scale', 'deployment/qwen', '--replicas=3']);
    await h.kubectl([
      'patch',
      'service',
      'qwen',
      '--type=merge',
      '-p',
      '{"spec":{"selector":{"bascule.dev/model":"other"}}}',
    ]);
    await waitFor('drift put back', async () => {
      const d = await h.kubectlJson<V1Deployment>(['get', 'deployment', 'qwen']);
      const s = await h.kubectlJson<V1Service>(['get', 'service', 'qwen']);
      return (
        d.spec!.template.spec!.containers[0]!.image === 'vllm/vllm-openai:v0.11.0' &&
        d.spec!.replicas === 1 &&
        s.spec!.selector!['bascule.dev/model'] === 'qwen'
      );
    });
  });

  it('deleting the Model deletes its Deployment and Service', async () => {
    await h.kubectl(['delete', 'model', 'qwen']);
    await waitFor('owned objects gone', async () => {
      const out = await h.kubectl([
        'get',
        'deployments,services',
        '-l',
        'bascule.dev/model=qwen',
        '-o',
        'name',
      ]);
      return out.trim() === '';
    });
  });
});
