/** What the calibration needs to know about a GPU type. */
export interface GpuProfile {
  key: string;
  /** Memory per GPU in GiB. */
  memoryGiB: number;
  /** HBM/GDDR bandwidth in TB/s (scales the memory-bound terms b0 and b2). */
  bandwidthTBs: number;
  /** Dense BF16/FP16 tensor throughput in TFLOP/s (scales the compute-bound term b1). */
  tflops: number;
}

/** Public datasheet figures. Order matters for matching: longer keys first (l40s before l4). */
export const GPU_PROFILES: readonly GpuProfile[] = [
  { key: 'b200', memoryGiB: 180, bandwidthTBs: 8, tflops: 2250 },
  { key: 'h200', memoryGiB: 141, bandwidthTBs: 4.8, tflops: 989 },
  { key: 'h100', memoryGiB: 80, bandwidthTBs: 3.35, tflops: 989 },
  { key: 'a100', memoryGiB: 80, bandwidthTBs: 2.04, tflops: 312 },
  { key: 'l40s', memoryGiB: 48, bandwidthTBs: 0.864, tflops: 362 },
  { key: 'a10g', memoryGiB: 24, bandwidthTBs: 0.6, tflops: 70 },
  { key: 'l4', memoryGiB: 24, bandwidthTBs: 0.3, tflops: 121 },
  { key: 't4', memoryGiB: 16, bandwidthTBs: 0.32, tflops: 65 },
];

/**
 * Maps a GPU name as people and nodes write it ('h100', 'nvidia-h100:2',
 * 'NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-40GB', 'NVIDIA-L4') to a profile, or undefined.
 */
export function findGpuProfile(name: string): GpuProfile | undefined {
  const n = name.toLowerCase();
  const found = GPU_PROFILES.find((p) => new RegExp(`(^|[^a-z0-9])${p.key}([^0-9]|$)`).test(n));
  if (!found) return undefined;
  if (found.key === 'a100' && /40\s*gb/.test(n)) return { ...found, memoryGiB: 40 };
  return found;
}
