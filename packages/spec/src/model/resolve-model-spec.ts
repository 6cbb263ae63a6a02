import { parseDuration } from '../common/duration.js';
import { parseGpuProfile } from './gpu-profile.js';
import type { ModelSpec } from './model-spec.js';

/** A Model spec's derived values, with every "defaults to ..." rule applied once. */
export interface ResolvedModelSpec {
  gpuType: string;
  gpuCount: number;
  tensorParallelism: number;
  /** Canonical served name first. */
  servedNames: string[];
  /** Replicas wanted now: spec.replicas, else autoscaling.minReplicas. */
  replicas: number;
  targetInFlight: number;
  scaleUpDelayMs: number;
  scaleDownDelayMs: number;
  scaleToZeroDelayMs: number;
  /** The latency objective in ms, and the share of requests that should meet it. */
  slo: { ttftMs: number; tpotMs: number; attainment: number };
  /** USD per replica-hour (gpuHourUSD x GPU count), 0 when no cost is set. */
  replicaHourUSD: number;
  /** USD per token at the overflow target (autoscaling.overflowCost), when set. */
  overflowUSDPerToken?: { input: number; output: number };
}

/** Derives the values consumers need from a parsed Model (name is metadata.name). */
export function resolveModelSpec(name: string, spec: ModelSpec): ResolvedModelSpec {
  const gpu = parseGpuProfile(spec.gpus);
  return {
    gpuType: gpu.type,
    gpuCount: gpu.count,
    tensorParallelism: spec.tensorParallelism ?? gpu.count,
    servedNames: spec.servedNames ?? [name],
    replicas: spec.replicas ?? spec.autoscaling.minReplicas,
    targetInFlight: spec.autoscaling.targetInFlight ?? Math.max(1, spec.maxConcurrency * 0.75),
    scaleUpDelayMs: parseDuration(spec.autoscaling.scaleUpDelay),
    scaleDownDelayMs: parseDuration(spec.autoscaling.scaleDownDelay),
    scaleToZeroDelayMs: parseDuration(spec.autoscaling.scaleToZeroDelay),
    slo: {
      ttftMs: spec.autoscaling.slo.ttftSeconds * 1000,
      tpotMs: spec.autoscaling.slo.tpotSeconds * 1000,
      attainment: spec.autoscaling.slo.attainment,
    },
    replicaHourUSD: (spec.cost?.gpuHourUSD ?? 0) * gpu.count,
    ...(spec.autoscaling.overflowCost
      ? {
          overflowUSDPerToken: {
            input: spec.autoscaling.overflowCost.inputUSDPer1M / 1e6,
            output: spec.autoscaling.overflowCost.outputUSDPer1M / 1e6,
          },
        }
      : {}),
  };
}
