import { BatchScheduler } from './batch-scheduler.js';
import { calibrate, type Calibration } from './calibrate.js';
import type { Clock } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import type { EngineMetrics } from './engine-metrics.js';
import { NO_FAULTS, type FaultSettings } from './fault-settings.js';
import { runGeneration, type GenerateParams, type GenerationEvents } from './generation.js';
import { findGpuProfile, type GpuProfile } from './gpu-profiles.js';
import { KV_BLOCK_TOKENS, kvCapacityTokens } from './kv-capacity.js';
import { parseParamsB } from './model-size.js';
import { seededRandom } from './seeded-random.js';
import { createTgiMetrics } from './tgi-metrics.js';
import { blockHashesFromTokens } from './prefix-block-hashes.js';
import {
  tgiDefaultMaxBatchPrefillTokens,
  vllmDefaultMaxNumBatchedTokens,
} from './step-budget-defaults.js';
import {
  createTokenCounter,
  createTokenEncoder,
  type TokenCounter,
  type TokenEncoder,
  type TokenizerKind,
} from './token-counter.js';
import { createVllmMetrics } from './vllm-metrics.js';

export interface RuntimeOptions {
  config: EngineConfig;
  gpu: string;
  clock: Clock;
  timeScale: number;
  tokenizer?: TokenizerKind;
}

/** Default model size when the name carries none (billions of parameters). */
export const DEFAULT_PARAMS_B = 8;

/** Simulated load time (model seconds): 15 s plus 3 s per billion parameters per GPU. */
export function defaultLoadSeconds(paramsB: number, tensorParallel: number): number {
  return 15 + (3 * paramsB) / tensorParallel;
}

/** Startup failure the real engine would exit with (the model does not fit, and so on). */
export class EngineStartupError extends Error {
  override name = 'EngineStartupError';
}

/**
 * One simulated engine's state, independent of HTTP: its calibration, scheduler, metrics,
 * faults and token counter. The vLLM and TGI front ends both drive it.
 */
export class EngineRuntime {
  readonly config: EngineConfig;
  readonly calibration: Calibration;
  readonly scheduler: BatchScheduler;
  readonly metrics: EngineMetrics;
  readonly countTokens: TokenCounter;
  readonly encodeTokens: TokenEncoder;
  readonly kvCapacityTokens: number;
  /** Tokens one scheduler step computes at most (the flag, else the engine's GPU default). */
  readonly maxNumBatchedTokens: number;
  readonly clock: Clock;
  faults: FaultSettings;
  /** Inference requests received so far (for crash-after-N). */
  requestCount = 0;
  /** Request callbacks that threw (each dropped its sequence). */
  callbackErrors = 0;
  private readonly faultRandom: () => number;

