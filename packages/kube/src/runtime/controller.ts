/**
 * One reconciler on the runtime: a rate-limited work queue fed by watches, and workers that
 * take keys from it only while the leader gate is open. A key is never reconciled by two
 * workers at once; a failure requeues it with exponential backoff, a success forgets its
 * failures and honours `requeueAfterMs`.
 */
import { KubeError } from '../kube-error.js';
import type { InformerEvent } from '../informer/create-informer.js';
import { WorkQueue, type WorkQueueOptions } from '../queue/work-queue.js';
import type { LeaderGate } from './leader-gate.js';
import type { KeyQueue, Reconciler, WatchHandler } from './reconciler.js';

export interface ControllerOptions {
  reconciler: Reconciler;
  gate: LeaderGate;
  /** Keys reconciled in parallel (default 1). */
  workers?: number;
  queue?: WorkQueueOptions;
}

/** Whether a failed reconcile is worth retrying: anything but a permanent API error. */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof KubeError) || err.retryable;
}

export class Controller {
  readonly queue: WorkQueue<string>;
  readonly reconciler: Reconciler;
  /** The queue as watch handlers see it. */
  readonly keys: KeyQueue;
  private readonly gate: LeaderGate;
  private readonly watches = new Map<string, WatchHandler[]>();
  private readonly workers: Promise<void>[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.reconciler = options.reconciler;
    this.gate = options.gate;
    this.queue = new WorkQueue<string>(options.queue);
    this.keys = {
      add: (key) => this.queue.add(key),
      forget: (key) => this.queue.forget(key),
      addAll: () => this.enqueueAll(),
    };
  }

  /** Maps events of `source` (an informer's name) to keys of this controller. */
  watch<O>(source: string, handler: WatchHandler<O>): this {
    const list = this.watches.get(source) ?? [];
    list.push(handler as WatchHandler);
    this.watches.set(source, list);
    return this;
  }

  /** Runs this controller's watch handlers for one informer event. */
  handle(source: string, event: InformerEvent, object: unknown): void {
    for (const handler of this.watches.get(source) ?? []) handler(event, object, this.keys);
  }

  /** Queues every key of the reconciler, only while leading. */
  enqueueAll(): void {
    if (!this.gate.isOpen()) return;
    for (const key of this.reconciler.keys()) this.queue.add(key);
  }

  start(): void {
    const n = Math.max(1, this.options.workers ?? 1);
    for (let i = 0; i < n; i++) this.workers.push(this.runWorker());
  }

  /** Stops taking keys and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      await this.gate.whenOpen();
      if (this.gate.isShutDown) return;
      const key = await this.queue.get();
      if (key === undefined) return;
      if (!this.gate.isOpen()) {
        // Leadership was lost while waiting: put the key back for the next leader term.
        this.queue.done(key);
        this.queue.add(key);
        continue;
      }
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const result = await this.reconciler.reconcile(key);
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      if (isRetryable(err)) {
        const delay = this.queue.addRateLimited(key);
        this.reconciler.onError?.(key, err, delay);
      } else {
        this.queue.forget(key);
        this.reconciler.onError?.(key, err, undefined);
      }
    } finally {
      this.queue.done(key);
    }
  }
}
