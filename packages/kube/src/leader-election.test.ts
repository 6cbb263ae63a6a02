import { describe, expect, it } from 'vitest';
import { LeaderElector, type LeaseBackend, type LeaseRecord } from './leader-election.js';

/** An in-memory lease with optimistic concurrency, like the API server's. */
function memoryLease(): LeaseBackend & { record?: LeaseRecord } {
  let version = 0;
  const backend: LeaseBackend & { record?: LeaseRecord } = {
    get: () => Promise.resolve(backend.record && { ...backend.record }),
    create: (r) => {
      if (backend.record) return Promise.reject(new Error('AlreadyExists'));
      backend.record = { ...r, version: String(++version) };
      return Promise.resolve();
    },
    update: (r) => {
      if (!backend.record || r.version !== backend.record.version)
        return Promise.reject(new Error('Conflict'));
      backend.record = { ...r, version: String(++version) };
      return Promise.resolve();
    },
  };
  return backend;
}

describe('LeaderElector', () => {
  it('lets exactly one of two candidates hold a fresh lease', async () => {
    let now = 1_000_000;
    const backend = memoryLease();
    const a = new LeaderElector({ backend, identity: 'a', now: () => now });
    const b = new LeaderElector({ backend, identity: 'b', now: () => now });
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    now += 14_000;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(backend.record?.holderIdentity).toBe('a');
  });

  it('takes over an expired lease and counts the transition', async () => {
    let now = 0;
    const backend = memoryLease();
    const a = new LeaderElector({ backend, identity: 'a', now: () => now });
    const b = new LeaderElector({ backend, identity: 'b', now: () => now });
    await a.tryAcquireOrRenew();
    now += 15_001;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(backend.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('keeps acquireTime and transitions when the holder renews', async () => {
    let now = 5_000;
    const backend = memoryLease();
    const a = new LeaderElector({ backend, identity: 'a', now: () => now });
    await a.tryAcquireOrRenew();
    now += 2_000;
    await a.tryAcquireOrRenew();
    expect(backend.record?.acquireTime.getTime()).toBe(5_000);
    expect(backend.record?.renewTime.getTime()).toBe(7_000);
    expect(backend.record?.leaseTransitions).toBe(0);
  });

  it('releases the lease on stop so a peer acquires at once', async () => {
    const backend = memoryLease();
    const events: string[] = [];
    const a = new LeaderElector({
      backend,
      identity: 'a',
      onStartedLeading: () => events.push('a+'),
      onStoppedLeading: () => events.push('a-'),
    });
    a.start();
    await expect.poll(() => a.isLeader(), { timeout: 5_000 }).toBe(true);
    await a.stop();
    expect(events).toEqual(['a+', 'a-']);
    expect(backend.record?.holderIdentity).toBe('');
    const b = new LeaderElector({ backend, identity: 'b' });
    expect(await b.tryAcquireOrRenew()).toBe(true);
  });

  it('rejects a renew deadline longer than the lease', () => {
    expect(
      () =>
        new LeaderElector({
          backend: memoryLease(),
          identity: 'x',
          leaseDurationMs: 5,
          renewDeadlineMs: 10,
        }),
    ).toThrow(/renewDeadlineMs/);
  });
});
