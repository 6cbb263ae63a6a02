import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { KubernetesObject, V1Node, V1Pod } from '@kubernetes/client-node';
import { MODEL_LABEL, stableStringify, type RenderOptions } from '@bascule/engines';
import {
  KubeError,
  LeaderElector,
  WorkQueue,
  kubeLeaseBackend,
  type InformerEvent,
  type KubeClient,
  type WorkQueueOptions,
} from '@bascule/kube';
import type { ModelStatus } from '@bascule/spec';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { InformerGpuCapacityView, type GpuCapacityView } from '../capacity/gpu-capacity-view.js';
import { podGpuRequest } from '../capacity/gpu-capacity.js';
import {
  createClusterInformers,
  startInformers,
  stopInformers,
  type ClusterInformers,
} from '../informers/cluster-informers.js';
import { createControllerMetrics, type ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanOptions } from '../plan/plan-model.js';
import { findCondition } from '../status/upsert-condition.js';
import { modelKey, ownerModelKey } from '../reconcile/model-key.js';
import { reconcileModel, type ReconcileMemo } from '../reconcile/reconcile-model.js';
import { RoutingStatusController } from '../routing/routing-status-controller.js';
import { createHttpLoraClient, type EngineLoraClient } from '../adapters/engine-lora-client.js';

