// Benchmark: the controller under 1,000 Models applied at once. kube-sim runs in this process;
// `bascule-server --roles controller` runs as a child process (as in production), so its peak
// memory (VmHWM) is its own. Reports the time until every Model has its Deployment and Service,
// and until every status is written, plus the controller's peak RSS. Then apply-to-Ready:
// `ready` more Models with one engine pod each, timed per Model from apply to condition Ready=True,
// split into the controller's steps and kube-sim's (see controller/apply-to-ready.ts).
//   pnpm exec tsx --conditions source test/bench/controller-scale.ts [models=1000] [workers=8] [replicas=0] [ready=16]
// The scale Models are created with spec.replicas=0 by default (1,000 engine processes would
// measure the simulator, not the controller), so their "ready" is their status written.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInformer, createKubeClient } from '@bascule/kube';
import { waitFor } from '@bascule/test-support';
import { startKubeSim } from '@bascule/kube-sim';
import { GROUP, VERSION } from '@bascule/spec';
import { measureApplyToReady } from './controller/apply-to-ready.js';

const models = Number(process.argv[2] ?? 1000);
const workers = Number(process.argv[3] ?? 8);
const replicas = Number(process.argv[4] ?? 0);
const readyModels = Number(process.argv[5] ?? 16);
const DEADLINE_MS = 900_000;
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function reconcileCount(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(
    /^bascule_controller_reconcile_duration_seconds_count (\S+)$/m.exec(text)?.[1] ?? NaN,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'bsc-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
// One L4 per node, enough for the apply-to-Ready Models (and replicas=1 runs of a few Models).
const TIME_SCALE = 100;
const sim = await startKubeSim({
  nodes: `l4:${Math.max(8, readyModels)}x1`,
  timeScale: TIME_SCALE,
  kubeconfigPath: kubeconfig,
});
const client = createKubeClient({ kubeconfig });
// Every CRD: the controller also watches Routes and Providers and is not ready until it can.
const { loadAllYaml } = await import('@kubernetes/client-node');
const crdDir = join(ROOT, 'manifests/crds');
for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
  for (const crd of loadAllYaml(readFileSync(join(crdDir, file), 'utf8')) as object[])
    await client.objects.create(crd as never);
}
await waitFor(
  'the Model CRD served',
  async () => {
    try {
      await client.custom.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: 'default',
        plural: 'models',
      });
      return true;
    } catch {
      return false;
    }
  },
  DEADLINE_MS,
  250,
);

const port = await freePort();
const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_CONTROLLER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    '--import',
    'tsx',
    '--conditions',
    'source',
    join(ROOT, 'apps/control-plane/src/main.ts'),
    '--roles',
    'controller',
    '--kubeconfig',
    kubeconfig,
    '--metrics-port',
    String(port),
    '--metrics-host',
    '127.0.0.1',
    '--workers',
    String(workers),
    '--log-level',
    'warn',
    '--lease-namespace',
    'default',
  ],
  { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
);
// A failure below exits this process: do not leave the controller running.
process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
console.log('controller-scale: kube-sim up; starting the controller');
await waitFor(
  'the controller ready (GET /readyz answers 200)',
  async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    } catch {
      return false;
    }
  },
  120_000,
  250,
);
const baseRss = peakRssMiB(child.pid!);
console.log(`controller-scale: controller ready; creating ${models} Models`);

let t0 = 0;
// Watch (not poll) what the controller writes, so measuring does not load the API server.
let tDeployments = 0;
let tServices = 0;
let tStatuses = 0;
const deployments = new Set<string>();
const services = new Set<string>();
const statuses = new Set<string>();
let finish: () => void = () => {};
const finished = new Promise<void>((r) => (finish = r));
const check = () => {
  const now = performance.now() - t0;
  if (!tDeployments && deployments.size >= models) tDeployments = now;
  if (!tServices && services.size >= models) tServices = now;
  if (!tStatuses && statuses.size >= models) tStatuses = now;
  if (tDeployments && tServices && tStatuses) finish();
};
type Watched = {
  metadata?: { name?: string };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
};
const track = (set: Set<string>, done: (o: Watched) => boolean) => (event: string, o: Watched) => {
  const name = o.metadata?.name ?? '';
  if (event !== 'delete' && done(o)) set.add(name);
  else set.delete(name);
  check();
};
const informers = [
  createInformer<Watched>({
    config: client.config,
    path: '/apis/apps/v1/namespaces/default/deployments',
    list: () => client.apps.listNamespacedDeployment({ namespace: 'default' }),
    onEvent: track(deployments, () => true),
  }),
  createInformer<Watched>({
    config: client.config,
    path: '/api/v1/namespaces/default/services',
    labelSelector: 'app.kubernetes.io/managed-by=bascule',
    list: () =>
      client.core.listNamespacedService({
        namespace: 'default',
        labelSelector: 'app.kubernetes.io/managed-by=bascule',
      }),
    onEvent: track(services, () => true),
  }),
  createInformer<Watched>({
    config: client.config,
    path: `/apis/${GROUP}/${VERSION}/namespaces/default/models`,
    list: () =>
      client.custom.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: 'default',
        plural: 'models',
      }) as never,
    onEvent: track(
      statuses,
      (m) =>
        m.status?.observedGeneration === 1 &&
        (replicas === 0 || m.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'),
    ),
  }),
];
await Promise.all(informers.map((i) => i.start()));