  constructor(options: RuntimeOptions) {
    const { config } = options;
    this.config = config;
    this.clock = options.clock;
    const paramsB = config.sim.paramsB ?? parseParamsB(config.model) ?? DEFAULT_PARAMS_B;
    this.calibration = calibrate({
      gpu: options.gpu,
      paramsB,
      tensorParallel: config.tensorParallel,
    });
    const gpu = findGpuProfile(options.gpu)!;
    const computed = kvCapacityTokens({
      gpu,
      paramsB,
      tensorParallel: config.tensorParallel,
      gpuMemoryUtilization: config.gpuMemoryUtilization,
      quantization: config.quantization,
      dtype: config.dtype,
    });
    this.kvCapacityTokens = config.kvCapacityTokens ?? computed * (config.dataParallel ?? 1);
    this.checkFits(computed);
    this.maxNumBatchedTokens = defaultStepBudget(config, gpu, paramsB, this.kvCapacityTokens);
    this.scheduler = new BatchScheduler({
      coefficients: this.calibration.coefficients,
      maxNumSeqs: config.maxNumSeqs,
      kvCapacityTokens: this.kvCapacityTokens,
      clock: options.clock,
      timeScale: options.timeScale,
      maxNumBatchedTokens: this.maxNumBatchedTokens,
      blockSize: KV_BLOCK_TOKENS,
      enablePrefixCaching: config.enablePrefixCaching ?? true,
      chunkedPrefill: config.enableChunkedPrefill ?? true,
      // vLLM V1 allocates blocks as it goes and preempts; TGI reserves prompt + output up front
      kvAllocation: config.engine === 'vllm' ? 'on-demand' : 'reserve',
      // one failing request must not take down the other simulated pods in this process
      onCallbackError: (error) => {
        this.callbackErrors += 1;
        process.emitWarning(
          `engine-sim: a request handler failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    });
    this.metrics =
      config.engine === 'vllm'
        ? createVllmMetrics(
            config.servedModelNames[0]!,
            config.maxModelLen,
            Math.floor(this.kvCapacityTokens / KV_BLOCK_TOKENS),
          )
        : createTgiMetrics(config.maxInputTokens ?? config.maxModelLen - 1, config.maxModelLen);
    this.countTokens = createTokenCounter(options.tokenizer);
    this.encodeTokens = createTokenEncoder(options.tokenizer);
    this.faults = { ...NO_FAULTS, ...config.sim.faults };
    this.faultRandom = seededRandom(config.seed ^ 0x9e3779b9);
  }

  get paramsB(): number {
    return this.calibration.paramsB;
  }

  private checkFits(computed: number): void {
    const { config } = this;
    if (computed <= 0) {
      throw new EngineStartupError(
        config.engine === 'vllm'
          ? 'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.'
          : 'Error: Shard cannot start: torch.OutOfMemoryError: CUDA out of memory while loading the model weights.',
      );
    }
    if (computed < config.maxModelLen) {
      const gib = (n: number) => ((n * 131072) / 2 ** 30).toFixed(2);
      throw new EngineStartupError(
        config.engine === 'vllm'
          ? `ValueError: To serve at least one request with the models's max seq len (${config.maxModelLen}), (${gib(config.maxModelLen)} GiB KV cache is needed, which is larger than the available KV cache memory (${gib(computed)} GiB). Based on the available memory, the estimated maximum model length is ${computed}. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`
          : `Error: Not enough memory to handle ${config.maxModelLen} total tokens: the KV cache holds ${computed} tokens. Lower \`--max-total-tokens\`.`,
      );
    }
  }

  /** Prefix-cache block hashes of a prompt's token ids (chained, 16-token blocks, as vLLM). */
  promptBlockHashes(tokenIds: ArrayLike<number>): number[] {
    return blockHashesFromTokens(tokenIds, KV_BLOCK_TOKENS);
  }

  /** Served names plus LoRA adapter names: the values accepted in "model". */
  resolveModel(name: string | undefined): { name: string; lora?: string } | undefined {
    const served = this.config.servedModelNames;
    if (name === undefined || name === '' || served.includes(name)) return { name: served[0]! };
    const lora = this.config.loraModules.find((l) => l.name === name);
    return lora ? { name: lora.name, lora: lora.name } : undefined;
  }

  generate(params: GenerateParams, events: GenerationEvents): () => void {
    return runGeneration(this.scheduler, params, events, (r) => this.metrics.requestFinished(r));
  }

  /** Picks the fault, if any, for the next inference request. */
  drawFault(): 'crash' | 'error' | 'unavailable' | 'hang' | undefined {
    this.requestCount += 1;
    const f = this.faults;
    if (f.crashAfterRequests !== null && this.requestCount > f.crashAfterRequests) return 'crash';
    if (f.errorRate > 0 && this.faultRandom() < f.errorRate) return 'error';
    if (f.unavailableRate > 0 && this.faultRandom() < f.unavailableRate) return 'unavailable';
    if (f.hangRate > 0 && this.faultRandom() < f.hangRate) return 'hang';
    return undefined;
  }

  metricsText(): string {
    return this.metrics.render(this.scheduler.stats());
  }
}

/**
 * The step token budget: `--max-num-batched-tokens` / `--max-batch-prefill-tokens` when
 * given, else the engine's default for the GPU. vLLM without chunked prefill takes at least
 * the whole context in a step. TGI's default is capped by `--max-batch-total-tokens`, which
 * the router requires to be at least the prefill budget.
 */
function defaultStepBudget(
  config: EngineConfig,
  gpu: GpuProfile,
  paramsB: number,
  kvCapacityTokens: number,
): number {
  if (config.maxNumBatchedTokens !== undefined) return config.maxNumBatchedTokens;
  if (config.engine === 'vllm') {
    const dp = config.dataParallel ?? 1;
    const base = vllmDefaultMaxNumBatchedTokens(gpu);
    return (config.enableChunkedPrefill === false ? Math.max(config.maxModelLen, base) : base) * dp;
  }
  return Math.min(
    tgiDefaultMaxBatchPrefillTokens({
      gpu,
      paramsB,
      shards: config.tensorParallel,
      cudaMemoryFraction: config.gpuMemoryUtilization,
      quantization: config.quantization,
    }),
    kvCapacityTokens,
  );
}
