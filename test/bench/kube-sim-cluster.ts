// Benchmark: kube-sim's cluster behaviour on this machine. Creates a Deployment of N pods
// (stub containers with a real HTTP readiness probe, each on its own loopback IP) on a cluster of
// simulated nodes, and reports how long until all are Available, the rollout time of a template
// change, and memory per running pod.
//   pnpm exec tsx test/bench/kube-sim-cluster.ts [replicas=300] [nodes=h100:40x8,cpu:40]
import { waitFor } from '@bascule/test-support';
import { createCluster, createStore } from '@bascule/kube-sim';

const replicas = Number(process.argv[2] ?? 300);
const nodes = process.argv[3] ?? 'h100:40x8,cpu:40';
const deadlineMs = 120_000;
const ref = { group: 'apps', version: 'v1', resource: 'deployments' };

/** Milliseconds until the Deployment is available on `image`; a timeout names its last status. */
async function waitAvailable(
  store: ReturnType<typeof createStore>,
  image: string,
): Promise<number> {
  const start = performance.now();
  await waitFor(
    `the Deployment available on ${image}`,
    () => {
      const d = store.get(ref, 'default', 'bench') as
        { status?: Record<string, number> } | undefined;
      const s = d?.status ?? {};
      // The deployment's own status, as `kubectl rollout status` reads it (old pods gone when
      // status.replicas == updatedReplicas).
      const rs = store.list(
        { group: 'apps', version: 'v1', resource: 'replicasets' },
        { namespace: 'default' },
      ).items;
      const newRs = rs.find(
        (r) =>
          (r.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
            .containers[0]?.image === image,
      );
      if (
        s.updatedReplicas === replicas &&
        s.availableReplicas === replicas &&
        s.replicas === replicas &&
        (newRs?.status as { availableReplicas?: number } | undefined)?.availableReplicas ===
          replicas
      )
        return true;
      throw new Error(`status ${JSON.stringify(s)}`);
    },
    deadlineMs,
    10,
  );
  return performance.now() - start;
}

function deployment(image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'bench' } },
      template: {
        metadata: { labels: { app: 'bench' } },
        spec: {
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
          containers: [
            {
              name: 'web',
              image,
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
}

const store = createStore();
const cluster = createCluster({ store, nodes, timeScale: 1000 });
global.gc?.();
const memBefore = process.memoryUsage();
store.create(ref, deployment('nginx:1.27'));
const createMs = await waitAvailable(store, 'nginx:1.27');
global.gc?.();
const memAfter = process.memoryUsage();
const current = store.get(ref, 'default', 'bench')!;
(
  current.spec as { template: { spec: { containers: { image: string }[] } } }
).template.spec.containers[0]!.image = 'nginx:1.28';
store.update(ref, current);
const rolloutMs = await waitAvailable(store, 'nginx:1.28');
await cluster.close();

const result = {
  nodes,
  nodeCount: cluster.nodeNames.length,
  replicas,
  timeScale: 1000,
  createToAvailableMs: Math.round(createMs),
  rolloutMs: Math.round(rolloutMs),
  heapPerPodKiB: Math.round((memAfter.heapUsed - memBefore.heapUsed) / replicas / 1024),
  rssPerPodKiB: Math.round((memAfter.rss - memBefore.rss) / replicas / 1024),
};
process.stdout.write(
  `kube-sim cluster: ${replicas} pods on ${result.nodeCount} nodes\n` +
    `  create -> Available: ${result.createToAvailableMs} ms\n` +
    `  template change rollout (25% surge): ${result.rolloutMs} ms\n` +
    `  memory per running pod: heap ${result.heapPerPodKiB} KiB, rss ${result.rssPerPodKiB} KiB\n` +
    `${JSON.stringify(result)}\n`,
);
