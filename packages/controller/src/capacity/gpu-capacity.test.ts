import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { capacityCondition } from '../status/capacity-condition.js';
import { capacityOf, computeGpuCapacity, podGpuRequest } from './gpu-capacity.js';

const node = (
  name: string,
  product: string,
  gpus: number,
  opts: { ready?: boolean; cordoned?: boolean } = {},
): V1Node => ({
  metadata: { name, labels: { 'nvidia.com/gpu.product': product } },
  spec: opts.cordoned ? { unschedulable: true } : {},
  status: {
    allocatable: { 'nvidia.com/gpu': String(gpus), cpu: '96' },
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'Unknown' : 'True' }],
  },
});

const pod = (nodeName: string | undefined, gpus: number, phase = 'Running'): V1Pod => ({
  metadata: { name: `p-${Math.random()}` },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
  },
  status: { phase },
});

describe('computeGpuCapacity', () => {
  it('counts allocatable, used and free GPUs per type from nodes and every pod', () => {
    const nodes = [
      node('h1', 'NVIDIA-H100-80GB-HBM3', 8),
      node('h2', 'NVIDIA-H100-80GB-HBM3', 8),
      node('l1', 'NVIDIA-L4', 1),
      node('c1', '', 0),
    ];
    const pods = [
      pod('h1', 4),
      pod('h1', 2),
      pod('h2', 8),
      pod('l1', 1),
      pod(undefined, 4, 'Pending'),
      pod('h2', 8, 'Succeeded'),
    ];
    const capacity = computeGpuCapacity(nodes, pods);
    expect(capacity.byType['nvidia-h100']).toEqual({
      type: 'nvidia-h100',
      nodes: 2,
      schedulableNodes: 2,
      allocatable: 16,
      used: 14,
      free: 2,
      largestFreeOnNode: 2,
      largestNode: 8,
    });
    expect(capacityOf(capacity, 'nvidia-l4')).toMatchObject({ used: 1, free: 0 });
    expect(capacityOf(capacity, 'nvidia-a10g')).toMatchObject({ nodes: 0, free: 0 });
  });

  it('leaves NotReady and cordoned nodes out of what is free', () => {
    const capacity = computeGpuCapacity(
      [
        node('h1', 'NVIDIA-H100-80GB-HBM3', 8, { ready: false }),
        node('h2', 'NVIDIA-H100-80GB-HBM3', 8, { cordoned: true }),
        node('h3', 'NVIDIA-H100-80GB-HBM3', 4),
      ],
      [pod('h1', 8)],
    );
    expect(capacity.byType['nvidia-h100']).toMatchObject({
      nodes: 3,
      schedulableNodes: 1,
      allocatable: 4,
      used: 8,
      free: 4,
      largestFreeOnNode: 4,
    });
  });

  it('reads GPU requests (or limits) of containers and init containers', () => {
    const p: V1Pod = {
      spec: {
        containers: [
          { name: 'a', resources: { requests: { 'nvidia.com/gpu': '2' } } },
          { name: 'b', resources: { limits: { 'nvidia.com/gpu': '1' } } },
        ],
        initContainers: [{ name: 'i', resources: { requests: { 'nvidia.com/gpu': '4' } } }],
      },
    };
    expect(podGpuRequest(p)).toBe(4);
  });
});

describe('capacity as the scheduler sees it (issue 22)', () => {
  const tainted = (name: string, taint: { key: string; value?: string; effect: string }) => {
    const n = node(name, 'NVIDIA-H100-80GB-HBM3', 8);
    n.spec = { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }, taint] };
    return n;
  };

  it('counts a node as free only when a Model pod tolerates every NoSchedule/NoExecute taint', () => {
    const capacity = computeGpuCapacity(
      [
        tainted('h1', { key: 'dedicated', value: 'training', effect: 'NoSchedule' }),
        tainted('h2', { key: 'maintenance', effect: 'NoExecute' }),
        tainted('h3', { key: 'spot', effect: 'PreferNoSchedule' }),
      ],
      [],
    );
    // Only h3: the GPU taint is tolerated by the profile, PreferNoSchedule does not filter.
    expect(capacity.byType['nvidia-h100']).toMatchObject({ schedulableNodes: 1, free: 8 });
  });

  it('says plainly when no node has as many GPUs as a replica asks for', () => {
    const capacity = computeGpuCapacity([node('h1', 'NVIDIA-H100-80GB-HBM3', 8)], []);
    const condition = capacityCondition({
      gpuType: 'nvidia-h100',
      gpuCount: 16,
      desired: 1,
      pods: [],
      capacity,
    });
    expect(condition).toMatchObject({ status: 'False', reason: 'NoMatchingNodes' });
    expect(condition.message).toMatch(
      /^no node has 16 nvidia-h100 GPUs: .* the largest nvidia-h100 node has 8;/,
    );
  });
});
