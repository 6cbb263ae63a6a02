import { splitArgv, type ArgvShape } from './argv-tokens.js';
import { EngineArgsError } from './engine-args-error.js';
import type { EngineConfig, LoraModule } from './engine-config.js';
import { parseSimFlags } from './sim-flags.js';

/** vLLM's defaults (v0.11 `vllm serve`). */
export const VLLM_DEFAULTS = {
  model: 'Qwen/Qwen3-0.6B',
  port: 8000,
  maxNumSeqs: 256,
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
  seed: 0,
} as const;

const DTYPES = ['auto', 'bfloat16', 'float', 'float16', 'float32', 'half'];
const QUANTIZATIONS = [
  'aqlm',
  'awq',
  'awq_marlin',
  'bitblas',
  'bitsandbytes',
  'compressed-tensors',
  'deepspeedfp',
  'experts_int8',
  'fbgemm_fp8',
  'fp8',
  'gguf',
  'gptq',
  'gptq_bitblas',
  'gptq_marlin',
  'hqq',
  'marlin',
  'modelopt',
  'modelopt_fp4',
  'moe_wna16',
  'mxfp4',
  'petit_nvfp4',
  'ptpc_fp8',
  'qqq',
  'quark',
  'torchao',
  'tpu_int8',
];

const SHAPE: ArgvShape = {
  booleans: new Set([
    '--enable-lora',
    '--no-enable-lora',
    '--trust-remote-code',
    '--enforce-eager',
    '--enable-prefix-caching',
    '--no-enable-prefix-caching',
    '--enable-chunked-prefill',
    '--no-enable-chunked-prefill',
    '--disable-log-requests',
    '--disable-log-stats',
    '--enable-auto-tool-choice',
    '--disable-frontend-multiprocessing',
    '--headless',
    '--enable-log-requests',
    '--disable-fastapi-docs',
    '--disable-custom-all-reduce',
    '--enable-expert-parallel',
    '--enable-sleep-mode',
    '--disable-uvicorn-access-log',
    '--enable-prompt-tokens-details',
    '--enable-force-include-usage',
  ]),
  multi: new Set(['--served-model-name', '--lora-modules', '--allowed-origins', '--middleware']),
  aliases: {
    '-tp': '--tensor-parallel-size',
    '-pp': '--pipeline-parallel-size',
    '-q': '--quantization',
    '-dp': '--data-parallel-size',
  },
  prefixes: new Set([
    'vllm',
    'serve',
    'python',
    'python3',
    '-m',
    'vllm.entrypoints.openai.api_server',
  ]),
};

function fail(flag: string, message: string): never {
  throw new EngineArgsError(`vllm serve: error: argument ${flag}: ${message}`, flag);
}

function last(flags: Map<string, string[]>, flag: string): string | undefined {
  const values = flags.get(flag);
  if (values && values.length === 0)
    fail(flag, SHAPE.multi.has(flag) ? 'expected at least one argument' : 'expected one argument');
  return values?.at(-1);
}

/** argparse-style int; vLLM also takes human sizes for lengths ('32k', '1M'). */
function int(flags: Map<string, string[]>, flag: string, human = false): number | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  const m = human ? /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(raw) : /^[+-]?\d+$/.exec(raw);
  if (!m) fail(flag, `invalid ${human ? 'human_readable_int' : 'int'} value: '${raw}'`);
  const mult: Record<string, number> = {
    '': 1,
    k: 1000,
    K: 1024,
    m: 1e6,
    M: 1024 ** 2,
    g: 1e9,
    G: 1024 ** 3,
  };
  return human ? Math.round(Number(m[1]) * (mult[m[2] ?? ''] ?? 1)) : Number(raw);
}

function float(flags: Map<string, string[]>, flag: string): number | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) fail(flag, `invalid float value: '${raw}'`);
  return n;
}

function choice(flags: Map<string, string[]>, flag: string, choices: string[]): string | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  if (!choices.includes(raw)) {
    fail(flag, `invalid choice: '${raw}' (choose from ${choices.map((c) => `'${c}'`).join(', ')})`);
  }
  return raw;
}

function validation(message: string, flag: string): never {
  throw new EngineArgsError(`ValueError: ${message}`, flag, 1);
}

function parseLora(raw: string): LoraModule {
  if (raw.trim().startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      fail('--lora-modules', `invalid LoRA module JSON: '${raw}'`);
    }
    const o = obj as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.path !== 'string')
      fail('--lora-modules', `LoRA module JSON needs "name" and "path": '${raw}'`);
    return {
      name: o.name,
      path: o.path,
      ...(typeof o.base_model_name === 'string' ? { baseModelName: o.base_model_name } : {}),
    };
  }
  const eq = raw.indexOf('=');
  if (eq <= 0 || eq === raw.length - 1)
    fail('--lora-modules', `invalid LoRA module '${raw}' (want name=path or JSON)`);
  return { name: raw.slice(0, eq), path: raw.slice(eq + 1) };
}

