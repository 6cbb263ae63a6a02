/**
 * The Services `serve` hands every role: the configuration parsed once at start-up, the logger,
 * the metrics registry, the Kubernetes client (created once, on first use), the tracer, one
 * function that opens Redis connections and one that opens queue contexts, and what roles in
 * the same process offer one another (typed, not a Map). Roles read nothing else: no
 * `process.env`, no second parse. See docs/decisions/0031-one-serve-configuration.md.
 */
import type { GpuCapacityView } from '@bascule/controller';
import type { EndpointStore, EndpointTracker, ResourceSource } from '@bascule/gateway';
import { createKubeClient, type KubeClient } from '@bascule/kube';
import { QueueContext, createLocalFileStorage } from '@bascule/queue';
import type { Tracer } from '@opentelemetry/api';
import { createRedis } from '@bascule/keyspace';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServeConfig } from '../config/serve-config.js';
import { watchRedis } from './watch-redis.js';

/** What one role offers the others in this process; each field is set by the role named. */
export interface InProcess {
  /** controller: its view of GPU capacity (the api's /capacity reads it). */
  gpuCapacity?: GpuCapacityView;
  /** gateway: its watched Routes, Models and Providers (the worker and autoscaler reuse them). */
  resources?: ResourceSource;
  /** gateway: endpoints and in-flight counts (the worker takes only the headroom left). */
  gatewayCapacity?: { store: EndpointStore; tracker: EndpointTracker };
  /** gateway: its URL (the worker's default when BASCULE_GATEWAY_URL is unset). */
  gatewayUrl?: string;
}

/** How a Redis connection behaves when Redis is away. */
export interface RedisConnectionOptions {
  /**
   * Background loops (the autoscaler): one retry and no offline queue, so a tick fails at once.
   * Default (request paths): two retries, commands queued while reconnecting.
   */
  failFast?: boolean;
}

export interface Services {
  config: ServeConfig;
  logger: Logger;
  registry: Registry;
  /** The process's log stream (stdout): where the gateway's access log lines go too. */
  logStream: NodeJS.WritableStream;
  /** The Kubernetes client, created once for every role that needs one. */
  kube(): KubeClient;
  /** Only when tracing is on (OTEL_* variables): a Tracer for a component. */
  tracer?: (component: string) => Tracer;
  /**
   * A new Redis connection on BASCULE_REDIS_URL for `owner` (undefined without the variable),
   * its outages logged once under `owner`. The caller closes it when it stops.
   */
  redis(owner: string, options?: RedisConnectionOptions): Redis | undefined;
  /** A new queue context (BullMQ queues, job and batch stores, BASCULE_BATCH_DIR files). */
  queues(redisUrl: string): QueueContext;
  /** Shared between roles started in this process. */
  inProcess: InProcess;
}

/**
 * Every Redis connection of the server is opened here (one place to change how), through
 * @bascule/keyspace createRedis: a Cluster client for a `redis+cluster://` URL (docs/redis.md).
 */
export function openRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  return options.failFast
    ? createRedis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : createRedis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

/** The Services of one `serve`: nothing is connected until a role asks. */
export function createServices(o: {
  config: ServeConfig;
  logger: Logger;
  registry: Registry;
  logStream: NodeJS.WritableStream;
  tracer?: (component: string) => Tracer;
}): Services {
  const { config, logger } = o;
  let client: KubeClient | undefined;
  return {
    ...o,
    kube: () =>
      (client ??= createKubeClient({
        ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
        ...(config.context ? { context: config.context } : {}),
      })),
    redis(owner, options) {
      if (!config.redisUrl) return undefined;
      const redis = openRedis(config.redisUrl, options);
      watchRedis(redis, logger.child({ role: owner }), owner);
      return redis;
    },
    queues: (redisUrl) =>
      new QueueContext({ redisUrl, storage: createLocalFileStorage(config.batchDir) }),
    inProcess: {},
  };
}
