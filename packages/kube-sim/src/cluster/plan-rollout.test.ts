import { describe, expect, it } from 'vitest';
import { computeDeploymentStatus, type RsCounts } from './deployment-status.js';
import { planRollout, resolveFenceposts, type RsState } from './plan-rollout.js';
import { podTemplateHash, templatesEqual } from './pod-template-hash.js';

const rs = (
  name: string,
  replicas: number,
  available: number,
  createdAt = '2026-01-01T00:00:00Z',
): RsState => ({
  name,
  replicas,
  current: replicas,
  available,
  createdAt,
});

/** Runs the rollout to completion, making every pod available at once; returns the steps taken. */
function simulate(
  replicas: number,
  maxSurge: number | string,
  maxUnavailable: number | string,
  oldReplicas: number,
) {
  let newRs = rs('new', 0, 0, '2026-01-02T00:00:00Z');
  let old = rs('old', oldReplicas, oldReplicas);
  const steps: [number, number][] = [];
  for (let i = 0; i < 50 && (newRs.replicas !== replicas || old.replicas !== 0); i++) {
    const plan = planRollout({
      replicas,
      strategy: 'RollingUpdate',
      maxSurge,
      maxUnavailable,
      newRs,
      oldRss: [old],
    });
    newRs = rs('new', plan.get('new') ?? newRs.replicas, newRs.available, newRs.createdAt);
    old = rs(
      'old',
      plan.get('old') ?? old.replicas,
      Math.min(old.available, plan.get('old') ?? old.replicas),
    );
    steps.push([newRs.replicas, old.replicas]);
    const total = newRs.replicas + old.replicas;
    expect(total).toBeLessThanOrEqual(
      replicas + resolveFenceposts({ replicas, maxSurge, maxUnavailable }).maxSurge,
    );
    newRs = { ...newRs, available: newRs.replicas }; // the new pods become ready
  }
  return steps;
}

describe('planRollout', () => {
  it('surges one at a time with maxSurge=1, maxUnavailable=0', () => {
    expect(simulate(3, 1, 0, 3)).toEqual([
      [1, 3],
      [1, 2],
      [2, 2],
      [2, 1],
      [3, 1],
      [3, 0],
    ]);
  });

  it('replaces in place with maxSurge=0, maxUnavailable=1', () => {
    expect(simulate(2, 0, 1, 2)).toEqual([
      [0, 1],
      [1, 1],
      [1, 0],
      [2, 0],
    ]);
  });

  it('never scales old pods down while new ones are unavailable and maxUnavailable is 0', () => {
    const plan = planRollout({
      replicas: 2,
      strategy: 'RollingUpdate',
      maxSurge: 1,
      maxUnavailable: 0,
      newRs: rs('new', 1, 0),
      oldRss: [rs('old', 2, 2)],
    });
    expect(plan.size).toBe(0);
  });

  it('removes unhealthy old pods first', () => {
    const plan = planRollout({
      replicas: 3,
      strategy: 'RollingUpdate',
      maxSurge: 0,
      maxUnavailable: 1,
      newRs: rs('new', 0, 0),
      oldRss: [rs('old', 3, 1)],
    });
    // 2 old pods are unavailable; min available 2 allows 3 - 2 - 0 = 1 scale-down.
    expect(plan.get('old')).toBe(2);
  });

  it('follows spec.replicas when no rollout is under way, and Recreate empties old sets first', () => {
    expect(
      planRollout({
        replicas: 5,
        strategy: 'RollingUpdate',
        newRs: rs('new', 2, 2),
        oldRss: [],
      }).get('new'),
    ).toBe(5);
    const recreate = { replicas: 2, strategy: 'Recreate' as const, newRs: rs('new', 0, 0) };
    expect(planRollout({ ...recreate, oldRss: [rs('old', 2, 2)] })).toEqual(new Map([['old', 0]]));
    expect(planRollout({ ...recreate, oldRss: [{ ...rs('old', 0, 0), current: 1 }] }).size).toBe(0);
    expect(planRollout({ ...recreate, oldRss: [rs('old', 0, 0)] })).toEqual(new Map([['new', 2]]));
  });

  it('resolves percentages: surge up, unavailable down', () => {
    expect(resolveFenceposts({ replicas: 10, maxSurge: '25%', maxUnavailable: '25%' })).toEqual({
      maxSurge: 3,
      maxUnavailable: 2,
    });
    expect(resolveFenceposts({ replicas: 1 })).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts({ replicas: 1, maxSurge: 0, maxUnavailable: 0 })).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });
});

describe('computeDeploymentStatus', () => {
  const counts = (name: string, spec: number, ready: number): RsCounts => ({
    name,
    specReplicas: spec,
    replicas: spec,
    readyReplicas: ready,
    availableReplicas: ready,
  });
  const base = {
    generation: 2,
    replicas: 2,
    strategy: 'RollingUpdate' as const,
    progressDeadlineSeconds: 600,
    oldRss: [],
    progressed: false,
    msPerSecond: 1000,
  };

  it('reports NewReplicaSetAvailable and MinimumReplicasAvailable when complete', () => {
    const s = computeDeploymentStatus({
      ...base,
      newRs: counts('web-abc', 2, 2),
      previous: undefined,
      now: new Date(0),
    });
    expect(s).toMatchObject({
      observedGeneration: 2,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 0,
    });
    expect(s.conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      [
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        'ReplicaSet "web-abc" has successfully progressed.',
      ],
    ]);
  });

  it('reports a new ReplicaSet, then times out progressing after the deadline', () => {
    const created = computeDeploymentStatus({
      ...base,
      newRs: counts('web-new', 1, 0),
      oldRss: [counts('web-old', 0, 0)],
      newRsEvent: 'created',
      progressed: true,
      previous: undefined,
      now: new Date(0),
    });
    const p = created.conditions.find((c) => c.type === 'Progressing');
    expect([p?.reason, p?.message]).toEqual([
      'NewReplicaSetCreated',
      'Created new replica set "web-new"',
    ]);
    expect(created.conditions.find((c) => c.type === 'Available')?.reason).toBe(
      'MinimumReplicasUnavailable',
    );
    const stalled = computeDeploymentStatus({
      ...base,
      newRs: counts('web-new', 1, 0),
      previous: created,
      now: new Date(601_000),
    });
    const q = stalled.conditions.find((c) => c.type === 'Progressing');
    expect([q?.status, q?.reason]).toEqual(['False', 'ProgressDeadlineExceeded']);
    const waiting = computeDeploymentStatus({
      ...base,
      newRs: counts('web-new', 1, 0),
      previous: created,
      now: new Date(5_000),
    });
    expect(waiting.conditions).toEqual(created.conditions);
  });
});

describe('podTemplateHash', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
  };
  it('is stable, ignores key order and the hash label, and changes with the template', () => {
    const h = podTemplateHash(template);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(
      podTemplateHash({
        spec: template.spec,
        metadata: { labels: { app: 'web', 'pod-template-hash': h } },
      }),
    ).toBe(h);
    expect(
      podTemplateHash({ ...template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }),
    ).not.toBe(h);
    expect(podTemplateHash(template, 1)).not.toBe(h);
    expect(
      templatesEqual(template, {
        spec: template.spec,
        metadata: { labels: { 'pod-template-hash': 'x', app: 'web' } },
      }),
    ).toBe(true);
  });
});
