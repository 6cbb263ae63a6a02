// kube-sim with a state file, stopped and started again: the Deployment and Service are the same
// objects, the Deployment's pods come back (new ones: the old processes are gone), the nodes come
// from the --nodes spec of the new start, and restored cluster IPs are not handed out again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESOURCES, type Pod } from './cluster/kube-types.js';
import { startKubeSim, type KubeSim } from './start-kube-sim.js';
import type { KubeObject } from './store/types.js';
import { waitFor } from '@bascule/test-support';

const dir = mkdtempSync(join(tmpdir(), 'kube-sim-restart-'));
const stateFile = join(dir, 'kube', 'state.json');
let sim: KubeSim | undefined;
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
};
const service = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
});

function readyPod(s: KubeSim): Pod | undefined {
  const pods = s.store.list(RESOURCES.pods, { labelSelector: 'app=web' }).items as Pod[];
  return pods.find((p) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

describe('startKubeSim with a state file', () => {
  it('restarts as the same cluster: objects kept, pods recreated, nodes from the new spec', async () => {
    sim = await startKubeSim({ nodes: 'cpu:1', port: 0, timeScale: 40, stateFile });
    const dep = sim.store.create(RESOURCES.deployments, web);
    const svc = sim.store.create(RESOURCES.services, service('web'));
    const firstPod = await readyPodWithin(sim, 'a ready pod');
    await sim.close();
    sim = undefined;

    sim = await startKubeSim({ nodes: 'cpu:2', port: 0, timeScale: 40, stateFile });
    expect(sim.restoredObjects).toBeGreaterThan(0);
    const again = sim.store.get(RESOURCES.deployments, 'default', 'web')!;
    expect(again.metadata.uid).toBe(dep.metadata.uid);
    expect(again.metadata.creationTimestamp).toBe(dep.metadata.creationTimestamp);
    expect(sim.store.list(RESOURCES.nodes).items.map((n) => n.metadata.name)).toEqual(
      sim.cluster.nodeNames,
    );
    expect(sim.cluster.nodeNames).toHaveLength(2);
    const pod = await readyPodWithin(sim, 'a ready pod after the restart');
    expect(pod.metadata.name).not.toBe(firstPod.metadata.name);
    const clusterIp = (o: KubeObject) => (o.spec as { clusterIP: string }).clusterIP;
    const kept = sim.store.get(RESOURCES.services, 'default', 'web')!;
    expect(clusterIp(kept)).toBe(clusterIp(svc));
    const other = sim.store.create(RESOURCES.services, service('other'));
    expect(clusterIp(other)).not.toBe(clusterIp(svc));
  }, 120_000);
});

/** Waits (deadline 60 s) until the cluster has a ready pod, and returns it. */
async function readyPodWithin(sim: Parameters<typeof readyPod>[0] | undefined, what: string) {
  return waitFor(what, () => readyPod(sim!), 60_000);
}
