import { describe, expect, it } from 'vitest';
import {
  LEASE_MS,
  LEASE_SLOTS_MAX,
  leaseExpiry,
  leaseWant,
  takeAdmission,
  type AdmissionLease,
} from './admission-lease.js';
import { LeaseTable } from './lease-table.js';
import type { Settle } from './settle-batch.js';

const T = Date.UTC(2026, 11, 6, 8, 30, 15);
const lease = (over: Partial<AdmissionLease> = {}): AdmissionLease => ({
  principal: { keyId: 'key_a', name: 'a', tenant: 't', role: 'user' },
  expiresAt: T + LEASE_MS,
  slots: 3,
  used: 1,
  est: 0.5,
  period: '2026-12',
  minute: '2026-12-06T08:30',
  tpm: 0,
  tpmUsed: 0,
  ...over,
});

describe('admission lease rules', () => {
  it('asks for twice what the last lease used, within 1..max', () => {
    expect(leaseWant(undefined)).toBe(1);
    expect(leaseWant(lease({ used: 1 }))).toBe(2);
    expect(leaseWant(lease({ used: 20 }))).toBe(40);
    expect(leaseWant(lease({ used: 1000 }))).toBe(LEASE_SLOTS_MAX);
  });

  it('admits while slots, time and tpm remain', () => {
    const l = lease({ slots: 2 });
    expect(takeAdmission(l, T)).toBe(true);
    expect(takeAdmission(l, T)).toBe(true);
    expect(takeAdmission(l, T)).toBe(false); // slots spent
    expect(l).toMatchObject({ slots: 0, used: 3 });
    expect(takeAdmission(lease(), T + LEASE_MS)).toBe(false); // expired
    expect(takeAdmission(lease({ tpm: 100, tpmUsed: 100 }), T)).toBe(false);
    expect(takeAdmission(lease({ tpm: 100, tpmUsed: 99 }), T)).toBe(true);
    expect(takeAdmission(lease({ slots: Number.POSITIVE_INFINITY }), T)).toBe(true);
  });

  it('ends LEASE_MS after it was granted, or at the end of its minute', () => {
    expect(leaseExpiry(T)).toBe(T + LEASE_MS);
    const late = Date.UTC(2026, 11, 6, 8, 30, 59, 500);
    expect(leaseExpiry(late)).toBe(Date.UTC(2026, 11, 6, 8, 31, 0));
  });
});

describe('LeaseTable', () => {
  function table() {
    const given: Settle[] = [];
    let now = T;
    const t = new LeaseTable(
      (s) => given.push(s),
      () => now,
    );
    t.setLive(true);
    return { t, given, at: (ms: number) => (now = ms) };
  }

  it('one request at a time renews a key, and only the renewing one installs its lease', () => {
    const { t } = table();
    expect(t.renew('rec')).toBe(1);
    expect(t.renew('rec')).toBeUndefined(); // another request meanwhile asks for one
    t.renewed('rec', lease({ slots: 1 }));
    expect(t.take('rec')).toBeDefined();
    expect(t.take('rec')).toBeUndefined();
    expect(t.renew('rec')).toBe(4); // the last lease was used twice
  });

  it('gives back what an expired lease did not use, with its reservation', () => {
    const { t, given, at } = table();
    t.renew('rec');
    t.renewed('rec', lease({ slots: 3 }));
    t.take('rec');
    at(T + LEASE_MS);
    t.sweep();
    expect(given).toEqual([
      {
        id: 'key_a',
        period: '2026-12',
        est: 1,
        costUSD: 0,
        tokens: 0,
        minute: '2026-12-06T08:30',
        slots: 2,
      },
    ]);
    t.sweep();
    expect(given).toHaveLength(1); // given back once
    expect(t.size).toBe(1); // kept a period for sizing the next
    at(T + 2 * LEASE_MS);
    t.sweep();
    expect(t.size).toBe(0);
  });

  it('a revocation, a lost channel or a cost above the reservation ends the lease at once', () => {
    const { t, given } = table();
    t.renew('rec');
    t.renewed('rec', lease({ slots: 3 }));
    t.revoked('key_a');
    expect(t.take('rec')).toBeUndefined();
    expect(given.at(-1)?.slots).toBe(3);

    t.renew('rec');
    t.renewed('rec', lease({ slots: 3 }));
    t.setLive(false);
    expect(given.at(-1)?.slots).toBe(3);
    expect(t.renew('rec')).toBeUndefined(); // not live: every request asks Redis, no lease
    t.setLive(true);

    t.renew('rec');
    t.renewed('rec', lease({ slots: 3 }));
    t.settled('key_a', '2026-12-06T08:30', 10, 0.4); // within the reservation: holds
    expect(t.take('rec')).toBeDefined();
    t.settled('key_a', '2026-12-06T08:30', 10, 0.9); // above it: ends
    expect(t.take('rec')).toBeUndefined();
    expect(given.at(-1)?.slots).toBe(2);
  });

  it('a renewal answered after a revocation (or a lost channel) is given back, not used', () => {
    const { t, given } = table();
    expect(t.renew('rec')).toBe(1);
    t.revoked('key_other'); // any revocation: the reply may predate it in Redis
    t.renewed('rec', lease({ slots: 3 }));
    expect(t.take('rec')).toBeUndefined();
    expect(given.at(-1)?.slots).toBe(3);
    expect(t.renewals).toBe(0);

    expect(t.renew('rec')).toBe(1);
    t.setLive(false);
    t.setLive(true);
    t.renewed('rec', lease({ slots: 2 }));
    expect(t.take('rec')).toBeUndefined();
    expect(given.at(-1)?.slots).toBe(2);

    expect(t.renew('rec')).toBe(1); // undisturbed: installed
    t.renewed('rec', lease({ slots: 2 }));
    expect(t.take('rec')).toBeDefined();
  });

  it('counts this gateway’s tokens against the lease’s tpm', () => {
    const { t } = table();
    t.renew('rec');
    t.renewed('rec', lease({ slots: 10, tpm: 100, tpmUsed: 60, period: '' }));
    t.settled('key_a', '2026-12-06T08:30', 30, 0);
    expect(t.take('rec')).toBeDefined();
    t.settled('key_a', '2026-12-06T08:29', 30, 0); // another minute's tokens: not this lease's
    expect(t.take('rec')).toBeDefined();
    t.settled('key_a', '2026-12-06T08:30', 10, 0);
    expect(t.take('rec')).toBeUndefined();
  });
});
