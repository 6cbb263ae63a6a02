/**
 * Admission leases (docs/decisions/0034-admission-leases.md): a gateway admits a busy key's
 * requests from admissions it took in Redis ahead of time, so the request path makes no Redis
 * round trip. Pure: the lease is state, the functions take the time.
 *
 * A lease is what AUTH_SCRIPT granted for `want` requests at once: exactly the admissions those
 * requests would have got one by one (rpm slots counted, budget reserved at the key's largest
 * cost), so a lease never lets more through than asking one by one, on one replica or many.
 * What a lease changes is when the other replicas see it:
 *   - it holds for at most LEASE_MS and never past its minute (rpm and tpm count by minute);
 *   - slots it did not use are given back (rpm slot and reservation) when it ends;
 *   - a key with nothing counted (no rpm, no budget) gets `slots = Infinity`: the lease only
 *     remembers that the key is valid, and a revocation ends it at once (a message on the
 *     revocation channel) or, if that message is lost, when it expires;
 *   - tpm counts this gateway's own tokens since the lease, other replicas' from the next one.
 */
import type { KeyPrincipal } from './key-authenticator.js';

/** How long a lease holds at most: the bound on a lost revocation message, and on tpm lag. */
export const LEASE_MS = 1000;
/** Most admissions one lease asks for (AUTH_SCRIPT grants at most a twentieth of what remains). */
export const LEASE_SLOTS_MAX = 64;

export interface AdmissionLease {
  readonly principal: KeyPrincipal;
  /** Ends at (ms): LEASE_MS after the admission, or the end of its minute if sooner. */
  readonly expiresAt: number;
  /** Admissions left (Infinity when nothing is counted). */
  slots: number;
  /** Admissions taken from this lease, the first (the request that asked) included. */
  used: number;
  /** USD reserved per admission (the key's largest cost when leased). */
  readonly est: number;
  /** Budget period bucket ('' without a budget) and minute bucket the admissions count in. */
  readonly period: string;
  readonly minute: string;
  readonly tpm: number;
  /** The minute's tokens when leased, plus this gateway's settled since. */
  tpmUsed: number;
}

/**
 * How many admissions the next lease asks for: twice what the last one used (demand doubles
 * while a lease runs out within its time, and falls back when it does not), between 1 and
 * LEASE_SLOTS_MAX. AUTH_SCRIPT grants at most a twentieth of what remains of the key's rpm
 * and budget, so near a limit admissions go one at a time.
 */
export function leaseWant(last: AdmissionLease | undefined): number {
  if (!last) return 1;
  return Math.min(LEASE_SLOTS_MAX, Math.max(1, 2 * last.used));
}

/** Takes one admission from the lease if it still holds one at `now`. */
export function takeAdmission(lease: AdmissionLease, now: number): boolean {
  if (now >= lease.expiresAt || lease.slots < 1) return false;
  if (lease.tpm > 0 && lease.tpmUsed >= lease.tpm) return false;
  lease.slots -= 1;
  lease.used += 1;
  return true;
}

/** When a lease granted at `at` ends: LEASE_MS later, or at the end of its minute. */
export function leaseExpiry(at: number): number {
  return Math.min(at + LEASE_MS, at - (at % 60_000) + 60_000);
}

/** The unused part of a lease, given back when it ends (none when nothing was counted). */
export function unusedSlots(lease: AdmissionLease): number {
  return Number.isFinite(lease.slots) ? lease.slots : 0;
}
