/**
 * GPU types Bascule knows by name, with the `nvidia.com/gpu.product` label that NVIDIA GPU
 * feature discovery puts on nodes carrying them, and memory per GPU. `spec.gpus` may name other
 * types too; this table is what engines and the capacity view use to match nodes.
 */
export const KNOWN_GPU_TYPES: Readonly<Record<string, { product: string; memoryGiB: number }>> = {
  'nvidia-b200': { product: 'NVIDIA-B200', memoryGiB: 180 },
  'nvidia-h200': { product: 'NVIDIA-H200', memoryGiB: 141 },
  'nvidia-h100': { product: 'NVIDIA-H100-80GB-HBM3', memoryGiB: 80 },
  'nvidia-a100': { product: 'NVIDIA-A100-SXM4-80GB', memoryGiB: 80 },
  'nvidia-a100-40gb': { product: 'NVIDIA-A100-SXM4-40GB', memoryGiB: 40 },
  'nvidia-l40s': { product: 'NVIDIA-L40S', memoryGiB: 48 },
  'nvidia-l4': { product: 'NVIDIA-L4', memoryGiB: 24 },
  'nvidia-a10g': { product: 'NVIDIA-A10G', memoryGiB: 24 },
  'nvidia-t4': { product: 'Tesla-T4', memoryGiB: 16 },
};
