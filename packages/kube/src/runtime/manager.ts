/**
 * Runs a set of controllers that share informers: starts the informers on every replica (so
 * caches are warm when this one takes over), runs leader election, opens the workers' gate
 * only while this replica holds the Lease, queues every key on becoming leader and on each
 * resync, and fans informer events out to the controllers' watches.
 */
import type { InformerEvent } from '../informer/create-informer.js';
import { LeaderElector, type LeaderElectionOptions } from '../leader-election.js';
import type { WorkQueueOptions } from '../queue/work-queue.js';
import { Controller } from './controller.js';
import { LeaderGate } from './leader-gate.js';
import type { Reconciler } from './reconciler.js';

export interface ManagerOptions {
  /** Started (and waited for) before any worker runs; stopped last. */
  informers: readonly { start(): Promise<void>; stop(): Promise<void> }[];
  /** Lease-based leader election; without it this replica leads at once. */
  leaderElection?: Omit<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading'>;
  /** Every key of every controller is queued again this often (default 10 min). */
  resyncPeriodMs?: number;
  /** After the informers' first lists, before workers and leader election start. */
  onSynced?: () => void;
  /** Leadership gained or lost (not called for the release at stop without election). */
  onLeadingChange?: (leading: boolean) => void;
}

export class Manager {
  readonly gate = new LeaderGate();
  private readonly controllers: Controller[] = [];
  private readonly elector: LeaderElector | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: ManagerOptions) {
    const le = options.leaderElection;
    this.elector = le
      ? new LeaderElector({
          ...le,
          onStartedLeading: () => this.setLeading(true),
          onStoppedLeading: () => this.setLeading(false),
        })
      : undefined;
  }

  /** Adds a reconciler; its watches are declared on the returned controller. */
  add(reconciler: Reconciler, options: { workers?: number; queue?: WorkQueueOptions } = {}) {
    const controller = new Controller({ reconciler, gate: this.gate, ...options });
    this.controllers.push(controller);
    return controller;
  }

  /** Hands one informer event to every controller watching `source`. */
  dispatch(source: string, event: InformerEvent, object: unknown): void {
    for (const c of this.controllers) c.handle(source, event, object);
  }

  isLeader(): boolean {
    return this.gate.isLeading();
  }

  /** Queues every key of every controller (only while leading). */
  enqueueAll(): void {
    for (const c of this.controllers) c.enqueueAll();
  }

  async start(): Promise<void> {
    await Promise.all(this.options.informers.map((i) => i.start()));
    this.options.onSynced?.();
    for (const c of this.controllers) c.start();
    this.resyncTimer = setInterval(() => this.enqueueAll(), this.options.resyncPeriodMs ?? 600_000);
    this.resyncTimer.unref();
    if (this.elector) this.elector.start();
    else this.setLeading(true);
  }

  /** Graceful stop: no new work, reconciles in flight finish, the Lease is released. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.gate.shutDown();
    await Promise.all(this.controllers.map((c) => c.stop()));
    await this.elector?.stop();
    this.gate.set(false);
    await Promise.all(this.options.informers.map((i) => i.stop()));
  }

  private setLeading(value: boolean): void {
    this.gate.set(value);
    this.options.onLeadingChange?.(value);
    if (value) this.enqueueAll();
  }
}
