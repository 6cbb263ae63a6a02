import type { V1Pod } from '@kubernetes/client-node';
import { kubeShortfallPublisher } from '@bascule/autoscaler/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
} from './support/controller-harness.js';

const spec = (gpus: string, replicas = 1) => ({
  source: 'hf://Qwen/Qwen3-8B',
  engine: 'vllm',
  gpus,
  replicas,
  autoscaling: { enabled: false },
});

describe.skipIf(!hasKubectl)('GPU capacity', () => {
  let h: Harness;
  let controller: Awaited<ReturnType<Harness['startController']>>;
  beforeAll(async () => {
    h = await startHarness('h100:1x8');
    controller = await h.startController();
  });
  afterAll(() => h?.close());

  it('reports InsufficientGPU (type, asked, free) until another Model frees its GPUs', async () => {
    await h.kubectl(['apply', '-f', '-'], modelYaml('small', spec('nvidia-h100:4')));
    await waitFor(
      'small Ready',
      async () => (await condition(h, 'small', 'Ready'))?.status === 'True',
    );
    await h.kubectl(['apply', '-f', '-'], modelYaml('big', spec('nvidia-h100:8')));
    const capacity = await waitFor('big short of GPUs', async () => {
      const c = await condition(h, 'big', 'CapacityAvailable');
      return c?.status === 'False' && c;
    });
    expect(capacity.reason).toBe('InsufficientGPU');
    expect(capacity.message).toContain(
      'each needs 8 nvidia-h100 GPU(s) on one node, 8 asked in all',
    );
    expect(capacity.message).toContain('4 of 8 nvidia-h100 GPUs free');
    expect(await condition(h, 'big', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'InsufficientGPU',
    });
    const table = await h.kubectl(['get', 'model', 'big']);
    expect(table).toMatch(/big\s+vllm\s+nvidia-h100:8\s+0\s+1\s+InsufficientGPU/);
    const events = await h.kubectlJson<{
      items: { type: string; reason: string; involvedObject: { kind: string; name: string } }[];
    }>(['get', 'events']);
    expect(
      events.items.some(
        (e) =>
          e.involvedObject.kind === 'Model' &&
          e.involvedObject.name === 'big' &&
          e.type === 'Warning' &&
          e.reason === 'InsufficientGPU',
      ),
    ).toBe(true);
    await h.kubectl(['delete', 'model', 'small']);
    await waitFor(
      'big Ready',
      async () => (await condition(h, 'big', 'Ready'))?.status === 'True',
      45_000,
    );
    expect(await condition(h, 'big', 'CapacityAvailable')).toMatchObject({
      status: 'True',
      reason: 'GPUsAvailable',
    });
    await h.kubectl(['delete', 'model', 'big']);
  });

  it('exposes free and used GPUs per type', async () => {
    await h.kubectl(['apply', '-f', '-'], modelYaml('half', spec('nvidia-h100:4')));
    await waitFor('4 used', () => controller.capacity.snapshot().byType['nvidia-h100']?.used === 4);
    expect(controller.capacity.snapshot().byType['nvidia-h100']).toMatchObject({
      nodes: 1,
      allocatable: 8,
      used: 4,
      free: 4,
      largestFreeOnNode: 4,
    });
    const text = await controller.registry.metrics();
    expect(text).toContain('bascule_gpus_free{type="nvidia-h100"} 4');
    expect(text).toContain('bascule_gpus_used{type="nvidia-h100"} 4');
    expect(text).toMatch(/bascule_controller_reconciles_total\{result="success"\} [1-9]/);
    expect(text).toMatch(/bascule_controller_reconcile_duration_seconds_count [1-9]/);
    expect(text).toContain('bascule_controller_queue_depth ');
    expect(text).toMatch(/bascule_controller_status_writes_total [1-9]/);
    await h.kubectl(['delete', 'model', 'half']);
  });

  it('turns the autoscaler capacity-shortfall annotation into CapacityAvailable=False, and back', async () => {
    await h.kubectl(['apply', '-f', '-'], modelYaml('capped', spec('nvidia-h100:4')));
    await waitFor(
      'capped Ready',
      async () => (await condition(h, 'capped', 'Ready'))?.status === 'True',
    );
    // The autoscaler's own Kubernetes adapter writes the annotation, as its loop would.
    const publisher = kubeShortfallPublisher(h.client.custom);
    const ref = { namespace: h.client.namespace, name: 'capped' };
    await publisher.publish(ref, { replicas: 2, gpus: 8, gpuType: 'nvidia-h100', freeGpus: 4 });
    const short = await waitFor('capped short of GPUs', async () => {
      const c = await condition(h, 'capped', 'CapacityAvailable');
      return c?.status === 'False' && c;
    });
    expect(short.reason).toBe('InsufficientGPU');
    expect(short.message).toContain(
      'the autoscaler wants 2 more replica(s) than free GPUs allow (1 planned): 8 nvidia-h100 GPU(s) short, 4 free',
    );
    expect((await condition(h, 'capped', 'Ready'))?.status).toBe('True');
    await publisher.publish(ref, undefined);
    await waitFor(
      'capacity back',
      async () => (await condition(h, 'capped', 'CapacityAvailable'))?.status === 'True',
    );
    expect(await condition(h, 'capped', 'CapacityAvailable')).toMatchObject({
      reason: 'GPUsAvailable',
    });
    await h.kubectl(['delete', 'model', 'capped']);
  });
});

describe.skipIf(!hasKubectl)('node failure', () => {
  let h: Harness;
  beforeAll(async () => {
    // Slower simulated pulls and loads than elsewhere, so the replacement takes a moment.
    h = await startHarness('h100:2x4', 10);
    await h.startController();
  });
  afterAll(() => h?.close());

  it('marks the Model Degraded when its node goes down, and recovers when the pod reschedules', async () => {
    await h.kubectl(['apply', '-f', '-'], modelYaml('llm', spec('nvidia-h100:4')));
    await waitFor('llm Ready', async () => (await condition(h, 'llm', 'Ready'))?.status === 'True');
    const pods = await h.kubectlJson<{ items: V1Pod[] }>([
      'get',
      'pods',
      '-l',
      'bascule.dev/model=llm',
    ]);
    const node = pods.items[0]!.spec!.nodeName!;
    // Every status change arrives as a watch event, however short the Degraded window is.
    const watch = h.spawnKubectl([
      'get',
      'model',
      'llm',
      '-w',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Degraded")].status}/{.status.conditions[?(@.type=="Degraded")].reason}{"\\n"}',
    ]);
    await waitFor('the watch running', () => watch.output().includes('False/AsExpected'));
    await h.kubectl(['annotate', 'node', node, 'sim.bascule.dev/state=down', '--overwrite']);
    const degraded = await waitFor('Degraded', () => /True\/(\w+)/.exec(watch.output())?.[1]);
    expect(['NodeNotReady', 'ReplicasUnavailable']).toContain(degraded);
    await waitFor(
      'Ready again on the other node',
      async () => {
        const ready = await condition(h, 'llm', 'Ready');
        const deg = await condition(h, 'llm', 'Degraded');
        return ready?.status === 'True' && deg?.status === 'False';
      },
      45_000,
    );
    const after = await h.kubectlJson<{ items: V1Pod[] }>([
      'get',
      'pods',
      '-l',
      'bascule.dev/model=llm',
    ]);
    expect(
      after.items.filter((p) => !p.metadata!.deletionTimestamp).map((p) => p.spec!.nodeName),
    ).not.toContain(node);
    await h.kubectl(['annotate', 'node', node, 'sim.bascule.dev/state=up', '--overwrite']);
  });
});
