// A controller's work queue: keys are enqueued from watch events and reconciled one at a time
// per key, deduplicated, off the watch callback (the store delivers events synchronously inside
// writes). A reconcile may ask to run again after a delay; failures retry with backoff.

export type ReconcileResult = void | { requeueAfterMs?: number };

export interface WorkQueue {
  add(key: string): void;
  addAfter(key: string, delayMs: number): void;
  /** Resolves when nothing is queued or running (for tests and orderly shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export interface WorkQueueOptions {
  name: string;
  reconcile: (key: string) => ReconcileResult | Promise<ReconcileResult>;
  onError?: (key: string, error: unknown) => void;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const dirty = new Set<string>();
  const running = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const failures = new Map<string, number>();
  let scheduled = false;
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  const checkIdle = () => {
    if (dirty.size === 0 && running.size === 0 && !scheduled) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  const pump = () => {
    scheduled = false;
    if (closed) return;
    for (const key of [...dirty]) {
      if (running.has(key)) continue;
      dirty.delete(key);
      running.add(key);
      void run(key);
    }
    checkIdle();
  };

  const schedule = () => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(pump);
  };

  const run = async (key: string) => {
    try {
      const result = await options.reconcile(key);
      failures.delete(key);
      if (result && result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const n = (failures.get(key) ?? 0) + 1;
      failures.set(key, n);
      options.onError?.(key, error);
      queue.addAfter(key, Math.min(5_000, 5 * 2 ** Math.min(n, 10)));
    } finally {
      running.delete(key);
      if (dirty.has(key)) schedule();
      checkIdle();
    }
  };

  const queue: WorkQueue = {
    add(key) {
      if (closed) return;
      dirty.add(key);
      schedule();
    },
    addAfter(key, delayMs) {
      if (closed) return;
      if (delayMs <= 0) return queue.add(key);
      const existing = timers.get(key);
      if (existing) clearTimeout(existing);
      const t = setTimeout(() => {
        timers.delete(key);
        queue.add(key);
      }, delayMs);
      t.unref();
      timers.set(key, t);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
    close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      dirty.clear();
      checkIdle();
    },
  };
  return queue;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
