// The controller runtime of @bascule/kube against kube-sim over real HTTP: informer events
// mapped to keys, status written through the memo (once per change), leader-only workers on a
// real Lease, and Events through the recorder.
import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';
import {
  EventRecorder,
  Manager,
  StatusMemo,
  createInformer,
  createKubeClient,
  kubeLeaseBackend,
  type KubeClient,
  type Reconciler,
} from '@bascule/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from '../kube-sim/api-harness.js';
import { waitFor } from '@bascule/test-support';

const NS = 'default';
const pod = (name: string, gen: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, labels: { gen } },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

/** A reconciler that records its keys (for the leader-election case). */
function recording(keys: string[]): Reconciler & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'recording',
    calls,
    keys: () => keys,
    reconcile: (key) => {
      calls.push(key);
      return Promise.resolve();
    },
  };
}

describe('controller runtime on kube-sim over HTTP', () => {
  let h: ApiHarness;
  let client: KubeClient;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    h = await startApiHarness();
    client = createKubeClient({ kubeconfig: h.kubeconfig });
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await h?.close();
  });

  it('maps pod events to keys and writes a changed status once, skipping unchanged ones', async () => {
    const informer = createInformer<V1Pod>({
      config: client.config,
      path: `/api/v1/namespaces/${NS}/pods`,
      list: () => client.core.listNamespacedPod({ namespace: NS }),
      onEvent: (event, object) => manager.dispatch('pods', event, object),
    });
    const manager = new Manager({ informers: [informer] });
    const memo = new StatusMemo<V1PodStatus>((a, b) => a?.message === b?.message);
    let writes = 0;
    const reconciles: string[] = [];
    const reconciler: Reconciler = {
      name: 'pod-message',
      keys: () => informer.list().map((p) => `${NS}/${p.metadata?.name}`),
      async reconcile(key) {
        reconciles.push(key);
        const name = key.split('/')[1]!;
        const cached = informer.get(name, NS);
        if (!cached) return;
        const previous = memo.current(key, cached.status);
        const next = { ...previous, message: `gen=${cached.metadata?.labels?.gen}` };
        await memo.write(key, previous, next, async (status) => {
          writes++;
          await client.core.patchNamespacedPodStatus(
            { name, namespace: NS, body: { status } },
            setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
          );
        });
        // Until the informer delivers the write, the memo answers for the cache.
        expect(memo.current(key, cached.status)?.message).toBe(next.message);
      },
    };
    manager.add(reconciler).watch<V1Pod>('pods', (event, object, q) => {
      const key = `${NS}/${object.metadata?.name}`;
      memo.forget(key);
      if (event === 'delete') q.forget(key);
      else q.add(key);
    });
    stops.push(() => manager.stop());
    await manager.start();
    expect(manager.isLeader()).toBe(true);

    await client.core.createNamespacedPod({ namespace: NS, body: pod('p1', '1') });
    const message = async () =>
      (await client.core.readNamespacedPod({ name: 'p1', namespace: NS })).status?.message;
    await waitFor('status written', async () => (await message()) === 'gen=1');
    // The write comes back through the informer and queues p1 again: that reconcile finds the
    // status unchanged and writes nothing.
    await waitFor('status seen back', () => reconciles.length >= 2);
    await waitFor(
      'cache has the status',
      () => informer.get('p1', NS)?.status?.message === 'gen=1',
    );
    manager.enqueueAll();
    await waitFor('resync reconciled', () => reconciles.length >= 3);
    expect(writes).toBe(1);

    await client.core.patchNamespacedPod(
      { name: 'p1', namespace: NS, body: { metadata: { labels: { gen: '2' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await waitFor('changed status written', async () => (await message()) === 'gen=2');
    expect(writes).toBe(2);
  });

  it('runs workers only on the Lease holder; the standby takes over when the leader stops', async () => {
    const lease = 'runtime-test';
    let standbyLooks = 0;
    const start = (identity: string, reconciler: Reconciler, onGet?: () => void) => {
      const real = kubeLeaseBackend(client.coordination, NS, lease);
      const manager = new Manager({
        informers: [],
        leaderElection: {
          backend: { ...real, get: () => (onGet?.(), real.get()) },
          identity,
          leaseDurationMs: 3_000,
          renewDeadlineMs: 2_000,
          retryPeriodMs: 100,
        },
      });
      const controller = manager.add(reconciler);
      stops.push(() => manager.stop());
      return { manager, controller, started: manager.start() };
    };
    const ra = recording([`${NS}/all`]);
    const a = start('a', ra);
    await a.started;
    await waitFor('a leads', () => a.manager.isLeader());
    await waitFor('a reconciles on becoming leader', () => ra.calls.includes(`${NS}/all`));

    const rb = recording([`${NS}/all`]);
    const b = start('b', rb, () => standbyLooks++);
    await b.started;
    b.controller.queue.add(`${NS}/queued-on-standby`);
    await waitFor('b looked at the held lease', () => standbyLooks >= 3);
    expect(b.manager.isLeader()).toBe(false);
    expect(rb.calls).toEqual([]);
    expect(b.controller.queue.length).toBe(1);
    const held = await client.coordination.readNamespacedLease({ name: lease, namespace: NS });
    expect(held.spec?.holderIdentity).toBe('a');

    await a.manager.stop();
    await waitFor('b leads', () => b.manager.isLeader(), 5_000);
    await waitFor('b works its queue', () => rb.calls.length >= 2);
    expect(new Set(rb.calls)).toEqual(new Set([`${NS}/all`, `${NS}/queued-on-standby`]));
  });

  it('records Events; one the API server refuses is reported, never thrown', async () => {
    const failed: string[] = [];
    const recorder = new EventRecorder(client.core, (_err, event) =>
      failed.push(event.reason ?? ''),
    );
    const event = (reason: string, namespace = NS): CoreV1Event => ({
      metadata: { generateName: 'p1.', namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p1', namespace },
      type: 'Normal',
      reason,
      message: `${reason} happened`,
    });
    expect(await recorder.record([event('First'), event('Second')])).toBe(2);
    const list = await client.core.listNamespacedEvent({ namespace: NS });
    const reasons = list.items.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['First', 'Second']));

    expect(await recorder.record([event('Lost', 'no-such-namespace'), event('Third')])).toBe(1);
    expect(failed).toEqual(['Lost']);
  });
});
