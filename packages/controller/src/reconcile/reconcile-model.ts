import type { StatusMemo } from '@bascule/kube';
import { KubeError, describeObject } from '@bascule/kube';
import { MODEL_LABEL, type ModelStatus } from '@bascule/spec';
import type { GpuCapacityView } from '../capacity/gpu-capacity-view.js';
import type { ReconcilerContext } from './reconciler-context.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import { planModel, type ModelPlan, type PlanOptions } from '../plan/plan-model.js';
import { applyFailedStatus } from '../status/apply-failed.js';
import { findCondition } from '../status/upsert-condition.js';
import { applyRendered, writeModelStatus } from './execute-plan.js';
import { transitionEvents } from './record-transitions.js';
import { splitKey } from './model-key.js';
import type { EngineLoraClient } from '../adapters/engine-lora-client.js';
import { syncAdapters } from '../adapters/sync-adapters.js';
import { statusEqual } from '../status/status-equal.js';

/** Status this controller wrote and its informer has not delivered yet, by Model key. */
export type ReconcileMemo = StatusMemo<ModelStatus>;

export interface ReconcileDeps extends ReconcilerContext {
  capacity: GpuCapacityView;
  memo: ReconcileMemo;
  metrics: ControllerMetrics;
  plan: PlanOptions;
  /** vLLM's runtime adapter API; without it adapters are not loaded at run time. */
  lora?: EngineLoraClient;
}

/**
 * One reconcile: read the Model and what it owns from the caches, plan (pure), apply what
 * changed with server-side apply, write the status when it changed. An apply the API server
 * rejects for good (4xx other than 409/429) is reported on the Model as Ready=False/ApplyFailed.
 */
export async function reconcileModel(
  key: string,
  deps: ReconcileDeps,
): Promise<ModelPlan | undefined> {
  const { namespace, name } = splitKey(key);
  const { informers, log } = deps;
  const cached = informers.models.get(name, namespace);
  if (!cached || cached.metadata?.deletionTimestamp) {
    log.debug('Model gone; owned objects are garbage-collected');
    return undefined;
  }
  const model = deps.memo.has(key)
    ? { ...cached, status: deps.memo.current(key, cached.status) }
    : cached;
  const pods = informers.pods
    .list(namespace)
    .filter((p) => p.metadata?.labels?.[MODEL_LABEL] === name);
  const plan = planModel(
    {
      model,
      ...optional('deployment', informers.deployments.get(name, namespace)),
      ...optional('service', informers.services.get(name, namespace)),
      pods,
      nodes: new Map(informers.nodes.list().map((n) => [n.metadata?.name ?? '', n])),
      capacity: deps.capacity.snapshot(),
      now: deps.now(),
    },
    deps.plan,
  );
  let status = plan.status;
  try {
    // The Deployment and the Service do not depend on each other: apply them together.
    await Promise.all(
      plan.apply.map(async (object, i) => {
        await applyRendered(deps.client, object);
        deps.metrics.applies.inc({ kind: object.kind ?? 'unknown' });
        log.info({ reason: plan.applyReasons[i] }, `applied ${describeObject(object)}`);
      }),
    );
  } catch (err) {
    if (!(err instanceof KubeError) || err.retryable) throw err;
    const base = status ?? model.status ?? {};
    status = applyFailedStatus(base, err.message, cached.metadata?.generation ?? 0, deps.now());
    await write(deps, key, namespace, name, status, model.status);
    throw err;
  }
  if (plan.adapters && deps.lora) {
    // Adapters are loaded on running replicas, not rendered: bring each ready one to the
    // declared set and report what each has in status.endpoints[].adapters.
    const base = status ?? model.status;
    if (base?.endpoints) {
      const endpoints = await syncAdapters(
        base.endpoints,
        plan.adapters,
        deps.lora,
        log,
        model.status?.endpoints,
      );
      const next = { ...base, endpoints };
      status = statusEqual(model.status, next) ? undefined : next;
    }
  }
  if (status) await write(deps, key, namespace, name, status, model.status);
  if (plan.problem) log.warn({ reason: plan.problem.reason }, plan.problem.message);
  return plan;
}

async function write(
  deps: ReconcileDeps,
  key: string,
  namespace: string,
  name: string,
  status: ModelStatus,
  previous: ModelStatus | undefined,
): Promise<void> {
  const wrote = await deps.memo.write(key, previous, status, (s) =>
    writeModelStatus(deps.client, namespace, name, s),
  );
  if (!wrote) return;
  deps.metrics.statusWrites.inc();
  const model = deps.informers.models.get(name, namespace);
  await deps.events.record(
    transitionEvents(
      { name, namespace, uid: model?.metadata?.uid ?? '' },
      previous,
      status,
      deps.now(),
    ),
  );
  const before = findCondition(previous?.conditions, 'Ready');
  const after = findCondition(status.conditions, 'Ready');
  const changed = before?.status !== after?.status || before?.reason !== after?.reason;
  deps.log.info(
    {
      ready: after?.status,
      reason: after?.reason,
      replicas: status.replicas,
      ...(changed ? { message: after?.message } : {}),
    },
    'status written',
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