export interface LeaderElectionSettings {
  /** Namespace of the Lease. */
  namespace: string;
  /** Lease name (default `bascule-controller`). */
  name?: string;
  /** This replica's identity (default hostname + pid). */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ModelControllerOptions {
  client: KubeClient;
  logger: Logger;
  /** Metrics go here (a fresh registry when omitted). */
  registry?: Registry;
  /** Watch one namespace; every namespace when undefined. */
  namespace?: string;
  /** Models reconciled in parallel (default 4; one Model is never reconciled twice at once). */
  workers?: number;
  render?: RenderOptions;
  plan?: Omit<PlanOptions, 'render'>;
  /** Lease-based leader election; without it this replica acts at once. */
  leaderElection?: LeaderElectionSettings;
  /** Every Model is reconciled again this often (default 10 min). */
  resyncPeriodMs?: number;
  queue?: WorkQueueOptions;
  now?: () => Date;
  /**
   * vLLM's runtime adapter API, used to load and unload a Model's LoRA adapters on its running
   * replicas (default: HTTP to the pod IPs; `false` turns runtime loading off).
   */
  lora?: EngineLoraClient | false;
  /** Route and Provider status (see RoutingStatusOptions): Secret re-read periods. */
  routing?: { secretRecheckMs?: number; secretResyncMs?: number };
  /** Only when tracing is on: a `bascule.reconcile` span per reconcile. */
  tracer?: Tracer;
}

/**
 * Reconciles Models into engine Deployments and Services, and writes the Ready condition of
 * Routes and Providers. Informers run on every replica (so the GPU capacity view is warm
 * everywhere); only the Lease holder works the queues. `stop()` finishes the reconciles in
 * flight, then releases the Lease.
 */
export class ModelController {
  readonly capacity: GpuCapacityView;
  readonly metrics: ControllerMetrics;
  readonly registry: Registry;
  private readonly informers: ClusterInformers;
  private readonly capacityView: InformerGpuCapacityView;
  private readonly queue: WorkQueue<string>;
  private readonly elector: LeaderElector | undefined;
  private readonly routing: RoutingStatusController;
  private readonly log: Logger;
  private readonly memo: ReconcileMemo = new Map();
  private readonly nodePrints = new Map<string, string>();
  private readonly workers: Promise<void>[] = [];
  private leading = false;
  private stopping = false;
  private leaderWaiters: (() => void)[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly lora: EngineLoraClient | undefined;

  constructor(private readonly options: ModelControllerOptions) {
    this.log = options.logger;
    this.lora = options.lora === false ? undefined : (options.lora ?? createHttpLoraClient());
    this.registry = options.registry ?? new Registry();
    this.queue = new WorkQueue<string>(options.queue);
    this.informers = createClusterInformers({
      client: options.client,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      onEvent: (resource, event, object) => this.onEvent(resource, event, object),
      onError: (resource, err) =>
        this.log.warn({ resource, err: errorText(err) }, 'watch failed; restarting'),
    });
    this.capacityView = new InformerGpuCapacityView(
      this.informers.nodes,
      this.informers.pods,
      options.render?.gpuProfiles,
    );
    this.capacity = this.capacityView;
    this.routing = new RoutingStatusController({
      client: options.client,
      informers: this.informers,
      log: this.log,
      now: options.now ?? (() => new Date()),
      whenLeading: () => this.whenLeading(),
      isLeading: () => this.leading && !this.stopping,
      ...options.routing,
    });
    this.metrics = createControllerMetrics(this.registry, {
      queueDepth: () => this.queue.length,
      capacity: () => this.capacityView,
    });
    const le = options.leaderElection;
    if (le) {
      this.elector = new LeaderElector({
        backend: kubeLeaseBackend(
          options.client.coordination,
          le.namespace,
          le.name ?? 'bascule-controller',
        ),
        identity: le.identity,
        ...(le.leaseDurationMs !== undefined ? { leaseDurationMs: le.leaseDurationMs } : {}),
        ...(le.renewDeadlineMs !== undefined ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
        ...(le.retryPeriodMs !== undefined ? { retryPeriodMs: le.retryPeriodMs } : {}),
        onStartedLeading: () => this.setLeading(true),
        onStoppedLeading: () => this.setLeading(false),
        onError: (err) => this.log.warn({ err: errorText(err) }, 'leader election attempt failed'),
      });
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Queued Models (for tests and metrics). */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Starts the informers (waiting for their first lists), the workers and leader election. */
  async start(): Promise<void> {
    await startInformers(this.informers);
    this.log.info(
      {
        namespace: this.options.namespace ?? '(all)',
        models: this.informers.models.list().length,
        routes: this.informers.routes.list().length,
        providers: this.informers.providers.list().length,
      },
      'informers synced',
    );
    const n = Math.max(1, this.options.workers ?? 4);
    for (let i = 0; i < n; i++) this.workers.push(this.runWorker());
    this.routing.start();
    const period = this.options.resyncPeriodMs ?? 600_000;
    this.resyncTimer = setInterval(() => this.enqueueAll(), period);
    this.resyncTimer.unref();
    if (this.elector) this.elector.start();
    else this.setLeading(true);
  }

  /** Graceful stop: no new work, in-flight reconciles finish, the Lease is released. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.queue.shutDown();
    this.releaseWaiters();
    await Promise.all([...this.workers, this.routing.stop()]);
    await this.elector?.stop();
    this.leading = false;
    this.metrics.leader.set(0);
    await stopInformers(this.informers);
    this.log.info('controller stopped');
  }

  private setLeading(value: boolean): void {
    this.leading = value;
    this.metrics.leader.set(value ? 1 : 0);
    this.log.info({ leader: value }, value ? 'became leader' : 'lost leadership');
    if (value) {
      this.releaseWaiters();
      this.enqueueAll();
    }
  }

  private releaseWaiters(): void {
    for (const w of this.leaderWaiters.splice(0)) w();
  }

  private whenLeading(): Promise<void> {
    if (this.leading || this.stopping) return Promise.resolve();
    return new Promise((resolve) => this.leaderWaiters.push(resolve));
  }

  private enqueueAll(): void {
    if (!this.leading) return;
    this.routing.enqueueAll();
    for (const m of this.informers.models.list()) {
      this.queue.add(modelKey(m.metadata?.namespace, m.metadata?.name ?? ''));
    }
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      await this.whenLeading();
      if (this.stopping) return;
      const key = await this.queue.get();
      if (key === undefined) return;
      if (!this.leading) {
        this.queue.done(key);
        this.queue.add(key);
        continue;
      }
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const log = this.log.child({ model: key });
    const end = this.metrics.duration.startTimer();
    const span = this.options.tracer?.startSpan('bascule.reconcile', {
      attributes: { 'bascule.model': key },
    });
    try {
      const outcome = await reconcileModel(key, {
        client: this.options.client,
        informers: this.informers,
        capacity: this.capacityView,
        memo: this.memo,
        log,
        metrics: this.metrics,
        plan: {
          ...this.options.plan,
          ...(this.options.render ? { render: this.options.render } : {}),
        },
        now: this.options.now ?? (() => new Date()),
        ...(this.lora ? { lora: this.lora } : {}),
      });
      this.queue.forget(key);
      this.metrics.reconciles.inc({ result: 'success' });
      span?.setAttribute('bascule.reconcile.result', 'success');
      if (outcome?.requeueAfterMs !== undefined) this.queue.addAfter(key, outcome.requeueAfterMs);
    } catch (err) {
      const retryable = !(err instanceof KubeError) || err.retryable;
      const reason = err instanceof KubeError ? err.reason || String(err.status) : 'Internal';
      this.metrics.reconciles.inc({ result: 'error' });
      this.metrics.errors.inc({ reason });
      span?.setAttribute('bascule.reconcile.result', 'error');
      span?.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      if (retryable) {
        const delay = this.queue.addRateLimited(key);
        log.warn({ err: errorText(err), retryInMs: delay }, 'reconcile failed; retrying');
      } else {
        this.queue.forget(key);
        log.error(
          { err: errorText(err) },
          'reconcile failed; not retrying until the Model changes',
        );
      }
    } finally {
      end();
      span?.end();
      this.queue.done(key);
    }
  }

  private onEvent(
    resource: keyof ClusterInformers,
    event: InformerEvent,
    object: KubernetesObject,
  ): void {
    if (resource === 'models' || resource === 'routes' || resource === 'providers')
      this.routing.onEvent(resource, event, object);
    if (resource === 'routes' || resource === 'providers') return;
    if (resource === 'models') {
      const key = modelKey(object.metadata?.namespace, object.metadata?.name ?? '');
      this.memo.delete(key);
      if (event === 'delete') this.queue.forget(key);
      else this.queue.add(key);
      return;
    }
    if (resource === 'nodes') {
      this.capacityView.invalidate();
      const node = object as V1Node;
      const name = node.metadata?.name ?? '';
      const print = event === 'delete' ? '' : nodeFingerprint(node);
      if (this.nodePrints.get(name) !== print) {
        this.nodePrints.set(name, print);
        this.enqueueAll();
      }
      return;
    }
    if (resource === 'pods') {
      this.capacityView.invalidate();
      const pod = object as V1Pod;
      const freed =
        podGpuRequest(pod) > 0 &&
        (event === 'delete' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed');
      if (freed) this.enqueueWaitingForCapacity();
      if (!pod.metadata?.labels?.[MODEL_LABEL]) return;
    }
    const key = ownerModelKey(object);
    if (key) this.queue.add(key);
  }

  /** Models that reported CapacityAvailable=False get another look when GPUs free up. */
  private enqueueWaitingForCapacity(): void {
    for (const m of this.informers.models.list()) {
      const status: ModelStatus | undefined = m.status;
      if (findCondition(status?.conditions, 'CapacityAvailable')?.status === 'False') {
        this.queue.add(modelKey(m.metadata?.namespace, m.metadata?.name ?? ''));
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
