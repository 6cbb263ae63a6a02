import { BatchScheduler } from '../engine/batch-scheduler.js';
import type { EventClock } from './event-clock.js';
import type { ReplayScenario } from './replay-scenario.js';

export type ReplicaState = 'starting' | 'ready' | 'draining' | 'gone';

/**
 * One simulated engine replica: engine-sim's continuous-batching scheduler on the replay's
 * clock. It holds its GPUs from creation (while the model loads) until it is gone.
 */
export class SimReplica {
  state: ReplicaState = 'starting';
  inFlight = 0;
  removedAt: number | undefined;
  readonly scheduler: BatchScheduler;

  constructor(
    readonly id: number,
    readonly createdAt: number,
    readonly scenario: ReplayScenario,
    clock: EventClock,
  ) {
    this.scheduler = new BatchScheduler({
      coefficients: scenario.coefficients,
      maxNumSeqs: scenario.model.spec.maxConcurrency,
      kvCapacityTokens: scenario.kvCapacityTokens,
      clock,
    });
  }

  /** Takes no more requests; gone once the last one finishes. */
  drain(now: number): void {
    if (this.state === 'gone') return;
    this.state = 'draining';
    if (this.inFlight === 0) this.remove(now);
  }

  remove(now: number): void {
    this.state = 'gone';
    this.removedAt = now;
    this.scheduler.stop();
  }

  /** GPU-milliseconds held within [0, horizon]. */
  gpuMs(horizon: number): number {
    const end = Math.min(this.removedAt ?? horizon, horizon);
    return Math.max(0, end - this.createdAt);
  }
}
