/**
 * The controller: two reconcilers on the shared runtime of @bascule/kube — Models into engine
 * Deployments and Services, and the Ready condition of Routes and Providers — sharing one set
 * of informers, one Lease, one Event recorder and the controller's metrics.
 */
import type { Tracer } from '@opentelemetry/api';
import {
  EventRecorder,
  Manager,
  StatusMemo,
  kubeLeaseBackend,
  type Controller,
  type KubeClient,
  type WorkQueueOptions,
} from '@bascule/kube';
import type { RenderOptions } from '@bascule/engines';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { InformerGpuCapacityView, type GpuCapacityView } from '../capacity/gpu-capacity-view.js';
import { createClusterInformers, type ClusterInformers } from '../informers/cluster-informers.js';
import { createControllerMetrics, type ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PlanOptions } from '../plan/plan-model.js';
import { ModelReconciler } from '../reconcile/model-reconciler.js';
import { RoutingStatusReconciler } from '../routing/routing-status-reconciler.js';
import { statusEqual } from '../status/status-equal.js';
import { createHttpLoraClient } from '../adapters/engine-lora-client.js';
import type { EngineLoraClient } from '../adapters/engine-lora-client.js';

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
 * Informers run on every replica (so the GPU capacity view is warm everywhere); only the Lease
 * holder works the queues. `stop()` finishes the reconciles in flight, then releases the Lease.
 */
export class ModelController {
  readonly capacity: GpuCapacityView;
  readonly metrics: ControllerMetrics;
  readonly registry: Registry;
  private readonly manager: Manager;
  private readonly models: Controller;
  private readonly log: Logger;
  private stopped = false;

  constructor(options: ModelControllerOptions) {
    const log = (this.log = options.logger);
    const { client } = options;
    this.registry = options.registry ?? new Registry();
    const informers: ClusterInformers = createClusterInformers({
      client,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      onEvent: (resource, event, object) => this.manager.dispatch(resource, event, object),
      onError: (resource, err) =>
        log.warn({ resource, err: errorText(err) }, 'watch failed; restarting'),
    });
    const capacity = new InformerGpuCapacityView(
      informers.nodes,
      informers.pods,
      options.render?.gpuProfiles,
    );
    this.capacity = capacity;
    this.metrics = createControllerMetrics(this.registry, {
      queueDepth: () => this.models.queue.length,
      capacity: () => capacity,
    });
    this.manager = new Manager({
      informers: Object.values(informers),
      ...(options.leaderElection ? { leaderElection: leaseOptions(options, log) } : {}),
      ...(options.resyncPeriodMs !== undefined ? { resyncPeriodMs: options.resyncPeriodMs } : {}),
      onSynced: () =>
        log.info(
          {
            namespace: options.namespace ?? '(all)',
            models: informers.models.list().length,
            routes: informers.routes.list().length,
            providers: informers.providers.list().length,
          },
          'informers synced',
        ),
      onLeadingChange: (leading) => {
        this.metrics.leader.set(leading ? 1 : 0);
        log.info({ leader: leading }, leading ? 'became leader' : 'lost leadership');
      },
    });
    const now = options.now ?? (() => new Date());
    const events = new EventRecorder(client.core, (err) =>
      log.debug({ err: errorText(err) }, 'event not recorded'),
    );
    const lora = options.lora === false ? undefined : (options.lora ?? createHttpLoraClient());
    const model = new ModelReconciler({
      client,
      informers,
      capacity,
      memo: new StatusMemo(statusEqual),
      events,
      log,
      metrics: this.metrics,
      plan: { ...options.plan, ...(options.render ? { render: options.render } : {}) },
      now,
      ...(lora ? { lora } : {}),
      ...(options.tracer ? { tracer: options.tracer } : {}),
    });
    this.models = this.manager.add(model, {
      workers: options.workers ?? 4,
      ...(options.queue ? { queue: options.queue } : {}),
    });
    model.watch(this.models);
    const routing = new RoutingStatusReconciler({
      client,
      informers,
      events,
      log,
      now,
      ...options.routing,
    });
    routing.watch(this.manager.add(routing));
  }

  isLeader(): boolean {
    return this.manager.isLeader();
  }

  /** Queued Models (for tests and metrics). */
  get queueDepth(): number {
    return this.models.queue.length;
  }

  /** Starts the informers (waiting for their first lists), the workers and leader election. */
  async start(): Promise<void> {
    await this.manager.start();
  }

  /** Graceful stop: no new work, in-flight reconciles finish, the Lease is released. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.manager.stop();
    this.metrics.leader.set(0);
    this.log.info('controller stopped');
  }
}

function leaseOptions(options: ModelControllerOptions, log: Logger) {
  const le = options.leaderElection!;
  return {
    backend: kubeLeaseBackend(
      options.client.coordination,
      le.namespace,
      le.name ?? 'bascule-controller',
    ),
    identity: le.identity,
    ...(le.leaseDurationMs !== undefined ? { leaseDurationMs: le.leaseDurationMs } : {}),
    ...(le.renewDeadlineMs !== undefined ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
    ...(le.retryPeriodMs !== undefined ? { retryPeriodMs: le.retryPeriodMs } : {}),
    onError: (err: unknown) => log.warn({ err: errorText(err) }, 'leader election attempt failed'),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
