import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { AutoscalerLoop } from '../loop/autoscaler-loop.js';
import {
  memoryStateStore,
  type CapacitySource,
  type DecisionObserver,
  type LoopClock,
  type LoadSource,
  type ObservedLoad,
  type ScalableModel,
} from '../loop/autoscaler-ports.js';
import type { PolicyTuning } from '../policy/scaling-settings.js';
import { kubeEventRecorder } from './kube-event-recorder.js';
import { kubeModelSource } from './kube-model-source.js';
import { kubeScaleWriter } from './kube-scale-writer.js';
import { kubeShortfallPublisher } from './kube-shortfall-publisher.js';
import { PromAutoscalerMetrics } from './prom-autoscaler-metrics.js';
import { redisLoadSource, redisStateStore } from './redis-load-source.js';
import { scrapeEngineLoad } from './scrape-engine-load.js';

export interface KubeAutoscalerOptions {
  custom: CustomObjectsApi;
  core: CoreV1Api;
  /** Gateways' in-flight counts and the policy state; without it load comes from /metrics only. */
  redis?: Redis;
  /** Free GPUs per type: the controller's GPU capacity view. */
  capacity: CapacitySource;
  isLeader: () => boolean;
  namespace?: string;
  registry?: Registry;
  intervalMs?: number;
  tuning?: Partial<PolicyTuning>;
  clock?: LoopClock;
  queuedJobs?: (model: ScalableModel) => Promise<number>;
  log?: (entry: Record<string, unknown>) => void;
  /** Sees every decision too, after the Prometheus metrics (tests, audit logs). */
  observer?: DecisionObserver;
  /** Sees each Model's observed load as read (the dashboard's per-minute Model series). */
  loadObserver?: (model: ScalableModel, load: ObservedLoad) => void;
}

/** The autoscaler loop wired to Kubernetes, Redis and Prometheus; call start() on every replica. */
export function createKubeAutoscaler(o: KubeAutoscalerOptions): {
  loop: AutoscalerLoop;
  metrics: PromAutoscalerMetrics;
} {
  const metrics = new PromAutoscalerMetrics(o.registry);
  const read: LoadSource = o.redis
    ? redisLoadSource({ redis: o.redis, ...(o.queuedJobs ? { queuedJobs: o.queuedJobs } : {}) })
    : {
        read: async (m: ScalableModel) => ({
          gatewayInFlight: 0,
          overflowInFlight: 0,
          engines: await scrapeEngineLoad(m),
          queuedJobs: o.queuedJobs ? await o.queuedJobs(m) : 0,
        }),
      };
  const seen = o.loadObserver;
  const load: LoadSource = seen
    ? {
        read: async (m) => {
          const l = await read.read(m);
          seen(m, l);
          return l;
        },
      }
    : read;
  const loop = new AutoscalerLoop({
    models: kubeModelSource({
      custom: o.custom,
      core: o.core,
      ...(o.namespace ? { namespace: o.namespace } : {}),
    }),
    capacity: o.capacity,
    load,
    scale: kubeScaleWriter(o.custom),
    shortfall: kubeShortfallPublisher(o.custom),
    events: kubeEventRecorder(o.core),
    state: o.redis ? redisStateStore(o.redis) : memoryStateStore(),
    observer: o.observer ? both(metrics, o.observer) : metrics,
    isLeader: o.isLeader,
    ...(o.intervalMs ? { intervalMs: o.intervalMs } : {}),
    ...(o.tuning ? { tuning: o.tuning } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  return { loop, metrics };
}

function both(a: DecisionObserver, b: DecisionObserver): DecisionObserver {
  return {
    // Every argument on to both (the observed load too: the KV-cache gauges read it).
    observe: (...args) => {
      a.observe(...args);
      b.observe(...args);
    },
    error: (ref, stage) => {
      a.error?.(ref, stage);
      b.error?.(ref, stage);
    },
  };
}
