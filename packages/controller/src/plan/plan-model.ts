import type {
  KubernetesObject,
  V1Deployment,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import {
  DEFAULT_STARTUP_TIMEOUT_SECONDS,
  EngineRenderError,
  desiredAdapters,
  engineAdapter,
  vllmLoraEnabled,
  type AdapterRef,
  type RenderOptions,
} from '@bascule/engines';
import {
  API_VERSION,
  SHORTFALL_ANNOTATION,
  SpecValidationError,
  TEMPLATE_HASH_ANNOTATION,
  parseModel,
  parseShortfallAnnotation,
  resolveModelSpec,
  type Model,
  type ModelStatus,
} from '@bascule/spec';
import type { GpuCapacity } from '../capacity/gpu-capacity.js';
import { computeModelStatus, type SpecProblem } from '../status/compute-model-status.js';
import { podFacts } from '../status/pod-facts.js';
import { statusEqual } from '../status/status-equal.js';
import { findCondition } from '../status/upsert-condition.js';
import { containsSubset } from './contains-subset.js';
import { isOwnedBy, modelOwnerReference, withOwner } from './owner-reference.js';

/** A Model as the API returns it: the spec is not trusted until parsed. */
export interface ModelObject extends KubernetesObject {
  spec?: unknown;
  status?: ModelStatus;
}

/** Everything the controller observed about one Model, from its caches. */
export interface ModelObservation {
  model: ModelObject;
  deployment?: V1Deployment;
  service?: V1Service;
  /** Pods labelled with the Model's name, in its namespace. */
  pods: readonly V1Pod[];
  nodes: ReadonlyMap<string, V1Node>;
  capacity: GpuCapacity;
  now: Date;
}

export interface PlanOptions {
  render?: RenderOptions;
  /** Requeue delay while waiting for GPUs (default 30 s). */
  capacityRecheckMs?: number;
  /** Requeue delay while a rollout or scale is in progress (default 60 s). */
  progressRecheckMs?: number;
}

/** What to do for one Model: objects to apply, the status to write (if changed), when to look again. */
export interface ModelPlan {
  apply: KubernetesObject[];
  /** Why each object is applied (for logs). */
  applyReasons: string[];
  status?: ModelStatus;
  requeueAfterMs?: number;
  problem?: SpecProblem;
  /**
   * vLLM with LoRA on: the adapters every ready replica should have loaded (the controller
   * loads and unloads them through the engine's runtime API, see sync-adapters.ts).
   */
  adapters?: AdapterRef[];
}

interface Desired {
  model: Model;
  deployment: V1Deployment;
  service: V1Service;
  replicas: number;
  gpuType: string;
  gpuCount: number;
}

function render(obs: ModelObservation, options: PlanOptions): Desired | SpecProblem {
  const meta = obs.model.metadata ?? {};
  let model: Model;
  try {
    model = parseModel({
      apiVersion: API_VERSION,
      kind: 'Model',
      metadata: { name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) },
      spec: obs.model.spec,
    });
  } catch (err) {
    if (err instanceof SpecValidationError) return { reason: 'InvalidSpec', message: err.message };
    throw err;
  }
  const resolved = resolveModelSpec(model.metadata.name, model.spec);
  try {
    const adapter = engineAdapter(model.spec.engine);
    const input = { model, ...(options.render ? { options: options.render } : {}) };
    return {
      model,
      deployment: adapter.renderDeployment({ ...input, replicas: resolved.replicas }),
      service: adapter.renderService(input),
      replicas: resolved.replicas,
      gpuType: resolved.gpuType,
      gpuCount: resolved.gpuCount,
    };
  } catch (err) {
    if (err instanceof EngineRenderError) return { reason: err.reason, message: err.message };
    throw err;
  }
}

