import type { CapacityShortfall, Model } from '@bascule/spec';
import type { ScaleDecision } from '../policy/scale-decision.js';
import type { ScalerState } from '../policy/scaler-state.js';
import type { EngineObservation } from '../policy/slo-signals.js';

/** A Model by namespace and name. */
export interface ModelRef {
  namespace: string;
  name: string;
  uid?: string;
}

/** One ready pod of a Model, to scrape. */
export interface ModelPod {
  name: string;
  ip: string;
  port: number;
}

/** A Model the loop may scale, with what the cluster says about its replicas. */
export interface ScalableModel {
  ref: ModelRef;
  /** The parsed Model (defaults applied). */
  model: Model;
  /** spec.replicas (autoscaling.minReplicas when unset). */
  currentReplicas: number;
  readyReplicas: number;
  /** Pods bound to a node (holding GPUs), ready or starting. */
  scheduledReplicas: number;
  /** Pods the scheduler reported it cannot place (PodScheduled=False, reason Unschedulable). */
  unschedulableReplicas: number;
  readyPods: ModelPod[];
}

/** Lists the Models whose autoscaling is enabled. */
export interface ModelSource {
  list(): Promise<ScalableModel[]>;
}

/** Free GPUs per type (the controller's GPU capacity view). */
export interface CapacitySource {
  freeGpus(gpuType: string): Promise<number> | number;
}

/** Load of one Model from the gateways, the engines and the job queue. */
export interface ObservedLoad {
  gatewayInFlight: number;
  overflowInFlight: number;
  engines: EngineObservation[];
  queuedJobs: number;
}

export interface LoadSource {
  read(model: ScalableModel): Promise<ObservedLoad>;
}

/** Applies a replica count through the Model's scale subresource. */
export interface ScaleWriter {
  setReplicas(ref: ModelRef, replicas: number): Promise<void>;
}

/** Records a decision as a Kubernetes Event on the Model. */
export interface EventRecorder {
  record(ref: ModelRef, event: DecisionEvent): Promise<void>;
}

export interface DecisionEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase reason: ScaledUp, ScaledDown, ScaledToZero, ScaledFromZero, CapacityShortfall. */
  reason: string;
  message: string;
}

/** Publishes a capacity shortfall on the Model (annotation) for the controller; undefined clears it. */
export interface ShortfallPublisher {
  publish(ref: ModelRef, shortfall: CapacityShortfall | undefined): Promise<void>;
}

/** Keeps the policy state per Model across ticks and restarts (memory, Redis). */
export interface StateStore {
  get(ref: ModelRef): Promise<ScalerState | undefined>;
  set(ref: ModelRef, state: ScalerState): Promise<void>;
}

/** Sees every decision (Prometheus metrics). */
export interface DecisionObserver {
  /** `seen`: the load the decision was made from (engines, queued jobs). */
  observe(ref: ModelRef, decision: ScaleDecision, seen?: ObservedLoad): void;
  error?(ref: ModelRef | undefined, stage: string): void;
}

/** Time and timers, injected so tests run the loop in virtual time. */
export interface LoopClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemLoopClock: LoopClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A StateStore in this process's memory (lost on restart; the policy then starts conservatively). */
export function memoryStateStore(): StateStore {
  const m = new Map<string, ScalerState>();
  const key = (r: ModelRef) => `${r.namespace}/${r.name}`;
  return {
    get: (r) => Promise.resolve(m.get(key(r))),
    set: (r, s) => {
      m.set(key(r), s);
      return Promise.resolve();
    },
  };
}
