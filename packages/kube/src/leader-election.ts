import type { CoordinationV1Api, V1Lease } from '@kubernetes/client-node';
import { isNotFound, toKubeError } from './kube-error.js';

/** What the elector needs from a Lease: the fields client-go's resourcelock uses. */
export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: Date;
  renewTime: Date;
  leaseTransitions: number;
  /** Opaque version for optimistic concurrency (the Lease's resourceVersion). */
  version?: string;
}

/** Storage of one lease; `update` must fail when `record.version` is stale. */
export interface LeaseBackend {
  get(): Promise<LeaseRecord | undefined>;
  create(record: LeaseRecord): Promise<void>;
  update(record: LeaseRecord): Promise<void>;
}

export interface LeaderElectionOptions {
  backend: LeaseBackend;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  now?: () => number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  onError?: (err: unknown) => void;
}

/**
 * Lease-based leader election with client-go's semantics: acquire when the lease is free or
 * expired, renew every retry period, give up leadership when renewals fail for the renew
 * deadline, and release the lease (holder cleared, duration 1s) on stop.
 */
export class LeaderElector {
  private readonly o: Required<
    Omit<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading' | 'onError'>
  > &
    LeaderElectionOptions;
  private leading = false;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(options: LeaderElectionOptions) {
    this.o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      now: () => Date.now(),
      ...options,
    };
    if (this.o.renewDeadlineMs >= this.o.leaseDurationMs) {
      throw new Error('leader election: renewDeadlineMs must be less than leaseDurationMs');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops trying; if leading, releases the lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const current = await this.o.backend.get();
      if (current?.holderIdentity === this.o.identity) {
        const now = new Date(this.o.now());
        await this.o.backend.update({
          ...current,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: now,
        });
      }
    } catch (err) {
      this.o.onError?.(err);
    }
  }

  /** One attempt to acquire or renew; exposed for tests that drive the elector step by step. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.now();
    const mine: LeaseRecord = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: new Date(now),
      renewTime: new Date(now),
      leaseTransitions: 0,
    };
    const current = await this.o.backend.get();
    if (!current) {
      await this.o.backend.create(mine);
      return true;
    }
    const held = current.holderIdentity !== '' && current.holderIdentity !== this.o.identity;
    const expiresAt = current.renewTime.getTime() + current.leaseDurationSeconds * 1000;
    if (held && expiresAt > now) return false;
    const sameHolder = current.holderIdentity === this.o.identity;
    await this.o.backend.update({
      ...mine,
      version: current.version,
      acquireTime: sameHolder ? current.acquireTime : mine.acquireTime,
      leaseTransitions: sameHolder ? current.leaseTransitions : current.leaseTransitions + 1,
    });
    return true;
  }

  private tick(): void {
    if (!this.running) return;
    this.inFlight = this.attempt().finally(() => {
      if (this.running) this.timer = setTimeout(() => this.tick(), this.o.retryPeriodMs);
    });
  }

  private async attempt(): Promise<void> {
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch (err) {
      this.o.onError?.(err);
    }
    if (!this.running) return;
    const now = this.o.now();
    if (ok) {
      this.lastRenew = now;
      this.setLeading(true);
    } else if (this.leading && now - this.lastRenew >= this.o.renewDeadlineMs) {
      this.setLeading(false);
    }
  }

  private setLeading(value: boolean): void {
    if (value === this.leading) return;
    this.leading = value;
    if (value) this.o.onStartedLeading?.();
    else this.o.onStoppedLeading?.();
  }
}

/** A LeaseBackend on a `coordination.k8s.io/v1` Lease. */
export function kubeLeaseBackend(
  api: CoordinationV1Api,
  namespace: string,
  name: string,
): LeaseBackend {
  const toBody = (r: LeaseRecord): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(r.version ? { resourceVersion: r.version } : {}) },
    spec: {
      holderIdentity: r.holderIdentity,
      leaseDurationSeconds: r.leaseDurationSeconds,
      acquireTime: r.acquireTime,
      renewTime: r.renewTime,
      leaseTransitions: r.leaseTransitions,
    },
  });
  return {
    async get() {
      try {
        const lease = await api.readNamespacedLease({ name, namespace });
        const spec = lease.spec ?? {};
        return {
          holderIdentity: spec.holderIdentity ?? '',
          leaseDurationSeconds: spec.leaseDurationSeconds ?? 15,
          acquireTime: new Date(spec.acquireTime ?? 0),
          renewTime: new Date(spec.renewTime ?? 0),
          leaseTransitions: spec.leaseTransitions ?? 0,
          version: lease.metadata?.resourceVersion,
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw toKubeError(err, `read lease ${namespace}/${name}`);
      }
    },
    async create(record) {
      try {
        await api.createNamespacedLease({ namespace, body: toBody(record) });
      } catch (err) {
        throw toKubeError(err, `create lease ${namespace}/${name}`);
      }
    },
    async update(record) {
      try {
        await api.replaceNamespacedLease({ name, namespace, body: toBody(record) });
      } catch (err) {
        throw toKubeError(err, `update lease ${namespace}/${name}`);
      }
    },
  };
}
