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

/** Model seconds a runtime adapter load takes unless --lora-load-seconds says otherwise. */
export const DEFAULT_LORA_LOAD_SECONDS = 2;

/**
 * Model time (µs) one adapter swap adds to a step: copying a rank-16 adapter's weights from
 * the CPU cache into a GPU slot (tens of MB over PCIe) and re-arranging the LoRA kernels' inputs.
 */
export const LORA_SWAP_US = 20_000;

/** A LoRA adapter the engine serves: its name, its path, the base model it is listed under. */
export interface LoadedLora {
  name: string;
  path: string;
  parent: string;
}

/** Outcome of a runtime adapter load or unload, as vLLM's serving_models answers it. */
export type LoraChange =
  { ok: true; message: string } | { ok: false; status: 400 | 404; type: string; message: string };

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
  readonly timeScale: number;
  faults: FaultSettings;
  /** Inference requests received so far (for crash-after-N). */
  requestCount = 0;
  /** Request callbacks that threw (each dropped its sequence). */
  callbackErrors = 0;
  private readonly faultRandom: () => number;
  /** Adapters served now: the --lora-modules ones, then those loaded at run time. */
  readonly loras = new Map<string, LoadedLora>();
  /** Adapters being loaded (a second load of the same name waits for the first). */
  private readonly loading = new Set<string>();

  constructor(options: RuntimeOptions) {
    const { config } = options;
    this.config = config;
    this.clock = options.clock;
    this.timeScale = options.timeScale;
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
      ...(config.enableLora && config.engine === 'vllm'
        ? { maxLoras: config.maxLoras ?? 1, loraSwapUs: LORA_SWAP_US }
        : {}),
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
            config.enableLora ? (config.maxLoras ?? 1) : undefined,
          )
        : createTgiMetrics(config.maxInputTokens ?? config.maxModelLen - 1, config.maxModelLen);
    this.countTokens = createTokenCounter(options.tokenizer);
    this.encodeTokens = createTokenEncoder(options.tokenizer);
    this.faults = { ...NO_FAULTS, ...config.sim.faults };
    this.faultRandom = seededRandom(config.seed ^ 0x9e3779b9);
    for (const l of config.loraModules)
      this.loras.set(l.name, {
        name: l.name,
        path: l.path,
        parent: l.baseModelName ?? config.servedModelNames[0]!,
      });
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
    const lora = this.loras.get(name);
    return lora ? { name: lora.name, lora: lora.name } : undefined;
  }

  /**
   * POST /v1/load_lora_adapter: vLLM's checks (both fields, not loaded yet, LoRA enabled),
   * then the load itself, which takes `loraLoadSeconds` of model time.
   */
  async loadLora(name: string | undefined, path: string | undefined): Promise<LoraChange> {
    if (!name || !path)
      return {
        ok: false,
        status: 400,
        type: 'InvalidUserInput',
        message: "Both 'lora_name' and 'lora_path' must be provided.",
      };
    if (this.loras.has(name) || this.loading.has(name))
      return {
        ok: false,
        status: 400,
        type: 'InvalidUserInput',
        message: `The lora adapter '${name}' has already been loaded.`,
      };
    if (!this.config.enableLora)
      return {
        ok: false,
        status: 400,
        type: 'BadRequestError',
        message: 'LoRA is not enabled. Use --enable-lora to enable LoRA.',
      };
    this.loading.add(name);
    try {
      const seconds = this.config.sim.loraLoadSeconds ?? DEFAULT_LORA_LOAD_SECONDS;
      if (seconds > 0)
        await new Promise<void>((resolve) =>
          this.clock.setTimeout(resolve, (seconds * 1000) / this.timeScale),
        );
    } finally {
      this.loading.delete(name);
    }
    this.loras.set(name, { name, path, parent: this.config.servedModelNames[0]! });
    return { ok: true, message: `Success: LoRA adapter '${name}' added successfully.` };
  }

  /** POST /v1/unload_lora_adapter: drops the adapter from the served names. */
  unloadLora(name: string | undefined): LoraChange {
    if (!name)
      return {
        ok: false,
        status: 400,
        type: 'InvalidUserInput',
        message: "either 'lora_name' and 'lora_int_id' needs to be provided.",
      };
    if (!this.loras.delete(name))
      return {
        ok: false,
        status: 404,
        type: 'NotFoundError',
        message: `The lora adapter '${name}' cannot be found.`,
      };
    return { ok: true, message: `Success: LoRA adapter '${name}' removed successfully.` };
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