function conflict(
  kind: string,
  object: KubernetesObject | undefined,
  uid: string,
): SpecProblem | undefined {
  if (!object || isOwnedBy(object, uid)) return undefined;
  const name = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
  return {
    reason: 'NameConflict',
    message: `${kind} ${name} already exists and is not owned by this Model; delete or rename it`,
  };
}

/**
 * The pure heart of the controller: from observed state to a plan. A Deployment is applied when
 * it is missing, its template hash differs (spec changed), its replicas differ, or a rendered
 * field was edited by hand (drift); the Service likewise. Status is returned only when it
 * differs from the one stored.
 */
export function planModel(obs: ModelObservation, options: PlanOptions = {}): ModelPlan {
  const meta = obs.model.metadata ?? {};
  const uid = meta.uid ?? '';
  const desired = render(obs, options);
  const problem =
    'reason' in desired
      ? desired
      : (conflict('Deployment', obs.deployment, uid) ?? conflict('Service', obs.service, uid));
  const apply: KubernetesObject[] = [];
  const applyReasons: string[] = [];
  if (!problem && !('reason' in desired)) {
    const owner = modelOwnerReference(meta.name ?? '', uid);
    const live = obs.deployment;
    const want = desired.deployment;
    const why = !live
      ? 'Deployment missing'
      : live.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] !==
          want.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION]
        ? 'spec changed'
        : live.spec?.replicas !== want.spec?.replicas
          ? `replicas ${live.spec?.replicas ?? 0} -> ${want.spec?.replicas ?? 0}`
          : !containsSubset(live.spec?.template, want.spec?.template) ||
              !containsSubset(live.metadata?.labels, want.metadata?.labels) ||
              !containsSubset(live.spec?.strategy, want.spec?.strategy)
            ? 'Deployment drifted from the rendered spec'
            : undefined;
    if (why) {
      apply.push(withOwner(want, owner));
      applyReasons.push(why);
    }
    if (!obs.service || !containsSubset(obs.service.spec, desired.service.spec)) {
      apply.push(withOwner(desired.service, owner));
      applyReasons.push(obs.service ? 'Service drifted from the rendered spec' : 'Service missing');
    }
  }
  const ok = 'reason' in desired ? undefined : desired;
  const hashAnnotation = TEMPLATE_HASH_ANNOTATION;
  const pods = obs.pods.map((p) => podFacts(p, obs.nodes, hashAnnotation));
  const previous = obs.model.status;
  const shortfall = parseShortfallAnnotation(meta.annotations?.[SHORTFALL_ANNOTATION]);
  const status = computeModelStatus({
    name: meta.name ?? '',
    generation: meta.generation ?? 0,
    ...(previous ? { previous } : {}),
    desired: ok?.replicas ?? obs.deployment?.spec?.replicas ?? 0,
    ...(ok ? { gpuType: ok.gpuType, gpuCount: ok.gpuCount } : {}),
    ...(ok && !problem
      ? { desiredHash: ok.deployment.metadata?.annotations?.[TEMPLATE_HASH_ANNOTATION] ?? '' }
      : {}),
    ...(problem ? { problem } : {}),
    ...(obs.deployment ? { deployment: obs.deployment } : {}),
    pods,
    capacity: obs.capacity,
    ...(shortfall ? { shortfall } : {}),
    startupTimeoutSeconds: options.render?.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS,
    now: obs.now,
  });
  const plan: ModelPlan = { apply, applyReasons };
  if (ok && ok.model.spec.engine === 'vllm' && vllmLoraEnabled(ok.model))
    plan.adapters = desiredAdapters(ok.model);
  if (!statusEqual(previous, status)) plan.status = status;
  if (problem) plan.problem = problem;
  if (findCondition(status.conditions, 'CapacityAvailable')?.status === 'False') {
    plan.requeueAfterMs = options.capacityRecheckMs ?? 30_000;
  } else if (findCondition(status.conditions, 'Progressing')?.status === 'True') {
    plan.requeueAfterMs = options.progressRecheckMs ?? 60_000;
  }
  return plan;
}
