// Mutable per-simulator state: counters and the active faults with their seeded draws.
import type { ProviderSimFaults, ProviderSimStats, ReceivedRequest } from '../types.js';
import { createRng, hashString, type Rng } from '@bascule/engine-sim';
import { kindForServerStatus, type SimErrorSpec } from './sim-error.js';

const MAX_BODIES = 200;

export class SimState {
  private counters: ProviderSimStats = { requests: 0, byPath: {}, inputTokens: 0, outputTokens: 0 };
  private bodies: ReceivedRequest[] = [];
  private active: ProviderSimFaults = {};
  private faultCount = 0;
  private faultRng: Rng;
  private readonly seed: number;

  constructor(seed: number, faults: ProviderSimFaults = {}) {
    this.seed = seed;
    this.faultRng = createRng(hashString(seed, 'faults'));
    this.setFaults(faults);
  }

  recordRequest(path: string): void {
    this.counters.requests++;
    this.counters.byPath[path] = (this.counters.byPath[path] ?? 0) + 1;
  }

  recordUsage(inputTokens: number, outputTokens: number): void {
    this.counters.inputTokens += inputTokens;
    this.counters.outputTokens += outputTokens;
  }

  /** Keeps the most recent request bodies (bounded), for tests that check what arrived. */
  recordBody(path: string, body: unknown, headers: Omit<ReceivedRequest, 'path' | 'body'>): void {
    this.bodies.push({ path, body, ...headers });
    if (this.bodies.length > MAX_BODIES) this.bodies.shift();
  }

  received(): readonly ReceivedRequest[] {
    return [...this.bodies];
  }

  stats(): ProviderSimStats {
    return { ...this.counters, byPath: { ...this.counters.byPath } };
  }

  resetStats(): void {
    this.counters = { requests: 0, byPath: {}, inputTokens: 0, outputTokens: 0 };
    this.bodies = [];
  }

  setFaults(faults: ProviderSimFaults): void {
    this.active = { ...faults };
    this.faultCount = 0;
    this.faultRng = createRng(hashString(this.seed, 'faults'));
  }

  faults(): ProviderSimFaults {
    return { ...this.active };
  }

  /** Counts one authenticated request and decides whether a fault answers it instead. */
  drawFault(): SimErrorSpec | undefined {
    this.faultCount++;
    const f = this.active;
    if (f.rateLimitEvery && f.rateLimitEvery > 0 && this.faultCount % f.rateLimitEvery === 0) {
      return {
        status: 429,
        kind: 'rate_limit',
        message: 'Rate limit reached for requests (simulated).',
        code: 'rate_limit_exceeded',
        retryAfterSeconds: f.retryAfterSeconds ?? 1,
      };
    }
    if (f.errorRate && f.errorRate > 0 && this.faultRng() < f.errorRate) {
      const status = f.status ?? 500;
      return {
        status,
        kind: kindForServerStatus(status),
        message: 'Injected upstream error (simulated).',
      };
    }
    return undefined;
  }
}
