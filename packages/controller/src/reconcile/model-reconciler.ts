/**
 * The Model reconciler on the shared runtime (@bascule/kube): one reconcile per Model key,
 * timed and counted in the controller's metrics, traced when tracing is on, with watches that
 * map Model, Deployment, Service, Pod and Node events to the keys of the Models they affect.
 */
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { KubernetesObject, V1Node, V1Pod } from '@kubernetes/client-node';
import { stableStringify } from '@bascule/engines';
import { MODEL_LABEL } from '@bascule/spec';
import {
  KubeError,
  type Controller,
  type InformerEvent,
  type KeyQueue,
  type ReconcileResult,
  type Reconciler,
} from '@bascule/kube';
import type { ModelStatus } from '@bascule/spec';
import type { InformerGpuCapacityView } from '../capacity/gpu-capacity-view.js';
import { podGpuRequest } from '../capacity/gpu-capacity.js';
import { findCondition } from '../status/upsert-condition.js';
import { modelKey, ownerModelKey } from './model-key.js';
import { reconcileModel, type ReconcileDeps } from './reconcile-model.js';

export interface ModelReconcilerDeps extends ReconcileDeps {
  capacity: InformerGpuCapacityView;
  tracer?: Tracer;
}

export class ModelReconciler implements Reconciler {
  readonly name = 'model';
  private readonly nodePrints = new Map<string, string>();

  constructor(private readonly deps: ModelReconcilerDeps) {}

  keys(): string[] {
    return this.deps.informers.models
      .list()
      .map((m) => modelKey(m.metadata?.namespace, m.metadata?.name ?? ''));
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { metrics, tracer } = this.deps;
    const end = metrics.duration.startTimer();
    const span = tracer?.startSpan('bascule.reconcile', { attributes: { 'bascule.model': key } });
    try {
      const plan = await reconcileModel(key, {
        ...this.deps,
        log: this.deps.log.child({ model: key }),
      });
      metrics.reconciles.inc({ result: 'success' });
      span?.setAttribute('bascule.reconcile.result', 'success');
      return plan?.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : {};
    } catch (err) {
      const reason = err instanceof KubeError ? err.reason || String(err.status) : 'Internal';
      metrics.reconciles.inc({ result: 'error' });
      metrics.errors.inc({ reason });
      span?.setAttribute('bascule.reconcile.result', 'error');
      span?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      throw err;
    } finally {
      end();
      span?.end();
    }
  }

  onError(key: string, err: unknown, retryInMs: number | undefined): void {
    const log = this.deps.log.child({ model: key });
    const text = err instanceof Error ? err.message : String(err);
    if (retryInMs !== undefined) log.warn({ err: text, retryInMs }, 'reconcile failed; retrying');
    else log.error({ err: text }, 'reconcile failed; not retrying until the Model changes');
  }

  /** Declares which events queue which Models. */
  watch(controller: Controller): void {
    const owned = (_: InformerEvent, object: KubernetesObject, q: KeyQueue) => {
      const key = ownerModelKey(object);
      if (key) q.add(key);
    };
    controller
      .watch<KubernetesObject>('models', (event, object, q) => {
        const key = modelKey(object.metadata?.namespace, object.metadata?.name ?? '');
        this.deps.memo.forget(key);
        if (event === 'delete') q.forget(key);
        else q.add(key);
      })
      .watch('deployments', owned)
      .watch('services', owned)
      .watch<V1Pod>('pods', (event, pod, q) => {
        this.deps.capacity.invalidate();
        const freed =
          podGpuRequest(pod) > 0 &&
          (event === 'delete' ||
            pod.status?.phase === 'Succeeded' ||
            pod.status?.phase === 'Failed');
        if (freed) this.enqueueWaitingForCapacity(q);
        if (pod.metadata?.labels?.[MODEL_LABEL]) owned(event, pod, q);
      })
      .watch<V1Node>('nodes', (event, node, q) => {
        this.deps.capacity.invalidate();
        const name = node.metadata?.name ?? '';
        const print = event === 'delete' ? '' : nodeFingerprint(node);
        if (this.nodePrints.get(name) !== print) {
          this.nodePrints.set(name, print);
          q.addAll();
        }
      });
  }

  /** Models that reported CapacityAvailable=False get another look when GPUs free up. */
  private enqueueWaitingForCapacity(q: KeyQueue): void {
    for (const m of this.deps.informers.models.list()) {
      const status: ModelStatus | undefined = m.status;
      if (findCondition(status?.conditions, 'CapacityAvailable')?.status === 'False') {
        q.add(modelKey(m.metadata?.namespace, m.metadata?.name ?? ''));
      }
    }
  }
}

/** What about a node matters to Models: readiness, schedulability, taints, GPUs, labels. */
function nodeFingerprint(node: V1Node): string {
  return stableStringify([
    node.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    node.spec?.unschedulable,
    node.spec?.taints?.map((t) => [t.key, t.effect]),
    node.status?.allocatable?.['nvidia.com/gpu'],
    node.metadata?.labels,
  ]);
}
