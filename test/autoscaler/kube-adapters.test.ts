// The autoscaler's I/O adapters against kube-sim over real HTTP (client-node), engine-sim pods
// rendered by the vLLM adapter, and a private redis-server: Models and pods are read, load is
// scraped from /metrics and summed from the gateways' Redis counts, replicas go through the
// scale subresource, decisions become Events and Prometheus metrics.
import { inflightKey, scalerStateKey } from '@bascule/keyspace';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { memoryStateStore } from '@bascule/autoscaler';
import {
  createKubeAutoscaler,
  kubeEventRecorder,
  kubeModelSource,
  kubeScaleWriter,
  readGatewayCounts,
  redisStateStore,
  scrapeEngineLoad,
  writeGatewayCounts,
} from '@bascule/autoscaler/io';
import { engineAdapter } from '@bascule/engines';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { parseModel, parseShortfallAnnotation, SHORTFALL_ANNOTATION } from '@bascule/spec';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NS = 'default';

const modelManifest = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama', namespace: NS },
  spec: {
    source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxConcurrency: 8,
    autoscaling: { minReplicas: 0, maxReplicas: 4, targetInFlight: 4 },
  },
};

describe('autoscaler adapters on kube-sim and Redis', () => {
  let sim: KubeSim;
  let dir: string;
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'autoscaler-kube-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    sim = await startKubeSim({ nodes: 'l4:3x1', timeScale: 50, kubeconfigPath });
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const file = new KubeConfig();
    file.loadFromFile(kubeconfigPath);
    // kube-sim serves plain HTTP on loopback; client-node only allows that with skipTLSVerify.
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: file.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
      users: file.users,
      contexts: file.contexts,
      currentContext: file.currentContext,
    });
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    const crd = parse(
      readFileSync(join(root, 'manifests/crds/bascule.dev_models.yaml'), 'utf8'),
    ) as KubernetesObject;
    await objects.create(crd);
    await waitFor(
      'Model CRD served',
      () =>
        custom
          .listNamespacedCustomObject({
            group: 'bascule.dev',
            version: 'v1alpha1',
            namespace: NS,
            plural: 'models',
          })
          .then(() => true),
      30_000,
    );
    await custom.createNamespacedCustomObject({
      group: 'bascule.dev',
      version: 'v1alpha1',
      namespace: NS,
      plural: 'models',
      body: { ...modelManifest, spec: { ...modelManifest.spec, replicas: 1 } },
    });
    // What the controller would apply: the vLLM adapter's Deployment for one replica.
    const model = parseModel(modelManifest);
    await objects.create(engineAdapter('vllm').renderDeployment({ model, replicas: 1 }));
  });

  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the Model with its ready and scheduled pods, and scrapes the engine', async () => {
    const source = kubeModelSource({ custom, core, namespace: NS });
    const [m] = await waitFor(
      'a ready pod',
      async () => {
        const list = await source.list();
        return list[0]?.readyReplicas === 1 ? list : undefined;
      },
      30_000,
    );
    expect(m!.ref).toMatchObject({ namespace: NS, name: 'llama' });
    expect(m!.ref.uid).toBeTruthy();
    expect(m!).toMatchObject({ currentReplicas: 1, readyReplicas: 1, scheduledReplicas: 1 });
    expect(m!.readyPods[0]!.ip).toMatch(/^127\./);
    expect(m!.readyPods[0]!.port).toBe(8000);
    const load = await scrapeEngineLoad(m!);
    expect(load).toHaveLength(1);
    expect(load[0]).toMatchObject({ running: 0, waiting: 0 });
    expect(load[0]!.kvCacheUsage).toBeGreaterThanOrEqual(0);
    // One request through the official SDK: the engine's token counters (for the cost rule) grow.
    const pod = m!.readyPods[0]!;
    const openai = new OpenAI({
      baseURL: `http://${pod.ip}:${pod.port}/v1`,
      apiKey: 'none',
      maxRetries: 0,
    });
    const done = await openai.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'Name three sorting algorithms.' }],
      max_tokens: 16,
    });
    const after = await scrapeEngineLoad(m!);
    expect(after[0]!.counters?.promptTokens).toBe(
      (load[0]!.counters?.promptTokens ?? 0) + done.usage!.prompt_tokens,
    );
    expect(after[0]!.counters?.generationTokens).toBe(
      (load[0]!.counters?.generationTokens ?? 0) + done.usage!.completion_tokens,
    );
  });

  it('writes replicas through the scale subresource and records Events on the Model', async () => {
    await kubeScaleWriter(custom).setReplicas({ namespace: NS, name: 'llama' }, 2);
    const model = (await custom.getNamespacedCustomObject({
      group: 'bascule.dev',
      version: 'v1alpha1',
      namespace: NS,
      plural: 'models',
      name: 'llama',
    })) as { spec: { replicas: number } };
    expect(model.spec.replicas).toBe(2);
    await kubeEventRecorder(core).record(
      { namespace: NS, name: 'llama' },
      { type: 'Normal', reason: 'ScaledUp', message: 'test: 1 -> 2' },
    );
    const events = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=llama',
    });
    const ev = events.items.find((e) => e.reason === 'ScaledUp');
    expect(ev?.involvedObject).toMatchObject({
      kind: 'Model',
      apiVersion: 'bascule.dev/v1alpha1',
      name: 'llama',
    });
    expect(ev?.source?.component).toBe('bascule-autoscaler');
  });

  it('sums gateways in Redis, ignoring a gateway whose heartbeat is stale; keeps policy state', async () => {
    const now = Date.now();
    await writeGatewayCounts(redis, 'gw-a', new Map([['llama', { inFlight: 5, overflow: 1 }]]), {
      now: () => now,
    });
    await writeGatewayCounts(redis, 'gw-b', new Map([['llama', { inFlight: 7, overflow: 2 }]]), {
      now: () => now,
    });
    await writeGatewayCounts(
      redis,
      'gw-dead',
      new Map([['llama', { inFlight: 100, overflow: 100 }]]),
      {
        now: () => now - 60_000,
      },
    );
    expect(await readGatewayCounts(redis, 'llama', { now: () => now })).toEqual({
      inFlight: 12,
      overflow: 3,
    });
    expect(await redis.ttl(inflightKey('llama'))).toBeGreaterThan(0);
    const store = redisStateStore(redis);
    const ref = { namespace: NS, name: 'llama' };
    expect(await store.get(ref)).toBeUndefined();
    const state = {
      since: 1,
      samples: [{ at: 1, load: 2 }],
      recommendations: [{ at: 1, replicas: 1 }],
      lastDemandAt: 1,
      panicUntil: 0,
    };
    await store.set(ref, state);
    expect(await store.get(ref)).toEqual(state);
    await redis.set(scalerStateKey('default', 'broken'), '{not json');
    expect(await store.get({ namespace: NS, name: 'broken' })).toBeUndefined();
  });

  it('the wired loop scales the Model on gateway load, with an Event and metrics', async () => {
    const registry = new Registry();
    let free = 1;
    const { loop } = createKubeAutoscaler({
      custom,
      core,
      redis,
      capacity: { freeGpus: () => free },
      isLeader: () => true,
      namespace: NS,
      registry,
    });
    // spec.replicas is 2 (previous test) but one pod runs; 12 + 3 in flight at target 4 wants 4,
    // and one free L4 plus the one scheduled pod holds 2.
    const [r] = await loop.tick();
    expect(r!.error).toBeUndefined();
    expect(r!.decision).toMatchObject({
      current: 2,
      wanted: 4,
      desired: 2,
      reason: 'capacity-shortfall',
    });
    const text = await registry.metrics();
    expect(text).toMatch(
      /bascule_autoscaler_capacity_shortfall_replicas\{namespace="default",model="llama"\} 2/,
    );
    const events = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=llama',
    });
    expect(events.items.some((e) => e.reason === 'CapacityShortfall' && e.type === 'Warning')).toBe(
      true,
    );
    const annotation = async () =>
      (
        (await custom.getNamespacedCustomObject({
          group: 'bascule.dev',
          version: 'v1alpha1',
          namespace: NS,
          plural: 'models',
          name: 'llama',
        })) as { metadata: { annotations?: Record<string, string> } }
      ).metadata.annotations?.[SHORTFALL_ANNOTATION];
    expect(parseShortfallAnnotation(await annotation())).toEqual({
      replicas: 2,
      gpus: 2,
      gpuType: 'nvidia-l4',
      freeGpus: 1,
    });
    // GPUs free up: the loop scales into them and clears the annotation.
    free = 2;
    const [again] = await loop.tick();
    expect(again!.decision).toMatchObject({ desired: 3, wanted: 4, reason: 'capacity-shortfall' });
    free = 8;
    const [fits] = await loop.tick();
    expect(fits!.decision!.shortfall).toBeUndefined();
    expect(await annotation()).toBeUndefined();
    // A memory state store works the same way for a loop without Redis state.
    expect(await memoryStateStore().get({ namespace: NS, name: 'llama' })).toBeUndefined();
  });

  it('counts a pod the scheduler cannot place as unschedulable, not scheduled', async () => {
    // Two L4s per replica on nodes of one L4 each: kube-sim's scheduler marks the pod
    // PodScheduled=False/Unschedulable, the only replicas the capacity cap may drop.
    const wide = {
      ...modelManifest,
      metadata: { name: 'wide', namespace: NS },
      spec: { ...modelManifest.spec, gpus: 'nvidia-l4:2', replicas: 1 },
    };
    await custom.createNamespacedCustomObject({
      group: 'bascule.dev',
      version: 'v1alpha1',
      namespace: NS,
      plural: 'models',
      body: wide,
    });
    await objects.create(
      engineAdapter('vllm').renderDeployment({ model: parseModel(wide), replicas: 1 }),
    );
    const source = kubeModelSource({ custom, core, namespace: NS });
    const m = await waitFor(
      'the wide pod refused by the scheduler',
      async () => {
        const found = (await source.list()).find((x) => x.ref.name === 'wide');
        return found?.unschedulableReplicas === 1 ? found : undefined;
      },
      30_000,
    );
    expect(m).toMatchObject({ currentReplicas: 1, scheduledReplicas: 0, readyReplicas: 0 });
    const llama = (await source.list()).find((x) => x.ref.name === 'llama');
    expect(llama?.unschedulableReplicas).toBe(0);
  });
});
