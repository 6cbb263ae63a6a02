import { describe, expect, it } from 'vitest';
import { buildNodes } from './build-nodes.js';
import type { Node, Pod } from './kube-types.js';
import { parseNodeSpec } from './parse-node-spec.js';
import { nodeUsage, schedulePod } from './schedule-pod.js';

const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' };

function pod(name: string, gpus: number, extra: Partial<Pod['spec']> = {}, nodeName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'c',
          resources: {
            requests: { cpu: '1', memory: '1Gi' },
            limits: gpus ? { 'nvidia.com/gpu': gpus } : {},
          },
        },
      ],
      tolerations: [gpuToleration],
      ...extra,
      ...(nodeName ? { nodeName } : {}),
    },
  };
}

const nodes: Node[] = buildNodes(parseNodeSpec('h100:2x8,l4:4x1'));

describe('schedulePod', () => {
  it('places a GPU pod on a node with enough free GPUs, bin-packing', () => {
    const usage = nodeUsage([pod('a', 4, {}, 'node-h100-1')]);
    expect(schedulePod(pod('b', 2), nodes, usage)).toEqual({ nodeName: 'node-h100-1' });
    expect(schedulePod(pod('c', 8), nodes, usage)).toEqual({ nodeName: 'node-h100-0' });
  });

  it('explains why nothing fits, like the real scheduler', () => {
    const selector = { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' };
    const result = schedulePod(pod('big', 16, { nodeSelector: selector }), nodes, new Map());
    expect(result).toEqual({
      message:
        "0/6 nodes are available: 2 Insufficient nvidia.com/gpu, 4 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.',
    });
  });

  it('keeps pods without the toleration off tainted GPU nodes', () => {
    const result = schedulePod(pod('x', 1, { tolerations: [] }), nodes, new Map());
    expect(result.nodeName).toBeUndefined();
    expect('message' in result && result.message).toMatch(
      /^0\/6 nodes are available: 6 node\(s\) had untolerated taint \{nvidia.com\/gpu: present\}\./,
    );
  });

  it('honours node affinity, unschedulable nodes and pod count', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-L4'] },
              ],
            },
          ],
        },
      },
    };
    const cordoned = nodes.map((n) =>
      n.metadata.name === 'node-l4-0' ? { ...n, spec: { ...n.spec, unschedulable: true } } : n,
    );
    expect(schedulePod(pod('l', 1, { affinity }), cordoned, new Map())).toEqual({
      nodeName: 'node-l4-1',
    });
    const busy = nodeUsage(
      ['node-l4-1', 'node-l4-2', 'node-l4-3'].map((n, i) => pod(`p${i}`, 1, {}, n)),
    );
    const result = schedulePod(pod('l2', 1, { affinity }), cordoned, busy);
    expect('message' in result && result.message).toContain(
      "0/6 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient nvidia.com/gpu.",
    );
  });

  it('reports every insufficient resource of a node', () => {
    const hungry = pod('h', 1);
    hungry.spec.containers[0]!.resources!.requests = { cpu: '1000', memory: '100Ti' };
    const result = schedulePod(hungry, nodes.slice(0, 1), new Map());
    expect('message' in result && result.message).toMatch(
      /^0\/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory\./,
    );
  });

  it('does not count finished pods against a node', () => {
    const done = pod('done', 8, {}, 'node-h100-0');
    done.status = { phase: 'Succeeded' };
    expect(nodeUsage([done]).size).toBe(0);
  });
});
