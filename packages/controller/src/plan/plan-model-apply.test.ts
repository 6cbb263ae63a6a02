import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { model, observe, applied, cond } from './plan-model-fixtures.js';
import { planModel } from './plan-model.js';

describe('planModel: objects to apply', () => {
  it('creates the Deployment and Service, owned by the Model, and says it is progressing', () => {
    const { plan, deployment, service } = applied(observe(model()));
    expect(plan.applyReasons).toEqual(['Deployment missing', 'Service missing']);
    expect(deployment!.metadata!.ownerReferences).toEqual([
      {
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Model',
        name: 'm',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(service!.metadata!.ownerReferences![0]!.uid).toBe('uid-1');
    expect(deployment!.spec!.replicas).toBe(1);
    expect(plan.status!.observedGeneration).toBe(1);
    expect(plan.status!.replicas).toEqual({ desired: 1, ready: 0 });
    expect(plan.status!.selector).toBe('bascule.dev/model=m');
    expect(cond(plan.status!.conditions, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'Creating',
      observedGeneration: 1,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Pending',
    });
    expect(cond(plan.status!.conditions, 'CapacityAvailable')).toMatchObject({ status: 'True' });
    expect(plan.requeueAfterMs).toBe(60_000);
  });

  it('changes nothing when the live objects match and the status is current', () => {
    const first = applied(observe(model()));
    const live = { deployment: first.deployment!, service: first.service! };
    const second = planModel(observe(model({}, { status: first.plan.status! }), live));
    expect(second.apply).toEqual([]);
    expect(cond(second.status!.conditions, 'Progressing')).toMatchObject({ reason: 'ScalingUp' });
    const third = planModel(observe(model({}, { status: second.status! }), live));
    expect(third.apply).toEqual([]);
    expect(third.status).toBeUndefined();
  });

  it('rolls a changed spec, follows spec.replicas and puts back hand edits', () => {
    const first = applied(observe(model()));
    const live = first.deployment!;
    const changed = planModel(
      observe(model({ maxConcurrency: 8 }), { deployment: live, service: first.service! }),
    );
    expect(changed.applyReasons).toEqual(['spec changed']);
    const scaled = planModel(
      observe(model({ replicas: 3 }), { deployment: live, service: first.service! }),
    );
    expect(scaled.applyReasons).toEqual(['replicas 1 -> 3']);
    expect((scaled.apply[0] as V1Deployment).spec!.replicas).toBe(3);
    const edited: V1Deployment = structuredClone(live);
    edited.spec!.template.spec!.containers[0]!.image = 'someone/else:latest';
    const drift = planModel(observe(model(), { deployment: edited, service: first.service! }));
    expect(drift.applyReasons).toEqual(['Deployment drifted from the rendered spec']);
    expect((drift.apply[0] as V1Deployment).spec!.template.spec!.containers[0]!.image).toBe(
      'vllm/vllm-openai:v0.11.0',
    );
    const defaulted: V1Deployment = structuredClone(live);
    defaulted.spec!.template.spec!.containers[0]!.terminationMessagePath = '/dev/termination-log';
    defaulted.spec!.template.spec!.dnsPolicy = 'ClusterFirst';
    expect(
      planModel(observe(model(), { deployment: defaulted, service: first.service! })).apply,
    ).toEqual([]);
  });

  it('reports an invalid spec or an unknown GPU type without applying anything', () => {
    const invalid = planModel(observe(model({ tensorParallelism: 3 })));
    expect(invalid.apply).toEqual([]);
    expect(invalid.problem!.reason).toBe('InvalidSpec');
    expect(cond(invalid.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
    });
    expect(cond(invalid.status!.conditions, 'Ready')!.message).toContain('spec.tensorParallelism');
    const unknown = planModel(observe(model({ gpus: 'acme-x1:1' })));
    expect(unknown.apply).toEqual([]);
    expect(cond(unknown.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'UnknownGPUType',
    });
  });

  it('refuses to take over a Deployment it does not own', () => {
    const foreign: V1Deployment = {
      metadata: { name: 'm', namespace: 'ns' },
      spec: { selector: {}, template: {} },
    };
    const plan = planModel(observe(model(), { deployment: foreign }));
    expect(plan.apply).toEqual([]);
    expect(cond(plan.status!.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NameConflict',
    });
    expect(cond(plan.status!.conditions, 'Ready')!.message).toBe(
      'Deployment ns/m already exists and is not owned by this Model; delete or rename it',
    );
  });
});
