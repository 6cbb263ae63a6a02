import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
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
