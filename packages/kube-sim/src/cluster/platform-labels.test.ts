import { describe, expect, it } from 'vitest';
import { buildNodes } from './build-nodes.js';
import { parseNodeSpec } from './parse-node-spec.js';

const labels = (spec: string, platform: 'gfd' | 'gke' | 'eks') =>
  buildNodes(parseNodeSpec(spec), { platform }).map((n) => n.metadata.labels ?? {});

describe('nodes labelled like a platform', () => {
  it('gke: accelerator, node pool and machine type; no GPU feature discovery labels', () => {
    const [h100, l4, cpu] = labels('h100:1x8,l4:1x1,cpu:1', 'gke');
    expect(h100).toMatchObject({
      'cloud.google.com/gke-accelerator': 'nvidia-h100-80gb',
      'cloud.google.com/gke-nodepool': 'gpu-h100-8',
      'node.kubernetes.io/instance-type': 'a3-highgpu-8g',
    });
    expect(l4!['node.kubernetes.io/instance-type']).toBe('g2-standard-8');
    expect(Object.keys(h100!).filter((k) => k.startsWith('nvidia.com/'))).toEqual([]);
    expect(cpu!['cloud.google.com/gke-accelerator']).toBeUndefined();
  });

  it('eks: EC2 instance type and node group; no GPU feature discovery labels', () => {
    const [a10g, h200] = labels('a10g:1x4,h200:1x8', 'eks');
    expect(a10g).toMatchObject({
      'node.kubernetes.io/instance-type': 'g5.12xlarge',
      'eks.amazonaws.com/nodegroup': 'gpu-a10g-4',
    });
    expect(h200!['node.kubernetes.io/instance-type']).toBe('p5e.48xlarge');
    expect(a10g!['nvidia.com/gpu.product']).toBeUndefined();
  });

  it('gfd (the default): the GPU operator labels', () => {
    expect(labels('l4:1x1', 'gfd')[0]!['nvidia.com/gpu.product']).toBe('NVIDIA-L4');
  });

  it('refuses GPUs or GPU counts the platform does not sell, naming what it has', () => {
    expect(() => labels('a10g:1x1', 'gke')).toThrow(/GKE has no a10g GPUs \(it has: h100,/);
    expect(() => labels('h100:1x4', 'eks')).toThrow('EKS has no machine with 4 h100 GPUs (1, 8)');
  });
});
