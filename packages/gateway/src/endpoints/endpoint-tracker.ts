/** Live, per-process state of each endpoint: in-flight requests and passive-health ejection. */
export interface EndpointState {
  inFlight: number;
  /** Clock time until which the endpoint receives no requests. */
  ejectedUntil: number;
  consecutiveFailures: number;
}

export interface EndpointTrackerOptions {
  /** Milliseconds clock (injected in tests). */
  now?: () => number;
  /** Cooldown after a connection refusal or a 5xx. */
  ejectMs?: number;
}

/**
 * Counts in-flight requests per endpoint and per Model, ejects failing endpoints for a cooldown,
 * and wakes requests waiting for headroom when a slot frees up.
 */
export class EndpointTracker {
  private readonly states = new Map<string, EndpointState>();
  private readonly modelInFlight = new Map<string, number>();
  private readonly modelOverflowing = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly latency = new Map<string, number>();
  readonly now: () => number;
  readonly ejectMs: number;

  constructor(opts: EndpointTrackerOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.ejectMs = opts.ejectMs ?? 10_000;
  }

  state(id: string): EndpointState {
    let s = this.states.get(id);
    if (!s) {
      s = { inFlight: 0, ejectedUntil: 0, consecutiveFailures: 0 };
      this.states.set(id, s);
    }
    return s;
  }

  inFlight(id: string): number {
    return this.states.get(id)?.inFlight ?? 0;
  }

  modelInFlightCount(model: string): number {
    return this.modelInFlight.get(model) ?? 0;
  }

  allModelInFlight(): ReadonlyMap<string, number> {
    return this.modelInFlight;
  }

  /**
   * Demand per Model: requests in flight plus requests waiting for headroom (a request waiting
   * for a cold Model is what tells the autoscaler to scale it up from zero).
   */
  demand(): Map<string, number> {
    const out = new Map(this.modelInFlight);
    for (const [m, w] of this.waiters) if (w.size > 0) out.set(m, (out.get(m) ?? 0) + w.size);
    return out;
  }

  /**
   * Marks requests that wanted these Models but overflowed to a provider, until the returned
   * function is called (when the request ends): the autoscaler counts them as demand, so a Route
   * that overflows a cold Model still scales it up and traffic comes back.
   */
  beginOverflow(models: readonly string[]): () => void {
    for (const m of models) this.modelOverflowing.set(m, (this.modelOverflowing.get(m) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const m of models) {
        const n = (this.modelOverflowing.get(m) ?? 0) - 1;
        if (n > 0) this.modelOverflowing.set(m, n);
        else this.modelOverflowing.delete(m);
      }
    };
  }

  /** Requests per Model that overflowed away and are still in flight. */
  overflowDemand(): Map<string, number> {
    return new Map(this.modelOverflowing);
  }

  isEjected(id: string): boolean {
    const s = this.states.get(id);
    return s !== undefined && s.ejectedUntil > this.now();
  }

  /** Lets an ejected endpoint take requests again now, keeping its failure count (backoff). */
  endEjection(id: string): void {
    const s = this.states.get(id);
    if (s) s.ejectedUntil = 0;
  }

  /** True when the Model has ready endpoints and every one of them is ejected. */
  allEjected(endpoints: readonly { id: string; ready: boolean }[]): boolean {
    let ready = 0;
    for (const e of endpoints) {
      if (!e.ready) continue;
      if (!this.isEjected(e.id)) return false;
      ready++;
    }
    return ready > 0;
  }

  acquire(model: string, id: string): void {
    this.state(id).inFlight++;
    this.modelInFlight.set(model, (this.modelInFlight.get(model) ?? 0) + 1);
  }

  release(model: string, id: string): void {
    const s = this.state(id);
    if (s.inFlight > 0) s.inFlight--;
    const m = (this.modelInFlight.get(model) ?? 1) - 1;
    this.modelInFlight.set(model, Math.max(0, m));
    this.wake(model);
  }

  succeeded(id: string): void {
    const s = this.states.get(id);
    if (s) {
      s.consecutiveFailures = 0;
      s.ejectedUntil = 0;
    }
  }

  /** Passive health: stop sending to `id` for the cooldown. */
  eject(model: string, id: string): void {
    const s = this.state(id);
    s.consecutiveFailures++;
    // Repeated failures back off: 1x, 2x, 4x ... up to 8x the cooldown.
    s.ejectedUntil = this.now() + this.ejectMs * Math.min(8, 2 ** (s.consecutiveFailures - 1));
    this.wake(model);
  }

  /**
   * Ends an ejection early: the endpoint has just turned ready again (its pod restarted or was
   * replaced and passed its readiness probe), so the failures that ejected it are history.
   */
  readmit(id: string): void {
    const s = this.states.get(id);
    if (!s) return;
    s.ejectedUntil = 0;
    s.consecutiveFailures = 0;
  }

  /** Exponentially weighted mean latency of the Model's requests (ms), if any finished yet. */
  meanLatencyMs(model: string): number | undefined {
    return this.latency.get(model);
  }

  observeLatency(model: string, ms: number): void {
    const old = this.latency.get(model);
    this.latency.set(model, old === undefined ? ms : old * 0.9 + ms * 0.1);
  }

  /** Resolves true when a slot may have freed up for `model`, false after `ms` or on abort. */
  waitForChange(model: string, ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let set = this.waiters.get(model);
      if (!set) this.waiters.set(model, (set = new Set()));
      const done = (v: boolean): void => {
        clearTimeout(timer);
        set.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const wake = (): void => done(true);
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      set.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Requests of `model` waiting for headroom in this process. */
  waitingCount(model: string): number {
    return this.waiters.get(model)?.size ?? 0;
  }

  /** Wakes every waiter of `model` (a slot freed, or its endpoints changed). */
  wake(model: string): void {
    const set = this.waiters.get(model);
    if (!set || set.size === 0) return;
    // Wake one waiter per call for releases would be fairer; waking all lets each re-decide.
    for (const w of [...set]) w();
  }
}
