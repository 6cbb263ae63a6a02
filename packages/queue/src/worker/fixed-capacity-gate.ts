import { pause, type CapacityGate, type CapacityLease } from './capacity-gate.js';

/**
 * At most `limit(target)` leases per target at once, in this process. For a worker that knows
 * its share of capacity but cannot see the gateway's in-flight counts.
 */
export function createFixedCapacityGate(
  limit: number | ((target: string) => number),
): CapacityGate {
  const held = new Map<string, number>();
  const waiters = new Map<string, Set<() => void>>();
  const max = typeof limit === 'number' ? () => limit : limit;
  const wake = (t: string): void => {
    for (const w of [...(waiters.get(t) ?? [])]) w();
  };
  return {
    tryAcquire(target): CapacityLease | undefined {
      const n = held.get(target) ?? 0;
      if (n >= max(target)) return undefined;
      held.set(target, n + 1);
      let done = false;
      return {
        model: target,
        release() {
          if (done) return;
          done = true;
          held.set(target, (held.get(target) ?? 1) - 1);
          wake(target);
        },
      };
    },
    async waitForChange(target, ms, signal) {
      let set = waiters.get(target);
      if (!set) waiters.set(target, (set = new Set()));
      const ctl = new AbortController();
      const w = (): void => ctl.abort();
      set.add(w);
      const onAbort = (): void => ctl.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      await pause(ms, ctl.signal);
      set.delete(w);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
