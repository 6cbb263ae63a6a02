import { TEMPLATE_HASH_ANNOTATION } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { model, node, pod, observe, applied, cond } from './plan-model-fixtures.js';
import { planModel } from './plan-model.js';

describe('planModel: readiness and degradation', () => {
  it('lists endpoints and turns Ready once a replica passes readiness', () => {
    const first = applied(observe(model()));
    const hash = first.deployment!.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]!;
    const obs = observe(model(), {
      deployment: first.deployment!,
      service: first.service!,
      pods: [pod('m-1', { node: 'n1', ready: true, hash })],
    });
    const plan = planModel(obs);
    expect(plan.status!.endpoints).toEqual([
      { pod: 'm-1', ip: '127.10.0.3', port: 8000, ready: true, node: 'n1' },
    ]);
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Serving',
    });
    expect(cond(plan.status!.conditions, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'RolloutComplete',
    });
    expect(cond(plan.status!.conditions, 'Degraded')).toMatchObject({ status: 'False' });
  });

  it('marks a Model Degraded when it loses a ready replica, and clears it on recovery', () => {
    const first = applied(observe(model()));
    const hash = first.deployment!.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]!;
    const base = { deployment: first.deployment!, service: first.service! };
    const healthy = planModel(
      observe(model(), { ...base, pods: [pod('m-1', { node: 'n1', ready: true, hash })] }),
    ).status!;
    const onDownNode = planModel(
      observe(
        model({}, { status: healthy }),
        { ...base, pods: [pod('m-1', { node: 'n1', ready: false, hash })] },
        [node('n1', 8, false)],
      ),
    ).status!;
    expect(cond(onDownNode.conditions, 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'NodeNotReady',
    });
    const replaced = planModel(
      observe(
        model({}, { status: healthy }),
        { ...base, pods: [pod('m-2', { node: 'n2', ready: false, hash })] },
        [node('n1', 8, false), node('n2', 8)],
      ),
    ).status!;
    expect(cond(replaced.conditions, 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ReplicasUnavailable',
    });
    expect(cond(replaced.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Loading',
    });
    const still = planModel(
      observe(
        model({}, { status: replaced }),
        { ...base, pods: [pod('m-2', { node: 'n2', ready: false, hash })] },
        [node('n2', 8)],
      ),
    ).status;
    expect(still).toBeUndefined();
    const recovered = planModel(
      observe(
        model({}, { status: replaced }),
        { ...base, pods: [pod('m-2', { node: 'n2', ready: true, hash })] },
        [node('n2', 8)],
      ),
    ).status!;
    expect(cond(recovered.conditions, 'Degraded')).toMatchObject({
      status: 'False',
      reason: 'AsExpected',
    });
    expect(cond(recovered.conditions, 'Ready')!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('does not call a scale-up degraded', () => {
    const first = applied(observe(model()));
    const hash = first.deployment!.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]!;
    const healthy = planModel(
      observe(model(), {
        deployment: first.deployment!,
        pods: [pod('m-1', { node: 'n1', ready: true, hash })],
      }),
    ).status!;
    const scaled = structuredClone(first.deployment!);
    scaled.spec!.replicas = 2;
    const pods = [
      pod('m-1', { node: 'n1', ready: true, hash }),
      pod('m-2', { node: 'n1', ready: false, hash }),
    ];
    const s1 = planModel(
      observe(model({ replicas: 2 }, { status: healthy }), { deployment: scaled, pods }),
    ).status!;
    expect(cond(s1.conditions, 'Degraded')!.status).toBe('False');
    const s2 = planModel(
      observe(model({ replicas: 2 }, { status: s1 }), { deployment: scaled, pods }),
    ).status;
    expect(s2 === undefined || cond(s2.conditions, 'Degraded')!.status === 'False').toBe(true);
  });
});
