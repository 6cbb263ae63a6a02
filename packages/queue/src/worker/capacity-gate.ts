/** A slot of self-hosted capacity held by one job; release it when the request ends. */
export interface CapacityLease {
  model: string;
  release(): void;
}

/**
 * Decides whether a job may run on self-hosted capacity now. Workers ask before sending a job
 * to a Model, so queued work only uses headroom the interactive traffic leaves free.
 */
export interface CapacityGate {
  /** A lease when the target (a Route or Model name) has a free slot now. */
  tryAcquire(target: string): CapacityLease | undefined;
  /** Resolves when capacity may have changed, after at most `ms`, or on abort. */
  waitForChange(target: string, ms: number, signal?: AbortSignal): Promise<void>;
}

/** Resolves after `ms` or on abort. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
