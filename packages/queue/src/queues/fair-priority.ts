/** Job classes, most urgent first: interactive overflow > async jobs > batch lines. */
export const JOB_CLASSES = ['interactive', 'async', 'batch'] as const;
export type JobClass = (typeof JOB_CLASSES)[number];

/** BullMQ's largest priority (lower runs first; 0 would bypass priorities altogether). */
export const MAX_PRIORITY = 2_097_151;
const SPAN = Math.floor(MAX_PRIORITY / JOB_CLASSES.length);

/**
 * Fair priority (docs/decisions/0005-queue-fairness.md): within its class, a tenant's job is
 * ranked by how many of that tenant's jobs are already waiting on the same queue. Equal ranks
 * run in arrival order, so tenants take turns: a tenant with a million queued lines does not
 * hold back another tenant's first job. Ranks past the class span share its last value.
 */
export function fairPriority(cls: JobClass, rank: number): number {
  const base = JOB_CLASSES.indexOf(cls) * SPAN;
  return base + 1 + Math.min(Math.max(0, Math.floor(rank)), SPAN - 1);
}
