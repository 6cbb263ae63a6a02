import type { V1Container, V1Deployment, V1Service } from '@kubernetes/client-node';
import type { Engine, Model } from '@bascule/spec';
import type { GpuProfileTable } from '../gpu/gpu-profile-table.js';
import type { PrometheusSample } from '../metrics/parse-prometheus-text.js';
import type { WeightsPlan } from '../render/plan-weights.js';

/** What a rendering needs besides the Model: cluster-specific settings, all with defaults. */
export interface RenderOptions {
  /** GPU type -> node labels and tolerations (DEFAULT_GPU_PROFILES when omitted). */
  gpuProfiles?: GpuProfileTable;
  /** Replaces an engine's pinned image for every Model (spec.image still wins). */
  images?: Partial<Record<Engine, string>>;
  /** How long a replica may take to load its weights before it is restarted (default 3600). */
  startupTimeoutSeconds?: number;
}

/** The inputs of one rendering: the parsed Model (defaults applied) and its replica count. */
export interface RenderInput {
  model: Model;
  /** Deployment replicas; the controller decides (spec.replicas or autoscaling.minReplicas). */
  replicas: number;
  options?: RenderOptions;
}

/** The engine-specific part of a container: how to start the engine and where it answers. */
export interface EngineContainerParts {
  image: string;
  command: string[];
  args: string[];
  env: NonNullable<V1Container['env']>;
  port: number;
  healthPath: string;
}

/** Load of one engine replica, read from its Prometheus metrics. */
export interface EngineLoad {
  /** Requests in the running batch. */
  running: number;
  /** Requests queued, not yet scheduled. */
  waiting: number;
  /** KV-cache usage in [0, 1]; undefined when the engine does not expose it. */
  kvCacheUsage?: number;
}

/** Metric names an engine exports, for scraping and dashboards. */
export interface EngineMetricNames {
  /** Gauge: requests in the running batch. */
  running: string;
  /** Gauge: requests queued. */
  waiting: string;
  /** Gauge from which KV-cache usage is read. */
  kvCache: string;
  /** Histogram: end-to-end request latency in seconds. */
  requestDuration: string;
  /** Histogram: time spent queued in seconds. */
  queueDuration: string;
  /** Histogram: time per output token in seconds. */
  timePerOutputToken: string;
  /** Histogram: time to first token in seconds (absent when the engine has none). */
  timeToFirstToken?: string;
}

/** Context for reading load: what the scraper knows about the replica. */
export interface ReadLoadContext {
  /** TGI only: --max-batch-total-tokens of the replica, to turn tokens in use into a ratio. */
  maxBatchTotalTokens?: number;
}

/** One inference engine: pure functions from a Model to Kubernetes objects, and from metrics to load. */
export interface EngineAdapter {
  engine: Engine;
  /** The official image this adapter was written against. */
  defaultImage: string;
  /** Port the engine listens on inside the pod. */
  port: number;
  /** HTTP path answering 200 once the model is loaded. */
  healthPath: string;
  /** Path of the Prometheus metrics. */
  metricsPath: string;
  metricNames: EngineMetricNames;
  /** The engine's command line for a Model (command and args, without the image). */
  renderContainerParts(
    model: Model,
    weights: WeightsPlan,
    options?: RenderOptions,
  ): EngineContainerParts;
  renderDeployment(input: RenderInput): V1Deployment;
  renderService(input: Omit<RenderInput, 'replicas'>): V1Service;
  readLoad(samples: readonly PrometheusSample[], context?: ReadLoadContext): EngineLoad;
}