t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < models) {
      const i = next++;
      await client.custom.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: 'default',
        plural: 'models',
        body: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'Model',
          metadata: { name: `m-${i}` },
          spec: {
            source: `hf://bench/model-${i}`,
            engine: i % 2 ? 'tgi' : 'vllm',
            gpus: 'nvidia-l4:1',
            replicas,
            autoscaling: { enabled: false },
          },
        },
      });
    }
  }),
);
const tCreated = performance.now() - t0;

const timeout = setTimeout(() => {
  console.error(
    `timed out: ${deployments.size} Deployments, ${services.size} Services, ${statuses.size} statuses`,
  );
  process.exit(1);
}, DEADLINE_MS);
await finished;
clearTimeout(timeout);
await Promise.all(informers.map((i) => i.stop()));
const reconcileCountAtScale = await reconcileCount();
console.log(`controller-scale: ${models} Models reconciled; apply-to-Ready with ${readyModels}`);
const applyToReady =
  readyModels > 0 ? await measureApplyToReady(client, readyModels, DEADLINE_MS) : undefined;
const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const metric = (name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
const peak = peakRssMiB(child.pid!);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await sim.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  models,
  workers,
  replicas,
  createMs: Math.round(tCreated),
  allDeploymentsMs: Math.round(tDeployments),
  allServicesMs: Math.round(tServices),
  allStatusesMs: Math.round(tStatuses),
  modelsPerSecond: Math.round((models / tStatuses) * 1000),
  // The baseline: how fast the API server took the creates (32 concurrent clients).
  apiCreatesPerSecond: Math.round((models / tCreated) * 1000),
  reconcilesAtScale: reconcileCountAtScale,
  reconcileSeconds: {
    count: metric('bascule_controller_reconcile_duration_seconds_count'),
    mean:
      metric('bascule_controller_reconcile_duration_seconds_sum') /
      metric('bascule_controller_reconcile_duration_seconds_count'),
  },
  statusWrites: metric('bascule_controller_status_writes_total'),
  controllerRssMiB: { idle: Math.round(baseRss), peak: Math.round(peak) },
  kubeSimTimeScale: TIME_SCALE,
  ...(applyToReady ? { applyToReady } : {}),
};
console.log(`controller-scale: ${models} Models (replicas=${replicas}), ${workers} workers`);
console.log(`  created in            ${result.createMs} ms`);
console.log(`  all Deployments in    ${result.allDeploymentsMs} ms`);
console.log(`  all Services in       ${result.allServicesMs} ms`);
console.log(
  `  all statuses in       ${result.allStatusesMs} ms  (${result.modelsPerSecond} Models/s)`,
);
console.log(
  `  reconciles            ${result.reconcileSeconds.count}, mean ${(result.reconcileSeconds.mean * 1000).toFixed(1)} ms`,
);
console.log(`  status writes         ${result.statusWrites}`);
if (applyToReady)
  console.log(
    `  apply-to-Ready        ${applyToReady.models} Models with 1 pod: p50 ${applyToReady.applyToReadyMs.p50} ms, max ${applyToReady.applyToReadyMs.max} ms (controller ${(applyToReady.controllerShare * 100).toFixed(0)}% of the median)`,
  );
console.log(
  `  controller RSS        idle ${result.controllerRssMiB.idle} MiB, peak ${result.controllerRssMiB.peak} MiB`,
);
console.log(JSON.stringify(result));