/** Reads a `vllm serve` command line. Unknown flags are ignored; bad values throw like vLLM. */
export function parseVllmArgs(argv: readonly string[]): EngineConfig {
  const { flags, positionals } = splitArgv(argv, SHAPE);
  const model = last(flags, '--model') ?? positionals[0] ?? VLLM_DEFAULTS.model;
  last(flags, '--served-model-name');
  last(flags, '--lora-modules');
  const served = flags.get('--served-model-name');
  const tp = int(flags, '--tensor-parallel-size') ?? 1;
  if (tp < 1) validation(`tensor_parallel_size must be >= 1. Got ${tp}.`, '--tensor-parallel-size');
  const maxNumSeqs = int(flags, '--max-num-seqs') ?? VLLM_DEFAULTS.maxNumSeqs;
  if (maxNumSeqs < 1) validation(`max_num_seqs must be >= 1. Got ${maxNumSeqs}.`, '--max-num-seqs');
  const maxModelLen = int(flags, '--max-model-len', true) ?? VLLM_DEFAULTS.maxModelLen;
  if (maxModelLen < 1)
    validation(`max_model_len must be >= 1. Got ${maxModelLen}.`, '--max-model-len');
  const util = float(flags, '--gpu-memory-utilization') ?? VLLM_DEFAULTS.gpuMemoryUtilization;
  if (!(util > 0 && util <= 1))
    validation(
      `GPU memory utilization must be within (0, 1]. Got ${util}.`,
      '--gpu-memory-utilization',
    );
  const port = int(flags, '--port');
  if (port !== undefined && (port < 0 || port > 65535))
    validation(`port must be within [0, 65535]. Got ${port}.`, '--port');
  const seed = int(flags, '--seed') ?? VLLM_DEFAULTS.seed;
  const maxNumBatchedTokens = int(flags, '--max-num-batched-tokens', true);
  const enableChunkedPrefill = !flags.has('--no-enable-chunked-prefill');
  if (maxNumBatchedTokens !== undefined) {
    // vllm/config/scheduler.py, SchedulerConfig verification (v0.11)
    if (!enableChunkedPrefill && maxNumBatchedTokens < maxModelLen)
      validation(
        `max_num_batched_tokens (${maxNumBatchedTokens}) is smaller than max_model_len (${maxModelLen}). This effectively limits the maximum sequence length to max_num_batched_tokens and makes vLLM reject longer sequences. Please increase max_num_batched_tokens or decrease max_model_len.`,
        '--max-num-batched-tokens',
      );
    if (maxNumBatchedTokens < maxNumSeqs)
      validation(
        `max_num_batched_tokens (${maxNumBatchedTokens}) must be greater than or equal to max_num_seqs (${maxNumSeqs}).`,
        '--max-num-batched-tokens',
      );
  }
  int(flags, '--pipeline-parallel-size');
  // Internal data parallelism runs several engine copies in one server: model it as one
  // scheduler with their summed sequence and KV capacity (see docs/simulation.md).
  const dp = int(flags, '--data-parallel-size') ?? 1;
  if (dp < 1) validation(`data_parallel_size must be >= 1. Got ${dp}.`, '--data-parallel-size');
  const maxLoras = int(flags, '--max-loras') ?? 1;
  if (maxLoras < 1) validation(`max_loras (${maxLoras}) must be >= 1.`, '--max-loras');
  int(flags, '--max-lora-rank');
  const autoToolChoice = flags.has('--enable-auto-tool-choice');
  const toolParser = last(flags, '--tool-call-parser');
  if (autoToolChoice && !toolParser) {
    validation(
      '--enable-auto-tool-choice requires --tool-call-parser',
      '--enable-auto-tool-choice',
    );
  }
  const loraModules = (flags.get('--lora-modules') ?? []).map(parseLora);
  const enableLora = flags.has('--enable-lora') && !flags.has('--no-enable-lora');
  if (loraModules.length > 0 && !enableLora)
    validation(
      'LoRA modules were given but LoRA is not enabled; pass --enable-lora.',
      '--lora-modules',
    );
  return {
    engine: 'vllm',
    model,
    servedModelNames: served && served.length > 0 ? served : [model],
    host: last(flags, '--host'),
    port,
    maxNumSeqs: maxNumSeqs * dp,
    maxModelLen,
    ...(maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens: maxNumBatchedTokens * dp } : {}),
    enablePrefixCaching: !flags.has('--no-enable-prefix-caching'),
    enableChunkedPrefill,
    dataParallel: dp,
    tensorParallel: tp,
    gpuMemoryUtilization: util,
    dtype: choice(flags, '--dtype', DTYPES),
    quantization: choice(flags, '--quantization', QUANTIZATIONS),
    enableLora,
    autoToolChoice,
    loraModules,
    maxLoras,
    seed,
    sim: parseSimFlags(flags),
  };
}
