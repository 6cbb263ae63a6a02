import {
  parseModel,
  parseProvider,
  parseRoute,
  parseDuration,
  type Model,
  type Provider,
  type Route,
  type FallbackTrigger,
} from '@bascule/spec';
import {
  calibrate,
  findGpuProfile,
  kvCapacityTokens,
  defaultLoadSeconds,
  type LatencyCoefficients,
} from '@bascule/engine-sim';

/** The closed API overflow goes to: prices come from the Provider; latency is modelled here. */
export interface ClosedApiLatency {
  /** Time to first token: base plus per prompt token (ms). */
  ttftBaseMs: number;
  ttftPerPromptTokenMs: number;
  /** Time per output token (ms). */
  tpotMs: number;
}

/** Everything one replay needs besides the trace and the policy. */
export interface ReplayScenario {
  model: Model;
  provider: Provider;
  route: Route;
  /** Engine-sim calibration of one replica. */
  coefficients: LatencyCoefficients;
  kvCapacityTokens: number;
  /** GPUs of the Model's type the replicas may use. */
  gpuBudget: number;
  /** Time from creating a replica to it being ready (scheduling, image, model load). */
  coldStartMs: number;
  /** Autoscaler period. */
  tickMs: number;
  /**
   * The TTFT bound of a request is max(sloTtftMs, sloTtftPerPromptTokenMs x prompt tokens): a
   * fixed bound for short prompts, and one that grows with the prompt for long ones, whose
   * prefill alone takes seconds on any server (see ttftBoundMs).
   */
  sloTtftMs: number;
  sloTtftPerPromptTokenMs: number;
  sloTpotMs: number;
  closedApi: ClosedApiLatency;
  /**
   * Replicas the autoscaler starts from (warm, as a running deployment would); undefined: what
   * the trace's first minute needs (warmReplicas).
   */
  startReplicas?: number;
}

export interface ScenarioOptions {
  gpu?: string;
  gpusPerReplica?: number;
  paramsB?: number;
  gpuBudget?: number;
  gpuHourUSD?: number;
  maxConcurrency?: number;
  targetInFlight?: number;
  minReplicas?: number;
  scaleUpDelay?: string;
  scaleDownDelay?: string;
  scaleToZeroDelay?: string;
  maxQueueWait?: string;
  /** Route fallback triggers (default all); without coldStart a request waits for a cold Model. */
  fallbackTriggers?: FallbackTrigger[];
  coldStart?: string;
  tick?: string;
  sloTtft?: string;
  /** Per prompt token TTFT allowance (ms); 0 makes the TTFT bound a flat sloTtft. */
  sloTtftPerPromptTokenMs?: number;
  sloTpot?: string;
  providerModel?: string;
  inputUSDPer1M?: number;
  outputUSDPer1M?: number;
  startReplicas?: number;
  /**
   * Give the Model the overflow target's token prices (autoscaling.overflowCost), so the
   * autoscaler weighs overflow $ against replica $ (default true; false: load and SLO only).
   */
  overflowCost?: boolean;
}

/**
 * Default per prompt token TTFT allowance: 0.15 ms, three times the unloaded prefill rate of both
 * servers in the replay (engine-sim's 8B on an A100 prefills at ~0.048 ms per token, the closed
 * API model at 0.05 ms per token). Prompts under ~13k tokens keep the flat 2 s bound; a 32k-token
 * prompt gets 4.9 s, a 191k-token one 28.7 s. A flat 2 s is unreachable from ~30k tokens on even
 * for an idle server, which made the SLO column measure the trace's prompt lengths rather than the
 * policy.
 */
export const DEFAULT_TTFT_PER_PROMPT_TOKEN_MS = 0.15;

/** The TTFT bound of one request under the scenario's SLO (ms). */
export function ttftBoundMs(scenario: ReplayScenario, promptTokens: number): number {
  return Math.max(scenario.sloTtftMs, scenario.sloTtftPerPromptTokenMs * promptTokens);
}

