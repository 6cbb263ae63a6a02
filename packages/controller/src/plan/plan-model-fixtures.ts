// Shared fixtures for the plan-model-*.test.ts files: a Model, nodes, pods and the observation
// planModel reads, built the way the API server would hold them.
import type { V1Deployment, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { TEMPLATE_HASH_ANNOTATION, type Condition } from '@bascule/spec';
import { computeGpuCapacity } from '../capacity/gpu-capacity.js';
import { planModel, type ModelObject, type ModelObservation } from './plan-model.js';

const NOW = new Date('2026-01-01T00:00:00Z');

export function model(
  spec: Record<string, unknown> = {},
  extra: Partial<ModelObject> = {},
): ModelObject {
  return {
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'm', namespace: 'ns', uid: 'uid-1', generation: 1 },
    spec: { source: 'hf://org/m', engine: 'vllm', gpus: 'nvidia-h100:2', ...spec },
    ...extra,
  };
}

export function node(name: string, gpus: number, ready = true): V1Node {
  return {
    metadata: { name, labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } },
    status: {
      allocatable: { 'nvidia.com/gpu': String(gpus) },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }],
    },
  };
}

export function pod(
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
      labels: { 'bascule.dev/model': 'm' },
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

export function observe(
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
export function applied(obs: ModelObservation) {
  const plan = planModel(obs);
  const deployment = plan.apply.find((o): o is V1Deployment => o.kind === 'Deployment');
  const service = plan.apply.find((o): o is V1Service => o.kind === 'Service');
  return { plan, deployment, service };
}

export const cond = (conditions: Condition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type);
