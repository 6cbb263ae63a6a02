import { SHORTFALL_ANNOTATION, formatShortfallAnnotation } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { computeGpuCapacity } from '../capacity/gpu-capacity.js';
import { model, node, pod, observe, applied, cond } from './plan-model-fixtures.js';
import { planModel } from './plan-model.js';

describe('planModel: CapacityAvailable', () => {
  it('reports InsufficientGPU naming the type, GPUs asked and free, and rechecks later', () => {
    const first = applied(observe(model()));
    const msg = '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.';
    const obs = observe(
      model({ gpus: 'nvidia-h100:4', replicas: 2 }),
      {
        deployment: first.deployment!,
        pods: [
          pod('m-a', { node: 'n1', ready: true, gpus: 4 }),
          pod('m-b', { unschedulable: msg, gpus: 4 }),
        ],
      },
      [node('n1', 6)],
    );
    const plan = planModel(obs);
    const capacity = cond(plan.status!.conditions, 'CapacityAvailable')!;
    expect(capacity.status).toBe('False');
    expect(capacity.reason).toBe('InsufficientGPU');
    expect(capacity.message).toContain(
      'each needs 4 nvidia-h100 GPU(s) on one node, 4 asked in all',
    );
    expect(capacity.message).toContain(
      '2 of 6 nvidia-h100 GPUs free on 1 schedulable node(s) (at most 2 on one node)',
    );
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Serving',
      message: '1/2 replicas ready',
    });
    expect(plan.requeueAfterMs).toBe(30_000);
    // A node large enough for a replica, its GPUs held by another Model's pod.
    const nodes = [node('n1', 4)];
    const none = planModel(
      observe(
        model({ gpus: 'nvidia-h100:4' }),
        {
          pods: [pod('m-b', { unschedulable: msg, gpus: 4 })],
          capacity: computeGpuCapacity(nodes, [pod('other', { node: 'n1', ready: true, gpus: 2 })]),
        },
        nodes,
      ),
    );
    expect(cond(none.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'InsufficientGPU',
    });
  });

  it('marks CapacityAvailable=False from the autoscaler shortfall annotation, True once cleared', () => {
    const first = applied(observe(model({ replicas: 1 })));
    const live = { deployment: first.deployment!, service: first.service! };
    const pods = [pod('m-a', { node: 'n1', ready: true, gpus: 2, hash: 'x' })];
    const annotations = {
      [SHORTFALL_ANNOTATION]: formatShortfallAnnotation({
        replicas: 3,
        gpus: 6,
        gpuType: 'nvidia-h100',
        freeGpus: 0,
      }),
    };
    const nodes = [node('n1', 2)];
    const short = planModel(
      observe(
        model({ replicas: 1 }, { metadata: { ...model().metadata, annotations } }),
        { ...live, pods },
        nodes,
      ),
    );
    const capacity = cond(short.status!.conditions, 'CapacityAvailable')!;
    expect(capacity).toMatchObject({ status: 'False', reason: 'InsufficientGPU' });
    expect(capacity.message).toContain(
      'the autoscaler wants 3 more replica(s) than free GPUs allow (1 planned): 6 nvidia-h100 GPU(s) short, 0 free',
    );
    // The planned replica is serving: Ready speaks of it, not of the capped ones.
    expect(cond(short.status!.conditions, 'Ready')).toMatchObject({ status: 'True' });
    expect(short.requeueAfterMs).toBe(30_000);
    const cleared = planModel(
      observe(model({ replicas: 1 }, { status: short.status! }), { ...live, pods }, nodes),
    );
    expect(cond(cleared.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'True',
      reason: 'GPUsAvailable',
    });
    // A malformed value or one for another GPU type (stale after a spec change) is ignored.
    for (const value of ['{not json', annotations[SHORTFALL_ANNOTATION].replace('h100', 'l4')]) {
      const ignored = planModel(
        observe(
          model(
            { replicas: 1 },
            { metadata: { ...model().metadata, annotations: { [SHORTFALL_ANNOTATION]: value } } },
          ),
          { ...live, pods },
          nodes,
        ),
      );
      expect(cond(ignored.status!.conditions, 'CapacityAvailable')!.status).toBe('True');
    }
  });

  it('at zero replicas reports a scale-from-zero the autoscaler could not make', () => {
    const annotations = {
      [SHORTFALL_ANNOTATION]: formatShortfallAnnotation({
        replicas: 1,
        gpus: 2,
        gpuType: 'nvidia-h100',
        freeGpus: 1,
      }),
    };
    const plan = planModel(
      observe(model({ replicas: 0 }, { metadata: { ...model().metadata, annotations } }), {}, [
        node('n1', 2),
      ]),
    );
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({ reason: 'ScaledToZero' });
    const capacity = cond(plan.status!.conditions, 'CapacityAvailable')!;
    expect(capacity).toMatchObject({ status: 'False', reason: 'InsufficientGPU' });
    expect(capacity.message).toContain('wants 1 more replica(s)');
    expect(capacity.message).toContain('2 nvidia-h100 GPU(s) short, 1 free');
  });

  it('says NoMatchingNodes when the cluster has no GPUs of the type', () => {
    const plan = planModel(observe(model({ gpus: 'nvidia-l4:1' })));
    expect(cond(plan.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'False',
      reason: 'NoMatchingNodes',
    });
    expect(cond(plan.status!.conditions, 'CapacityAvailable')!.message).toContain(
      'no node has nvidia-l4 GPUs',
    );
  });

  it('at zero replicas reports ScaledToZero and whether a replica would fit', () => {
    const plan = planModel(observe(model({ replicas: 0 })));
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ScaledToZero',
    });
    expect(cond(plan.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'True',
      reason: 'GPUsAvailable',
    });
    // Large enough, but another Model's pod holds one of its two GPUs.
    const nodes = [node('n1', 2)];
    const full = planModel(
      observe(
        model({ replicas: 0 }),
        {
          capacity: computeGpuCapacity(nodes, [pod('other', { node: 'n1', ready: true, gpus: 1 })]),
        },
        nodes,
      ),
    );
    expect(cond(full.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'False',
      reason: 'InsufficientGPU',
    });
    // Smaller than a replica: no node can ever fit one.
    const small = planModel(observe(model({ replicas: 0 }), {}, [node('n1', 1)]));
    expect(cond(small.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'False',
      reason: 'NoMatchingNodes',
    });
    expect(cond(small.status!.conditions, 'CapacityAvailable')!.message).toContain(
      'no node has 2 nvidia-h100 GPUs',
    );
  });
});
