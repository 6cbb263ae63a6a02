import { z } from 'zod';

const GPU_PROFILE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):([1-9][0-9]*)$/;

/** Most GPUs one replica may ask for: a replica runs on one node. */
export const MAX_GPUS_PER_REPLICA = 16;

/** `type:count`, e.g. `nvidia-h100:2`. */
export const gpuProfile = () =>
  z
    .string()
    .regex(GPU_PROFILE, {
      error: 'must be "<gpu-type>:<count>", e.g. "nvidia-h100:2" or "nvidia-l4:1"',
    })
    .refine((v) => (tryParseGpuProfile(v)?.count ?? 0) <= MAX_GPUS_PER_REPLICA, {
      error: `a replica may use at most ${MAX_GPUS_PER_REPLICA} GPUs (one node)`,
    });

export interface GpuProfile {
  /** GPU type as written, e.g. `nvidia-h100`; engines map it to node labels. */
  type: string;
  /** GPUs per replica. */
  count: number;
}

/** Splits `nvidia-h100:2` into `{ type: 'nvidia-h100', count: 2 }`; throws if malformed. */
export function parseGpuProfile(value: string): GpuProfile {
  const parsed = tryParseGpuProfile(value);
  if (!parsed) throw new Error(`invalid GPU profile "${value}"`);
  return parsed;
}

/** Like parseGpuProfile, but undefined for a malformed profile. */
export function tryParseGpuProfile(value: string): GpuProfile | undefined {
  const match = GPU_PROFILE.exec(value);
  return match ? { type: match[1]!, count: Number(match[3]) } : undefined;
}

/** Profiles whose count has been read: a request's cost needs it, on every request. */
const COUNTS = new Map<string, number>();
const COUNTS_MAX = 1_000;

/**
 * GPUs per replica of a profile (`nvidia-h100:2` → 2), remembered per profile string; throws
 * if malformed. Bounded (emptied when full): profiles come from validated Model specs.
 */
export function gpuCount(value: string): number {
  let n = COUNTS.get(value);
  if (n === undefined) {
    n = parseGpuProfile(value).count;
    if (COUNTS.size >= COUNTS_MAX) COUNTS.clear();
    COUNTS.set(value, n);
  }
  return n;
}
