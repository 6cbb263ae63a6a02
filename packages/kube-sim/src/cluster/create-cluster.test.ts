// The cluster controllers on a real store, in-process: stub containers (nginx) with real HTTP
// probes at their pod IPs. kubectl-driven tests live in test/kube-sim/cluster-*.test.ts.
import { waitFor } from '@bascule/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../store/index.js';
import type { KubeObject } from '../store/types.js';
import { claimPodIpBlock, type PodIpBlockClaim } from './claim-pod-ip-block.js';
import { createCluster, type Cluster } from './create-cluster.js';
import { findCondition, RESOURCES, type Deployment, type Node, type Pod } from './kube-types.js';
import { runProbe } from './run-probe.js';

const ns = 'default';
let cluster: Cluster | undefined;
let ipBlock: PodIpBlockClaim;
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

function deployment(
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

function setup(nodes = 'h100:1x8,l4:2x1') {
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
    cluster!.setNodeState(first.spec.nodeName!, 'down');
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

    cluster!.setNodeState(first.spec.nodeName!, 'up');
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

describe('createCluster with engine-sim', () => {
  it('runs vLLM images as engine-sim at the pod IP on port 8000, ready through its probes', async () => {
    const { store, pods, available } = setup('h100:1x8');
    const dep = deployment('llm', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = [
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name',
      'llama-8b',
      '--max-model-len',
      '8192',
    ];
    container.ports = [{ name: 'http', containerPort: 8000 }];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 };
    container.livenessProbe = {
      httpGet: { path: '/health', port: 'http' },
      periodSeconds: 10,
      failureThreshold: 30,
    };
    store.create(RESOURCES.deployments, dep);
    await waitFor('llm available', () => available('llm'), 30_000, 20);
    const pod = pods('llm')[0]!;
    const res = await fetch(`http://${pod.status!.podIP!}:8000/v1/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toContain('llama-8b');
    // Deleting the Deployment deletes the pod, and the kubelet stops its engine.
    store.delete(RESOURCES.deployments, ns, 'llm');
    const url = `http://${pod.status!.podIP!}:8000/health`;
    const refused = await waitFor(
      'engine stopped',
      async () => {
        try {
          await fetch(url);
          return undefined;
        } catch (err) {
          // A reused keep-alive connection may first be reset; then nothing listens any more.
          const code = (err as { cause?: { code?: string } }).cause?.code;
          return code === 'ECONNREFUSED' ? code : undefined;
        }
      },
      15_000,
      20,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(
      store.list(RESOURCES.events, { namespace: ns }).items.some((e) => e.reason === 'Killing'),
    ).toBe(true);
  });

  it('restarts an engine that crashes (fault flag), which then serves again', async () => {
    const { store, pods, available } = setup('h100:1x8');
    const dep = deployment('crashy', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = ['--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--fault-crash-after', '1'];
    container.ports = [{ name: 'http', containerPort: 8000 }];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 1 };
    store.create(RESOURCES.deployments, dep);
    await waitFor('crashy available', () => available('crashy'), 30_000, 20);
    const ip = pods('crashy')[0]!.status!.podIP!;
    // --fault-crash-after 1: the engine serves one request, and crashes on the next.
    let crashed = false;
    for (let i = 0; i < 3 && !crashed; i++) {
      crashed = await fetch(`http://${ip}:8000/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'Qwen/Qwen2.5-0.5B-Instruct', prompt: 'hi', max_tokens: 2 }),
      }).then(
        () => false,
        () => true,
      );
    }
    expect(crashed).toBe(true);
    const restarted = await waitFor(
      'restarted and ready',
      () => {
        const s = pods('crashy')[0]?.status?.containerStatuses?.[0];
        return s && s.restartCount >= 1 && s.ready ? s : undefined;
      },
      30_000,
      20,
    );
    expect(restarted.restartCount).toBe(1);
    expect(restarted.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'vLLM server exited with code 1',
    });
    expect(pods('crashy')[0]!.status!.podIP).toBe(ip);
    const health = await fetch(`http://${ip}:8000/health`);
    expect(health.status).toBe(200);
  });

  it('puts an engine with bad flags into CrashLoopBackOff with the engine error', async () => {
    const { store, pods } = setup('h100:1x8');
    const dep = deployment('bad', { gpus: 1, image: 'vllm/vllm-openai:v0.11.0' });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--max-num-seqs', 'lots'];
    store.create(RESOURCES.deployments, dep);
    const status = await waitFor(
      'crash loop',
      () => {
        const s = pods('bad')[0]?.status?.containerStatuses?.[0];
        return s?.state.waiting?.reason === 'CrashLoopBackOff' ? s : undefined;
      },
      15_000,
      20,
    );
    expect(status.restartCount).toBeGreaterThanOrEqual(2);
    expect(status.ready).toBe(false);
    expect(pods('bad')[0]?.status?.phase).toBe('Running');
    expect(status.lastState.terminated?.exitCode).toBe(2);
    expect(status.lastState.terminated?.message).toContain(
      "argument --max-num-seqs: invalid int value: 'lots'",
    );
    const reasons = store.list(RESOURCES.events, { namespace: ns }).items.map((e) => e.reason);
    expect(reasons).toContain('BackOff');
  });

  it('runs TGI images as engine-sim with their --model-id', async () => {
    const { store, pods, available } = setup('l4:1x1');
    const dep = deployment('tgi', {
      gpus: 1,
      image: 'ghcr.io/huggingface/text-generation-inference:2.4.0',
    });
    const container = (dep.spec as Deployment['spec']).template.spec.containers[0]!;
    container.args = [
      '--model-id',
      'Qwen/Qwen2.5-0.5B-Instruct',
      '--port',
      '8080',
      '--max-total-tokens',
      '4096',
    ];
    container.readinessProbe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 };
    store.create(RESOURCES.deployments, dep);
    await waitFor('tgi available', () => available('tgi'), 30_000, 20);
    const info = (await (
      await fetch(`http://${pods('tgi')[0]!.status!.podIP!}:8080/info`)
    ).json()) as { model_id: string };
    expect(info.model_id).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  });
});
