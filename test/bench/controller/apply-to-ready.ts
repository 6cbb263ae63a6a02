// Apply-to-Ready for the controller benchmark: creates `count` Models with one replica each at
// once and times, per Model, apply -> Deployment written (controller), Deployment -> first engine
// pod Ready (kube-sim: scheduling, simulated image pull and model load at its timeScale), and pod
// Ready -> Model condition Ready=True (controller status). Watches, never polls.
import { createInformer, type createKubeClient } from '@bascule/kube';
import { GROUP, VERSION } from '@bascule/spec';

type Client = ReturnType<typeof createKubeClient>;
type Obj = {
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
};

export interface ApplyToReady {
  models: number;
  /** Each figure: median and slowest over the Models (ms). */
  applyToReadyMs: { p50: number; max: number };
  applyToDeploymentMs: { p50: number; max: number };
  deploymentToPodReadyMs: { p50: number; max: number };
  podReadyToModelReadyMs: { p50: number; max: number };
  /** Share of the median apply-to-Ready spent in the controller (the two controller steps). */
  controllerShare: number;
}

const MODEL_LABEL = 'bascule.dev/model';
const isReady = (o: Obj) =>
  o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

function spread(xs: number[]): { p50: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: Math.round(s[Math.floor((s.length - 1) / 2)] ?? NaN),
    max: Math.round(s.at(-1) ?? NaN),
  };
}

export async function measureApplyToReady(
  client: Client,
  count: number,
  deadlineMs: number,
): Promise<ApplyToReady> {
  const names = Array.from({ length: count }, (_, i) => `ready-${i}`);
  const applied = new Map<string, number>();
  const deployed = new Map<string, number>();
  const podReady = new Map<string, number>();
  const modelReady = new Map<string, number>();
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const note = (m: Map<string, number>, name: string | undefined) => {
    if (!name || !names.includes(name) || m.has(name)) return;
    m.set(name, performance.now());
    if (deployed.size === count && podReady.size === count && modelReady.size === count) done();
  };
  const ns = 'default';
  const informers = [
    createInformer<Obj>({
      config: client.config,
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      list: () => client.apps.listNamespacedDeployment({ namespace: ns }),
      onEvent: (e, o) => e !== 'delete' && note(deployed, o.metadata?.name),
    }),
    createInformer<Obj>({
      config: client.config,
      path: `/api/v1/namespaces/${ns}/pods`,
      labelSelector: MODEL_LABEL,
      list: () => client.core.listNamespacedPod({ namespace: ns, labelSelector: MODEL_LABEL }),
      onEvent: (e, o) =>
        e !== 'delete' && isReady(o) && note(podReady, o.metadata?.labels?.[MODEL_LABEL]),
    }),
    createInformer<Obj>({
      config: client.config,
      path: `/apis/${GROUP}/${VERSION}/namespaces/${ns}/models`,
      list: () =>
        client.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: ns,
          plural: 'models',
        }) as never,
      onEvent: (e, o) => e !== 'delete' && isReady(o) && note(modelReady, o.metadata?.name),
    }),
  ];
  await Promise.all(informers.map((i) => i.start()));
  await Promise.all(
    names.map(async (name, i) => {
      applied.set(name, performance.now());
      await client.custom.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: ns,
        plural: 'models',
        body: {
          apiVersion: `${GROUP}/${VERSION}`,
          kind: 'Model',
          metadata: { name },
          spec: {
            source: `hf://bench/ready-${i}`,
            engine: 'vllm',
            gpus: 'nvidia-l4:1',
            replicas: 1,
            autoscaling: { enabled: false },
          },
        },
      });
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `apply-to-ready: after ${deadlineMs} ms ${deployed.size}/${count} Deployments, ${podReady.size} pods Ready, ${modelReady.size} Models Ready`,
          ),
        ),
      deadlineMs,
    );
  });
  try {
    await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
    await Promise.all(informers.map((i) => i.stop()));
  }
  const step = (from: Map<string, number>, to: Map<string, number>) =>
    names.map((n) => Math.max(0, to.get(n)! - from.get(n)!));
  const total = step(applied, modelReady);
  const ctl1 = step(applied, deployed);
  const sim = step(deployed, podReady);
  const ctl2 = step(podReady, modelReady);
  const median = (xs: number[]) => spread(xs).p50;
  return {
    models: count,
    applyToReadyMs: spread(total),
    applyToDeploymentMs: spread(ctl1),
    deploymentToPodReadyMs: spread(sim),
    podReadyToModelReadyMs: spread(ctl2),
    controllerShare:
      Math.round(((median(ctl1) + median(ctl2)) / Math.max(1, median(total))) * 1000) / 1000,
  };
}
