// GPU types kube-sim's nodes can carry, with the labels the NVIDIA GPU operator (GPU feature
// discovery) sets on such nodes, and the size of a typical cloud machine per GPU.

export interface GpuType {
  /** `nvidia.com/gpu.product` as GPU feature discovery writes it. */
  product: string;
  /** `nvidia.com/gpu.memory`, MiB per GPU. */
  memoryMiB: number;
  /** `nvidia.com/gpu.family`. */
  family: string;
  /** CPU cores and memory (GiB) of the host, per GPU (p5/p4d/g6-style machines). */
  cpuPerGpu: number;
  memoryGiBPerGpu: number;
}

export const GPU_TYPES: Record<string, GpuType> = {
  h100: {
    product: 'NVIDIA-H100-80GB-HBM3',
    memoryMiB: 81559,
    family: 'hopper',
    cpuPerGpu: 24,
    memoryGiBPerGpu: 256,
  },
  h200: {
    product: 'NVIDIA-H200',
    memoryMiB: 143771,
    family: 'hopper',
    cpuPerGpu: 24,
    memoryGiBPerGpu: 256,
  },
  a100: {
    product: 'NVIDIA-A100-SXM4-80GB',
    memoryMiB: 81920,
    family: 'ampere',
    cpuPerGpu: 12,
    memoryGiBPerGpu: 144,
  },
  'a100-40gb': {
    product: 'NVIDIA-A100-SXM4-40GB',
    memoryMiB: 40960,
    family: 'ampere',
    cpuPerGpu: 12,
    memoryGiBPerGpu: 144,
  },
  l40s: {
    product: 'NVIDIA-L40S',
    memoryMiB: 46068,
    family: 'ada-lovelace',
    cpuPerGpu: 16,
    memoryGiBPerGpu: 64,
  },
  l4: {
    product: 'NVIDIA-L4',
    memoryMiB: 23034,
    family: 'ada-lovelace',
    cpuPerGpu: 16,
    memoryGiBPerGpu: 64,
  },
  a10g: {
    product: 'NVIDIA-A10G',
    memoryMiB: 23028,
    family: 'ampere',
    cpuPerGpu: 16,
    memoryGiBPerGpu: 64,
  },
  t4: {
    product: 'Tesla-T4',
    memoryMiB: 15360,
    family: 'turing',
    cpuPerGpu: 8,
    memoryGiBPerGpu: 32,
  },
};

/** Size of a node without GPUs (`cpu:N` in a node spec). */
export const CPU_NODE = { cpu: 16, memoryGiB: 64 };
