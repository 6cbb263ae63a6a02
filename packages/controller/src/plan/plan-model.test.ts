import type { V1Deployment, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { SHORTFALL_ANNOTATION, formatShortfallAnnotation } from '@modelplane/autoscaler';
import { TEMPLATE_HASH_ANNOTATION } from '@modelplane/engines';
import type { Condition } from '@modelplane/spec';
import { describe, expect, it } from 'vitest';
import { computeGpuCapacity } from '../capacity/gpu-capacity.js';
import { planModel, type ModelObject, type ModelObservation } from './plan-model.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function model(spec: Record<string, unknown> = {}, extra: Partial<ModelObject> = {}): ModelObject {
  return {
    apiVersion: 'modelplane.io/v1alpha1',
    kind: 'Model',
    metadata: { name: 'm', namespace: 'ns', uid: 'uid-1', generation: 1 },
    spec: { source: 'hf://org/m', engine: 'vllm', gpus: 'nvidia-h100:2', ...spec },
    ...extra,
  };
}

function node(name: string, gpus: number, ready = true): V1Node {
  return {
    metadata: { name, labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } },
    status: {
      allocatable: { 'nvidia.com/gpu': String(gpus) },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
    },
  };
}

function pod(
  name: string,
  opts: {
    node?: string;
    ready?: boolean;
    running?: boolean;
    unschedulable?: string;
    hash?: string;
    gpus?: number;
  } = {},
): V1Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      labels: { 'modelplane.io/model': 'm' },
      annotations: opts.hash ? { [TEMPLATE_HASH_ANNOTATION]: opts.hash } : {},
    },
    spec: {
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers: [
        {
          name: 'engine',
          ports: [{ name: 'http', containerPort: 8000 }],
          resources: { requests: { 'nvidia.com/gpu': String(opts.gpus ?? 2) } },
        },
      ],
    },
    status: {
      phase: opts.node ? 'Running' : 'Pending',
      ...(opts.node ? { podIP: `127.10.0.${name.length}` } : {}),
      conditions: [
        opts.unschedulable
          ? {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: opts.unschedulable,
            }
          : { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: opts.ready ? 'True' : 'False' },
      ],
      containerStatuses: opts.node
        ? [
            {
              name: 'engine',
              image: '',
              imageID: '',
              ready: Boolean(opts.ready),
              restartCount: 0,
              ...(opts.running !== false
                ? { state: { running: {} } }
                : { state: { waiting: { reason: 'ContainerCreating' } } }),
            },
          ]
        : [],
    },
  };
}

function observe(
  m: ModelObject,
  rest: Partial<ModelObservation> = {},
  nodes = [node('n1', 8)],
): ModelObservation {
  const pods = rest.pods ?? [];
  return {
    model: m,
    pods,
    nodes: new Map(nodes.map((n) => [n.metadata!.name!, n])),
    capacity: computeGpuCapacity(nodes, pods),
    now: NOW,
    ...rest,
  };
}

/** The objects as the API server would hold them after the plan was applied. */
function applied(obs: ModelObservation) {
  const plan = planModel(obs);
  const deployment = plan.apply.find((o): o is V1Deployment => o.kind === 'Deployment');
  const service = plan.apply.find((o): o is V1Service => o.kind === 'Service');
  return { plan, deployment, service };
}

const cond = (conditions: Condition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type);

describe('planModel', () => {
  it('creates the Deployment and Service, owned by the Model, and says it is progressing', () => {
    const { plan, deployment, service } = applied(observe(model()));
    expect(plan.applyReasons).toEqual(['Deployment missing', 'Service missing']);
    expect(deployment!.metadata!.ownerReferences).toEqual([
      {
        apiVersion: 'modelplane.io/v1alpha1',
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
    expect(plan.status!.selector).toBe('modelplane.io/model=m');
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
    const none = planModel(
      observe(
        model({ gpus: 'nvidia-h100:4' }),
        { pods: [pod('m-b', { unschedulable: msg, gpus: 4 })] },
        [node('n1', 2)],
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
        node('n1', 1),
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
    const full = planModel(observe(model({ replicas: 0 }), {}, [node('n1', 1)]));
    expect(cond(full.status!.conditions, 'CapacityAvailable')).toMatchObject({
      status: 'False',
      reason: 'InsufficientGPU',
    });
  });
});
