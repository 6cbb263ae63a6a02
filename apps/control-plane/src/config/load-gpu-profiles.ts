import { readFileSync } from 'node:fs';
import { DEFAULT_GPU_PROFILES, type GpuProfileTable } from '@bascule/engines';
import { z } from 'zod';

const TolerationSchema = z.strictObject({
  key: z.string().min(1).optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().nonnegative().optional(),
});

/** A GPU profile file: GPU type (as in spec.gpus) -> nodeSelector, anyOf and tolerations. */
export const GpuProfileFileSchema = z.record(
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'GPU type must be a DNS label' }),
  z
    .strictObject({
      nodeSelector: z.record(z.string().min(1), z.string()).default({}),
      anyOf: z
        .array(
          z
            .record(z.string().min(1), z.array(z.string()).min(1, { error: 'needs a value' }))
            .refine((m) => Object.keys(m).length > 0, { error: 'needs at least one label' }),
        )
        .optional(),
      tolerations: z.array(TolerationSchema).default([]),
    })
    .refine((p) => Object.keys(p.nodeSelector).length > 0 || (p.anyOf?.length ?? 0) > 0, {
      error: 'needs at least one label (nodeSelector or anyOf)',
      path: ['nodeSelector'],
    }),
);

/**
 * Reads `--gpu-profiles` (JSON): its types are added to the defaults, replacing those with the
 * same name. Throws an Error naming the file and the bad field.
 */
export function loadGpuProfiles(path: string): GpuProfileTable {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = GpuProfileFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { ...DEFAULT_GPU_PROFILES, ...parsed.data };
}
