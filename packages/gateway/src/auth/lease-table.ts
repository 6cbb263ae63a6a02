import {
  LEASE_MS,
  leaseWant,
  takeAdmission,
  unusedSlots,
  type AdmissionLease,
} from './admission-lease.js';
import type { Settle } from './settle-batch.js';

/**
 * A gateway's admission leases by record key (ADR 0034; the rules are in admission-lease.ts).
 * One request per key at a time renews its lease (`renew` … `renewed`), the others ask Redis
 * for one admission each meanwhile. Leases are used only while the revocation channel is
 * subscribed (`setLive`); losing it ends them all. Whatever a lease did not use goes back to
 * Redis through `giveBack` (a settle of slots and reservation) when it ends: at expiry (the
 * sweep), on a revocation, when it is replaced, or at close.
 */
export class LeaseTable {
  private readonly leases = new Map<string, AdmissionLease>();
  private readonly recordOf = new Map<string, string>();
  /** Renewals in flight, with the epoch they were asked in. */
  private readonly renewing = new Map<string, number>();
  /**
   * Bumped by every revocation and every loss of the channel: a renewal asked before it may
   * have been answered before the revocation reached Redis, its reply arriving after the
   * message (two connections, either order), so its lease is given back, not used.
   */
  private epoch = 0;
  private live = false;

  constructor(
    private readonly giveBack: (s: Settle) => void,
    private readonly now: () => number,
  ) {}

  /** The lease that admits one more request for `recordKey` now, if any. */
  take(recordKey: string): AdmissionLease | undefined {
    if (!this.live) return undefined;
    const lease = this.leases.get(recordKey);
    return lease && takeAdmission(lease, this.now()) ? lease : undefined;
  }

  /**
   * How many admissions this request asks Redis for: the next lease's size if it is the one to
   * renew the key's lease (then `renewed` must follow), else undefined (ask for one).
   */
  renew(recordKey: string): number | undefined {
    if (!this.live || this.renewing.has(recordKey)) return undefined;
    this.renewing.set(recordKey, this.epoch);
    return leaseWant(this.leases.get(recordKey));
  }

  /** The renewing request's answer: its new lease, or undefined (refused, failed). */
  renewed(recordKey: string, lease: AdmissionLease | undefined): void {
    const askedIn = this.renewing.get(recordKey);
    this.renewing.delete(recordKey);
    this.end(recordKey);
    if (!lease) return;
    if (!this.live || askedIn !== this.epoch) {
      this.giveBackUnused(lease);
      return;
    }
    this.leases.set(recordKey, lease);
    this.recordOf.set(lease.principal.keyId, recordKey);
  }

  /**
   * A request admitted under key `id` ended: its tokens count against the lease's tpm; a cost
   * above what the lease reserved per admission ends it (the next admission sees the spend).
   */
  settled(id: string, minute: string, tokens: number, costUSD: number): void {
    const recordKey = this.recordOf.get(id);
    const lease = recordKey === undefined ? undefined : this.leases.get(recordKey);
    if (!lease) return;
    if (lease.minute === minute) lease.tpmUsed += tokens;
    if (lease.period !== '' && costUSD > lease.est) this.end(recordKey!);
  }

  /** Key `id` was revoked: its lease ends now. */
  revoked(id: string): void {
    this.epoch++;
    const recordKey = this.recordOf.get(id);
    if (recordKey !== undefined) this.end(recordKey);
  }

  /** The revocation channel is subscribed (true) or lost (false: every lease ends). */
  setLive(live: boolean): void {
    this.live = live;
    if (!live) {
      this.epoch++;
      this.endAll();
    }
  }

  /** Gives back what expired leases left, and forgets leases long expired. */
  sweep(): void {
    const now = this.now();
    for (const [recordKey, lease] of this.leases) {
      if (now < lease.expiresAt) continue;
      this.giveBackUnused(lease);
      // kept one more period: the next renewal sizes itself on this one's use
      if (now >= lease.expiresAt + LEASE_MS) this.end(recordKey);
    }
  }

  endAll(): void {
    for (const recordKey of [...this.leases.keys()]) this.end(recordKey);
  }

  get size(): number {
    return this.leases.size;
  }

  /** Renewals asked and not answered yet. */
  get renewals(): number {
    return this.renewing.size;
  }

  private end(recordKey: string): void {
    const lease = this.leases.get(recordKey);
    if (!lease) return;
    this.giveBackUnused(lease);
    this.leases.delete(recordKey);
    if (this.recordOf.get(lease.principal.keyId) === recordKey)
      this.recordOf.delete(lease.principal.keyId);
  }

  private giveBackUnused(lease: AdmissionLease): void {
    const slots = unusedSlots(lease);
    if (slots > 0)
      this.giveBack({
        id: lease.principal.keyId,
        period: lease.period,
        est: slots * lease.est,
        costUSD: 0,
        tokens: 0,
        minute: lease.minute,
        slots,
      });
    lease.slots = 0;
  }
}
