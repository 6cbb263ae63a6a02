import { describe, expect, it } from 'vitest';
import { buildNodes, GPU_TAINT } from './build-nodes.js';
import { parseNodeSpec } from './parse-node-spec.js';
import { parseCpuMillis, parseQuantity } from './quantity.js';

describe('parseNodeSpec', () => {
  it('parses groups of GPU and CPU nodes', () => {
    expect(parseNodeSpec('h100:2x8, l4:4x1,cpu:1,a100:3')).toEqual([
      { type: 'h100', count: 2, gpusPerNode: 8 },
      { type: 'l4', count: 4, gpusPerNode: 1 },
      { type: 'cpu', count: 1, gpusPerNode: 0 },
      { type: 'a100', count: 3, gpusPerNode: 1 },
    ]);
  });

  it.each([
    ['', /empty node spec/],
    ['h100', /is not TYPE:COUNTxGPUS/],
    ['v100:1x8', /unknown GPU type "v100"/],
    ['h100:0x8', /node count/],
    ['h100:1x0', /GPUs per node/],
    ['cpu:1x2', /cpu nodes take no GPU count/],
  ])('rejects %j with a message naming --nodes', (spec, message) => {
    expect(() => parseNodeSpec(spec)).toThrow(message);
    expect(() => parseNodeSpec(spec)).toThrow(/--nodes/);
  });
});

describe('buildNodes', () => {
  it('gives GPU nodes capacity, NVIDIA labels, the GPU taint and a Ready condition', () => {
    const nodes = buildNodes(parseNodeSpec('h100:2x8,l4:1x1,cpu:1'));
    expect(nodes.map((n) => n.metadata.name)).toEqual([
      'node-h100-0',
      'node-h100-1',
      'node-l4-0',
      'node-cpu-0',
    ]);
    const h100 = nodes[0]!;
    expect(h100.status?.capacity?.['nvidia.com/gpu']).toBe('8');
    expect(h100.status?.allocatable?.['nvidia.com/gpu']).toBe('8');
    expect(h100.metadata.labels).toMatchObject({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
      'nvidia.com/gpu.count': '8',
      'kubernetes.io/hostname': 'node-h100-0',
    });
    expect(h100.spec?.taints).toEqual([GPU_TAINT]);
    expect(h100.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(nodes[2]!.metadata.labels?.['nvidia.com/gpu.product']).toBe('NVIDIA-L4');
    const cpu = nodes[3]!;
    expect(cpu.status?.capacity?.['nvidia.com/gpu']).toBeUndefined();
    expect(cpu.spec?.taints).toBeUndefined();
    const addresses = new Set(nodes.map((n) => n.status?.addresses?.[0]?.address));
    expect(addresses.size).toBe(4);
  });

  it('can leave the GPU taint off', () => {
    expect(
      buildNodes(parseNodeSpec('a100:1x8'), { gpuTaint: false })[0]!.spec?.taints,
    ).toBeUndefined();
  });
});

describe('quantities', () => {
  it('parses binary and decimal suffixes and millicores', () => {
    expect(parseQuantity('16Gi')).toBe(16 * 2 ** 30);
    expect(parseQuantity('1500M')).toBe(1.5e9);
    expect(parseQuantity('2e3')).toBe(2000);
    expect(parseCpuMillis('500m')).toBe(500);
    expect(parseCpuMillis('2')).toBe(2000);
    expect(parseCpuMillis(0.25)).toBe(250);
    expect(() => parseQuantity('12 cores')).toThrow(/quantities must match/);
  });
});
