// Shared by the in-process cluster tests (create-cluster*.test.ts): a real store with the cluster
// controllers, stub containers (nginx) with real HTTP probes at their pod IPs. Call
// useClusterFixture() at the top of a test file: it claims a pod IP block and closes the cluster
// each test made.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createStore } from '../store/index.js';
import type { KubeObject } from '../store/types.js';
import { claimPodIpBlock, type PodIpBlockClaim } from './claim-pod-ip-block.js';
import { createCluster, type Cluster } from './create-cluster.js';
import { RESOURCES, type Deployment, type Pod } from './kube-types.js';

export const ns = 'default';
let cluster: Cluster | undefined;
let ipBlock: PodIpBlockClaim;

/** The cluster the running test made with setup(). */
export function theCluster(): Cluster {
  if (!cluster) throw new Error('call setup() first');
  return cluster;
}

export function useClusterFixture(): void {
  beforeAll(async () => {
    ipBlock = await claimPodIpBlock();
  });
  afterAll(async () => {
    await ipBlock.release();
  });
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });
}

export function deployment(
  name: string,
  opts: { replicas?: number; gpus?: number; image?: string; product?: string } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(opts.product ? { nodeSelector: { 'nvidia.com/gpu.product': opts.product } } : {}),
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'web',
              image: opts.image ?? 'nginx:1.27',
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { limits: { 'nvidia.com/gpu': String(opts.gpus ?? 1) } },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

export function setup(nodes = 'h100:1x8,l4:2x1') {
  const store = createStore();
  cluster = createCluster({
    store,
    nodes,
    timeScale: 20,
    podIpBlock: ipBlock.block,
  });
  const pods = (label: string) =>
    store.list(RESOURCES.pods, { namespace: ns, labelSelector: `app=${label}` }).items as Pod[];
  const dep = (name: string) =>
    store.get(RESOURCES.deployments, ns, name) as Deployment | undefined;
  const available = (name: string) => {
    const d = dep(name);
    const s = d?.status as
      | {
          observedGeneration?: number;
          updatedReplicas?: number;
          availableReplicas?: number;
          replicas?: number;
        }
      | undefined;
    const want = d?.spec.replicas ?? 1;
    return (
      d &&
      s?.observedGeneration === d.metadata.generation &&
      s?.updatedReplicas === want &&
      s?.availableReplicas === want &&
      s?.replicas === want &&
      d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason ===
        'NewReplicaSetAvailable'
    );
  };
  return { store, pods, dep, available };
}
