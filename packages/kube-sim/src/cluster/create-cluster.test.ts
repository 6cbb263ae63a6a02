// The cluster controllers on a real store, in-process: Deployments scheduled, pulled, started,
// probed, rolled out and rescheduled (stub nginx containers with real HTTP probes). Engine images
// are in create-cluster-engine-sim.test.ts; kubectl-driven tests in test/kube-sim/cluster-*.test.ts.
import { waitFor } from '@bascule/test-support';
import { describe, expect, it } from 'vitest';
import { deployment, ns, setup, theCluster, useClusterFixture } from './cluster-test-fixture.js';
import { findCondition, RESOURCES, type Node, type Pod } from './kube-types.js';
import { runProbe } from './run-probe.js';

useClusterFixture();
describe('createCluster', () => {
  it('runs a Deployment: scheduled, pulled, started, probed ready, Available, with EndpointSlices', async () => {
    const { store, pods, dep, available } = setup();
    store.create(RESOURCES.deployments, deployment('web', { replicas: 2 }));
    store.create(RESOURCES.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await waitFor('deployment available', () => available('web'), 15_000, 20);
    const running = pods('web');
    expect(running).toHaveLength(2);
    for (const pod of running) {
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(pod.status?.podIP).not.toBe('127.0.0.1');
      expect(pod.metadata.labels?.['pod-template-hash']).toBeTruthy();
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({
        ready: true,
        restartCount: 0,
        state: { running: {} },
      });
      const probe = await runProbe(
        { httpGet: { path: '/', port: 8080 } },
        pod.spec.containers[0]!,
        pod.status!.podIP!,
        1000,
      );
      expect(probe.ok).toBe(true);
    }
    expect(new Set(running.map((p) => p.status?.podIP)).size).toBe(2);
    const conditions = dep('web')?.status?.conditions?.map(
      (c) => `${c.type}=${c.status}/${c.reason}`,
    );
    expect(conditions).toEqual([
      'Available=True/MinimumReplicasAvailable',
      'Progressing=True/NewReplicaSetAvailable',
    ]);
    const slice = await waitFor(
      'ready endpoints',
      () => {
        const s = store.list(RESOURCES.endpointSlices, {
          namespace: ns,
          labelSelector: 'kubernetes.io/service-name=web',
        }).items[0] as
          | {
              endpoints?: { addresses: string[]; conditions: { ready: boolean } }[];
              ports?: unknown[];
            }
          | undefined;
        return s?.endpoints?.length === 2 && s.endpoints.every((e) => e.conditions.ready)
          ? s
          : undefined;
      },
      15_000,
      20,
    );
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints?.map((e) => e.addresses[0]).sort()).toEqual(
      running.map((p) => p.status?.podIP).sort(),
    );
    const reasons = new Set(
      store.list(RESOURCES.events, { namespace: ns }).items.map((e) => e.reason as string),
    );
    for (const r of [
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
      'SuccessfulCreate',
      'ScalingReplicaSet',
    ]) {
      expect(reasons).toContain(r);
    }
  });

  it('rolls out a template change within maxSurge and deletes the old pods', async () => {
    const { store, pods, dep, available } = setup();
    store.create(RESOURCES.deployments, deployment('roll', { replicas: 2, gpus: 1 }));
    await waitFor('first rollout', () => available('roll'), 15_000, 20);
    const before = new Set(pods('roll').map((p) => p.metadata.name));
    let maxPods = 0;
    // Terminating pods do not count against maxSurge, as in the Deployment controller.
    const stop = store.watch(RESOURCES.pods, { namespace: ns, labelSelector: 'app=roll' }, () => {
      maxPods = Math.max(maxPods, pods('roll').filter((p) => !p.metadata.deletionTimestamp).length);
    });
    const d = dep('roll')!;
    d.spec.template.spec.containers[0]!.image = 'nginx:1.28';
    store.update(RESOURCES.deployments, d);
    await waitFor(
      'second rollout',
      () => available('roll') && pods('roll').every((p) => !before.has(p.metadata.name)),
      30_000,
      20,
    );
    stop();
    expect(maxPods).toBeLessThanOrEqual(3);
    expect(pods('roll').map((p) => p.spec.containers[0]!.image)).toEqual([
      'nginx:1.28',
      'nginx:1.28',
    ]);
    const rss = store.list(RESOURCES.replicaSets, { namespace: ns }).items;
    expect(rss.map((rs) => (rs.spec as { replicas: number }).replicas).sort()).toEqual([0, 2]);
    expect(dep('roll')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('leaves pods Pending with the scheduler reason until GPUs free up', async () => {
    const { store, pods, available } = setup('h100:1x8,l4:2x1');
    store.create(
      RESOURCES.deployments,
      deployment('big', { gpus: 8, product: 'NVIDIA-H100-80GB-HBM3' }),
    );
    await waitFor('big available', () => available('big'), 15_000, 20);
    store.create(
      RESOURCES.deployments,
      deployment('more', { gpus: 4, product: 'NVIDIA-H100-80GB-HBM3' }),
    );
    const pending = await waitFor(
      'unschedulable',
      () => {
        const c = pods('more')[0]?.status?.conditions?.find((x) => x.type === 'PodScheduled');
        return c?.status === 'False' ? c : undefined;
      },
      15_000,
      20,
    );
    expect(pending.reason).toBe('Unschedulable');
    expect(pending.message).toMatch(
      /^0\/3 nodes are available: 1 Insufficient nvidia.com\/gpu, 2 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
    const event = store
      .list(RESOURCES.events, { namespace: ns })
      .items.find((e) => e.reason === 'FailedScheduling');
    expect(event?.message).toBe(pending.message);
    store.delete(RESOURCES.deployments, ns, 'big');
    await waitFor('more available', () => available('more'), 15_000, 20);
    expect(pods('more')[0]?.spec.nodeName).toBe('node-h100-0');
  });

  it('reschedules the pods of a node taken down, and restarts a crashed container', async () => {
    const { store, pods, available } = setup('l4:2x1');
    store.create(RESOURCES.deployments, deployment('svc', { gpus: 1 }));
    await waitFor('available', () => available('svc'), 15_000, 20);
    const first = pods('svc')[0]!;
    theCluster().setNodeState(first.spec.nodeName!, 'down');
    const moved = await waitFor(
      'rescheduled',
      () => {
        // The evicted pod stays Terminating while its node is unreachable.
        const p = pods('svc').filter((x) => !x.metadata.deletionTimestamp);
        return p.length === 1 &&
          p[0]!.metadata.name !== first.metadata.name &&
          p[0]!.status?.phase === 'Running'
          ? p[0]
          : undefined;
      },
      15_000,
      20,
    );
    expect(moved.spec.nodeName).not.toBe(first.spec.nodeName);
    const node = store.get(RESOURCES.nodes, undefined, first.spec.nodeName!) as Node;
    expect(findCondition(node.status?.conditions, 'Ready')?.status).toBe('Unknown');
    await waitFor('available again', () => available('svc'), 15_000, 20);

    // Crash by annotation, as `kubectl annotate pod X sim.bascule.dev/crash=now` does.
    const pod = store.get(RESOURCES.pods, ns, moved.metadata.name)!;
    pod.metadata.annotations = {
      ...(pod.metadata.annotations ?? {}),
      'sim.bascule.dev/crash': 'now',
    };
    store.update(RESOURCES.pods, pod);
    const restarted = await waitFor(
      'restart',
      () => {
        const p = store.get(RESOURCES.pods, ns, moved.metadata.name) as Pod | undefined;
        const s = p?.status?.containerStatuses?.[0];
        return s && s.restartCount === 1 && s.ready ? s : undefined;
      },
      15_000,
      20,
    );
    expect(restarted.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(
      store.get(RESOURCES.pods, ns, moved.metadata.name)?.metadata.annotations?.[
        'sim.bascule.dev/crash'
      ],
    ).toBeUndefined();

    theCluster().setNodeState(first.spec.nodeName!, 'up');
    await waitFor(
      'node ready',
      () => {
        const n = store.get(RESOURCES.nodes, undefined, first.spec.nodeName!) as Node;
        return findCondition(n.status?.conditions, 'Ready')?.status === 'True';
      },
      15_000,
      20,
    );
  });
});

describe('node deletion', () => {
  it('deletes the pods of a deleted node, and their Deployment replaces them elsewhere', async () => {
    const { store, pods, available } = setup('l4:2x1');
    store.create(RESOURCES.deployments, deployment('gone', { gpus: 1 }));
    await waitFor('available', () => available('gone'), 15_000, 20);
    const first = pods('gone')[0]!;
    store.delete(RESOURCES.nodes, undefined, first.spec.nodeName!);
    const moved = await waitFor(
      'replaced',
      () => {
        const p = pods('gone');
        return p.length === 1 && p[0]!.metadata.name !== first.metadata.name ? p[0] : undefined;
      },
      15_000,
      20,
    );
    expect(moved.spec.nodeName ?? '').not.toBe(first.spec.nodeName);
    await waitFor('available again', () => available('gone'), 15_000, 20);
  });
});
