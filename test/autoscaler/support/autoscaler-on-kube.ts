// What the autoscaler's kube-sim tests share: the Model view they read, the autoscaler loop
// started against the harness's controller (500 ms decisions, windows shortened so a test runs
// in seconds; each test adds its own Redis, observer or tuning), and the wait for a Model to be
// scaled to a replica count with that many ready.
import { capacityOf } from '@bascule/controller';
import { createKubeAutoscaler } from '@bascule/autoscaler/io';
import {
  waitFor,
  type Harness,
  type ModelView,
} from '../../controller/support/controller-harness.js';

export type { ModelView } from '../../controller/support/controller-harness.js';

type Controller = Awaited<ReturnType<Harness['startController']>>;
type KubeAutoscalerOptions = Parameters<typeof createKubeAutoscaler>[0];

/** Starts the loop, with the controller's GPU capacity and leadership; returns its stop. */
export function startAutoscalerLoop(
  h: Harness,
  c: Controller,
  extra: Pick<KubeAutoscalerOptions, 'redis' | 'observer'> & {
    tuning?: KubeAutoscalerOptions['tuning'];
  } = {},
): () => Promise<void> {
  const { tuning, ...rest } = extra;
  const { loop } = createKubeAutoscaler({
    custom: h.client.custom,
    core: h.client.core,
    ...rest,
    capacity: { freeGpus: (t) => capacityOf(c.capacity.snapshot(), t).free },
    isLeader: () => c.isLeader(),
    intervalMs: 500,
    tuning: { stableWindowMs: 4_000, panicWindowMs: 1_000, ...tuning },
  });
  loop.start();
  return () => loop.stop();
}

/** Waits until the Model asks for `replicas` and has that many ready; returns the Model. */
export function waitForReplicas(
  model: () => Promise<ModelView>,
  replicas: number,
  what: string,
): Promise<ModelView> {
  return waitFor(
    what,
    async () => {
      const m = await model();
      return m.spec.replicas === replicas && (m.status?.replicas?.ready ?? 0) === replicas
        ? m
        : undefined;
    },
    60_000,
  );
}