/**
 * The default scenario: an 8B model on 1 x A100 per replica (engine-sim's calibration) at
 * $1.80 per GPU-hour, vLLM --max-num-seqs 8 (the gateway's headroom per replica), the spec's
 * autoscaling defaults (target 75% of that, scale down after 5 min, to zero after 15 min), up
 * to 16 A100s, and a Route that prefers it and overflows to a closed API priced like gpt-5-mini.
 */
export function buildScenario(o: ScenarioOptions = {}): ReplayScenario {
  const gpu = o.gpu ?? 'nvidia-a100';
  const per = o.gpusPerReplica ?? 1;
  const paramsB = o.paramsB ?? 8;
  const profile = findGpuProfile(gpu);
  if (!profile) throw new Error(`--gpu: unknown GPU type "${gpu}"`);
  const kv = kvCapacityTokens({
    gpu: profile,
    paramsB,
    tensorParallel: per,
    gpuMemoryUtilization: 0.9,
  });
  if (kv <= 0) throw new Error(`--params-b: a ${paramsB}B model does not fit on ${per} x ${gpu}`);
  const maxContext = Math.min(32_768, kv);
  const budget = o.gpuBudget ?? 16;
  const inputUSDPer1M = o.inputUSDPer1M ?? 0.25;
  const outputUSDPer1M = o.outputUSDPer1M ?? 2;
  const model = parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'llm', namespace: 'default' },
    spec: {
      source: `hf://replay/model-${paramsB}b`,
      engine: 'vllm',
      gpus: `${gpu}:${per}`,
      maxContextLength: maxContext,
      maxConcurrency: o.maxConcurrency ?? 8,
      cost: { gpuHourUSD: o.gpuHourUSD ?? 1.8 },
      autoscaling: {
        minReplicas: o.minReplicas ?? 0,
        maxReplicas: Math.floor(budget / per),
        ...(o.targetInFlight !== undefined ? { targetInFlight: o.targetInFlight } : {}),
        scaleUpDelay: o.scaleUpDelay ?? '0s',
        scaleDownDelay: o.scaleDownDelay ?? '2m',
        scaleToZeroDelay: o.scaleToZeroDelay ?? '15m',
        ...(o.overflowCost !== false ? { overflowCost: { inputUSDPer1M, outputUSDPer1M } } : {}),
      },
    },
  });
  const providerModel = o.providerModel ?? 'gpt-5-mini';
  const provider = parseProvider({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name: 'closed', namespace: 'default' },
    spec: {
      type: 'openai',
      apiKeySecretRef: { name: 'unused', key: 'unused' },
      models: [
        {
          name: providerModel,
          inputUSDPer1M,
          outputUSDPer1M,
          contextWindow: 400_000,
        },
      ],
    },
  });
  const route = parseRoute({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Route',
    metadata: { name: 'chat', namespace: 'default' },
    spec: {
      targets: [{ model: 'llm' }, { provider: 'closed', model: providerModel }],
      fallback: {
        maxQueueWait: o.maxQueueWait ?? '500ms',
        ...(o.fallbackTriggers ? { triggers: o.fallbackTriggers } : {}),
      },
    },
  });
  return {
    model,
    provider,
    route,
    coefficients: calibrate({ gpu, paramsB, tensorParallel: per }).coefficients,
    kvCapacityTokens: kv,
    gpuBudget: budget,
    coldStartMs: o.coldStart
      ? parseDuration(o.coldStart)
      : (20 + defaultLoadSeconds(paramsB, per)) * 1000,
    tickMs: parseDuration(o.tick ?? '2s'),
    sloTtftMs: parseDuration(o.sloTtft ?? '2s'),
    sloTtftPerPromptTokenMs: o.sloTtftPerPromptTokenMs ?? DEFAULT_TTFT_PER_PROMPT_TOKEN_MS,
    sloTpotMs: parseDuration(o.sloTpot ?? '150ms'),
    closedApi: { ttftBaseMs: 500, ttftPerPromptTokenMs: 0.05, tpotMs: 15 },
    ...(o.startReplicas !== undefined ? { startReplicas: o.startReplicas } : {}),
  };
}
