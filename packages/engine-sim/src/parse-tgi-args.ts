import { splitArgv, type ArgvShape } from './argv-tokens.js';
import { EngineArgsError } from './engine-args-error.js';
import type { EngineConfig } from './engine-config.js';
import { parseSimFlags } from './sim-flags.js';

/** text-generation-launcher defaults (TGI 3.x). */
export const TGI_DEFAULTS = {
  model: 'bigscience/bloom-560m',
  port: 80,
  maxConcurrentRequests: 128,
  maxTotalTokens: 4096,
  maxInputTokens: 4095,
  cudaMemoryFraction: 1,
} as const;

const QUANTIZE = [
  'awq',
  'compressed-tensors',
  'eetq',
  'exl2',
  'gptq',
  'marlin',
  'bitsandbytes',
  'bitsandbytes-nf4',
  'bitsandbytes-fp4',
  'fp8',
];
const DTYPES = ['float16', 'bfloat16'];

const SHAPE: ArgvShape = {
  booleans: new Set([
    '--trust-remote-code',
    '--disable-custom-kernels',
    '--json-output',
    '--disable-grammar-support',
    '--disable-usage-stats',
    '--enable-prefill-logprobs',
  ]),
  multi: new Set(['--cors-allow-origin']),
  aliases: { '-p': '--port', '-h': '--help' },
  prefixes: new Set(['text-generation-launcher']),
};

/** clap's placeholder for a flag: '--max-input-tokens' → '<MAX_INPUT_TOKENS>'. */
function placeholder(flag: string): string {
  return `<${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}>`;
}

function clapError(flag: string, raw: string, reason: string): never {
  throw new EngineArgsError(
    `error: invalid value '${raw}' for '${flag} ${placeholder(flag)}': ${reason}\n\nFor more information, try '--help'.`,
    flag,
  );
}

function last(flags: Map<string, string[]>, flag: string): string | undefined {
  const values = flags.get(flag);
  if (values && values.length === 0) {
    throw new EngineArgsError(
      `error: a value is required for '${flag} ${placeholder(flag)}' but none was supplied\n\nFor more information, try '--help'.`,
      flag,
    );
  }
  return values?.at(-1);
}

function uint(flags: Map<string, string[]>, flag: string): number | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw))
    clapError(
      flag,
      raw,
      raw.startsWith('-')
        ? 'invalid digit found in string'
        : raw === ''
          ? 'cannot parse integer from empty string'
          : 'invalid digit found in string',
    );
  return Number(raw);
}

function float(flags: Map<string, string[]>, flag: string): number | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) clapError(flag, raw, 'invalid float literal');
  return n;
}

function choice(flags: Map<string, string[]>, flag: string, choices: string[]): string | undefined {
  const raw = last(flags, flag);
  if (raw === undefined) return undefined;
  if (!choices.includes(raw)) {
    throw new EngineArgsError(
      `error: invalid value '${raw}' for '${flag} ${placeholder(flag)}'\n  [possible values: ${choices.join(', ')}]\n\nFor more information, try '--help'.`,
      flag,
    );
  }
  return raw;
}

function launcherError(message: string, flag: string): never {
  throw new EngineArgsError(`Error: ArgumentValidation("${message}")`, flag, 1);
}

/** Reads a `text-generation-launcher` command line. Unknown flags are ignored; bad values throw like clap. */
export function parseTgiArgs(argv: readonly string[]): EngineConfig {
  const { flags } = splitArgv(argv, SHAPE);
  const model = last(flags, '--model-id') ?? TGI_DEFAULTS.model;
  const maxConcurrent =
    uint(flags, '--max-concurrent-requests') ?? TGI_DEFAULTS.maxConcurrentRequests;
  const maxTotal = uint(flags, '--max-total-tokens') ?? TGI_DEFAULTS.maxTotalTokens;
  const maxInput =
    uint(flags, '--max-input-tokens') ??
    uint(flags, '--max-input-length') ??
    Math.min(TGI_DEFAULTS.maxInputTokens, maxTotal - 1);
  if (maxInput >= maxTotal)
    launcherError(
      `\`max_input_tokens\`(${maxInput}) must be < \`max_total_tokens\`(${maxTotal})`,
      '--max-input-tokens',
    );
  const batchTotal = uint(flags, '--max-batch-total-tokens');
  if (batchTotal !== undefined && batchTotal < maxTotal) {
    launcherError(
      `\`max_batch_total_tokens\`(${batchTotal}) must be >= \`max_total_tokens\`(${maxTotal})`,
      '--max-batch-total-tokens',
    );
  }
  const batchSize = uint(flags, '--max-batch-size');
  const shards = uint(flags, '--num-shard') ?? 1;
  if (shards < 1) launcherError('`num_shard` cannot be < 1', '--num-shard');
  const fraction = float(flags, '--cuda-memory-fraction') ?? TGI_DEFAULTS.cudaMemoryFraction;
  if (!(fraction > 0 && fraction <= 1))
    launcherError(
      `\`cuda_memory_fraction\`(${fraction}) must be in (0, 1]`,
      '--cuda-memory-fraction',
    );
  const port = uint(flags, '--port');
  if (port !== undefined && port > 65535)
    clapError('--port', String(port), `${port} is not in 0..=65535`);
  const prefillTokens = uint(flags, '--max-batch-prefill-tokens');
  if (prefillTokens !== undefined && batchTotal !== undefined && prefillTokens > batchTotal) {
    // backends/v3/src/main.rs (TGI v3.3.4)
    launcherError(
      `\`max_batch_prefill_tokens\` must be <= \`max_batch_total_tokens\`. Given: ${prefillTokens} and ${batchTotal}`,
      '--max-batch-prefill-tokens',
    );
  }
  for (const f of [
    '--max-best-of',
    '--max-stop-sequences',
    '--max-client-batch-size',
    '--max-top-n-tokens',
    '--shard-uds-path-unused',
  ])
    uint(flags, f);
  const sharded = last(flags, '--sharded');
  if (sharded !== undefined && sharded !== 'true' && sharded !== 'false') {
    throw new EngineArgsError(
      `error: invalid value '${sharded}' for '--sharded <SHARDED>'\n  [possible values: true, false]\n\nFor more information, try '--help'.`,
      '--sharded',
    );
  }
  const seedRaw = last(flags, '--seed');
  return {
    engine: 'tgi',
    model,
    servedModelNames: [model],
    host: last(flags, '--hostname'),
    port,
    maxNumSeqs: Math.min(batchSize ?? maxConcurrent, maxConcurrent),
    maxConcurrentRequests: maxConcurrent,
    maxModelLen: maxTotal,
    maxInputTokens: maxInput,
    kvCapacityTokens: batchTotal,
    ...(prefillTokens !== undefined ? { maxNumBatchedTokens: prefillTokens } : {}),
    // TGI 3 turns prefix caching on (launcher resolve_attention) unless PREFIX_CACHING=0 is set
    enablePrefixCaching: true,
    tensorParallel: shards,
    gpuMemoryUtilization: fraction,
    dtype: choice(flags, '--dtype', DTYPES),
    quantization: choice(flags, '--quantize', QUANTIZE),
    enableLora: (flags.get('--lora-adapters')?.length ?? 0) > 0,
    loraModules: (last(flags, '--lora-adapters') ?? '')
      .split(',')
      .filter((s) => s.length > 0)
      .map((s) => {
        const [name, path] = s.split('=');
        return { name: name!, path: path ?? name! };
      }),
    seed: seedRaw !== undefined && /^\d+$/.test(seedRaw) ? Number(seedRaw) : 0,
    sim: parseSimFlags(flags),
  };
}
