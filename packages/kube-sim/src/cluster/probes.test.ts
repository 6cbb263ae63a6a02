// Probes really executed over HTTP against a container whose health the test controls (an
// injected runtime starting a real server at the pod IP): readiness gates Ready and the
// EndpointSlice, a failing liveness probe restarts the container, a failing startup probe too.
import { createServer, type Server } from 'node:http';
import { waitFor } from '@bascule/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../store/index.js';
import type { ContainerRuntime } from './container-runtime.js';
import { claimPodIpBlock, type PodIpBlockClaim } from './claim-pod-ip-block.js';
import { createCluster, type Cluster } from './create-cluster.js';
import { findCondition, RESOURCES, type Pod, type Probe } from './kube-types.js';

let cluster: Cluster | undefined;
let ipBlock: PodIpBlockClaim;
beforeAll(async () => {
  ipBlock = await claimPodIpBlock();
});
afterAll(async () => {
  await ipBlock.release();
});
const servers = new Set<Server>();
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  for (const s of servers) s.closeAllConnections();
  servers.clear();
});

/** A runtime whose containers answer /healthz with the status the test sets. */
function controllableRuntime(
  health: { code: number },
  starts: { count: number },
): ContainerRuntime {
  return async ({ podIP, container }) => {
    starts.count++;
    const server = createServer((_req, res) => {
      res.writeHead(health.code);
      res.end();
    });
    servers.add(server);
    await new Promise<void>((resolve) =>
      server.listen(container.ports?.[0]?.containerPort ?? 8080, podIP, resolve),
    );
    return {
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  };
}

function setup(probes: { readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe }) {
  const store = createStore();
  const health = { code: 200 };
  const starts = { count: 0 };
  cluster = createCluster({
    store,
    nodes: 'cpu:1',
    timeScale: 20,
    podIpBlock: ipBlock.block,
    runtime: controllableRuntime(health, starts),
  });
  store.create(RESOURCES.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
    spec: {
      containers: [
        { name: 'app', image: 'example/app:1', ports: [{ containerPort: 8080 }], ...probes },
      ],
    },
  });
  store.create(RESOURCES.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'p', namespace: 'default' },
    spec: { selector: { app: 'p' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const pod = () => store.get(RESOURCES.pods, 'default', 'p') as Pod;
  const ready = () => findCondition(pod().status?.conditions, 'Ready')?.status === 'True';
  const sliceReady = () =>
    (
      store.list(RESOURCES.endpointSlices, { namespace: 'default' }).items[0] as
        { endpoints?: { conditions: { ready: boolean } }[] } | undefined
    )?.endpoints?.[0]?.conditions.ready;
  const events = (reason: string) =>
    store
      .list(RESOURCES.events, { namespace: 'default' })
      .items.filter((e) => e.reason === reason)
      .map((e) => e.message as string);
  const count = (reason: string) =>
    store
      .list(RESOURCES.events, { namespace: 'default' })
      .items.filter((e) => e.reason === reason)
      .reduce((n, e) => n + Number(e.count ?? 1), 0);
  return { store, health, starts, pod, ready, sliceReady, events, count };
}

const httpGet = { path: '/healthz', port: 8080 };

describe('kubelet probes', () => {
  it('readiness follows the probe: Ready and the EndpointSlice turn false and back', async () => {
    const t = setup({ readinessProbe: { httpGet, periodSeconds: 1, failureThreshold: 2 } });
    await waitFor('ready', () => t.ready() && t.sliceReady() === true, 15_000, 20);
    t.health.code = 503;
    await waitFor('unready', () => !t.ready() && t.sliceReady() === false, 15_000, 20);
    expect(t.events('Unhealthy')[0]).toBe(
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
    expect(t.pod().status?.containerStatuses?.[0]?.restartCount).toBe(0);
    t.health.code = 200;
    await waitFor('ready again', () => t.ready() && t.sliceReady() === true, 15_000, 20);
  });

  it('restarts a container whose liveness probe fails failureThreshold times', async () => {
    const t = setup({ livenessProbe: { httpGet, periodSeconds: 1, failureThreshold: 3 } });
    await waitFor('ready', () => t.ready(), 15_000, 20);
    t.health.code = 500;
    const status = await waitFor(
      'restarted',
      () => {
        const s = t.pod().status?.containerStatuses?.[0];
        return s && s.restartCount >= 1 ? s : undefined;
      },
      15_000,
      20,
    );
    expect(status.lastState.terminated?.exitCode).toBe(137);
    expect(t.events('Killing')).toContain('Container app failed liveness probe, will be restarted');
    expect(t.events('Unhealthy')[0]).toBe(
      'Liveness probe failed: HTTP probe failed with statuscode: 500',
    );
    expect(t.starts.count).toBeGreaterThanOrEqual(2);
  });

  it('holds readiness until the startup probe passes', async () => {
    const t = setup({
      startupProbe: { httpGet, periodSeconds: 1, failureThreshold: 100 },
      readinessProbe: { httpGet, periodSeconds: 1 },
    });
    t.health.code = 503;
    await waitFor(
      'started but not ready',
      () => t.pod().status?.containerStatuses?.[0]?.state.running && t.count('Unhealthy') >= 2,
      15_000,
      20,
    );
    expect(t.pod().status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    expect(t.ready()).toBe(false);
    t.health.code = 200;
    await waitFor('ready', () => t.ready(), 15_000, 20);
    expect(t.pod().status?.containerStatuses?.[0]).toMatchObject({
      started: true,
      ready: true,
      restartCount: 0,
    });
  });
});
