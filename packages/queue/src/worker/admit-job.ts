import { UnrecoverableError } from 'bullmq';
import type { QueuedRequest } from '../queues/job-data.js';
import type { CapacityGate, CapacityLease } from './capacity-gate.js';
import type { TargetPolicy } from './target-policy.js';

export type Admission =
  { external: false; lease: CapacityLease } | { external: true } | { handBack: true };

export interface AdmitOptions {
  gate: CapacityGate;
  policy: TargetPolicy;
  /** Expected time to serve one request of this target (ms). */
  estimateMs: number;
  /** Extra slack before the deadline (ms). */
  marginMs: number;
  now: () => number;
  /** Aborted on shutdown: the job is handed back. */
  signal: AbortSignal;
}

/** Thrown when a job cannot meet its deadline and may not leave the cluster. */
export class DeadlineError extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/**
 * Waits until the job may run: on self-hosted capacity when the gate grants a slot; on the
 * Route's closed target once waiting longer would miss the deadline (if the Route allows);
 * never past the deadline, anywhere: such a job fails with the reason instead.
 */
export async function admitJob(job: QueuedRequest, o: AdmitOptions): Promise<Admission> {
  for (;;) {
    const lease = o.gate.tryAcquire(job.target);
    if (lease) return { external: false, lease };
    let wait = 250;
    if (job.deadline !== undefined) {
      const now = o.now();
      const lateAt = job.deadline - o.estimateMs - o.marginMs;
      // Past the deadline a job goes nowhere, not even to the closed API: its result would come
      // too late (a batch line is already reported as expired), and the call would be billed.
      if (now >= job.deadline)
        throw new DeadlineError(
          o.policy.canGoExternal
            ? 'deadline_exceeded: the deadline passed before the job could start'
            : `deadline_exceeded: no self-hosted capacity before the deadline, and ${o.policy.privateReason ?? 'the target has no closed API'}`,
        );
      if (now >= lateAt && o.policy.canGoExternal) return { external: true };
      wait = Math.max(1, Math.min(wait, (o.policy.canGoExternal ? lateAt : job.deadline) - now));
    }
    if (o.signal.aborted) return { handBack: true };
    await o.gate.waitForChange(job.target, wait, o.signal);
    if (o.signal.aborted) return { handBack: true };
  }
}
