// `pnpm sim provider --type anthropic --port 9001 --api-key test`: runs one provider-sim until
// SIGINT/SIGTERM. Prints where it listens (never the key).
import { loadJudgeLabels } from '@bascule/engine-sim';
import { parseArgs } from 'node:util';
import {
  ProviderSimOptionsError,
  startProviderSim,
  type ProviderSimOptions,
} from '@bascule/provider-sim';

export const summary = 'simulated closed API (OpenAI, Anthropic, Gemini wire formats)';

const USAGE = `Usage: pnpm sim provider --type openai|anthropic|gemini --api-key KEY [flags]

  --type TYPE               openai, anthropic or gemini (required)
  --api-key KEY             the key clients must send (or env PROVIDER_SIM_API_KEY)
  --host HOST               bind address (default 127.0.0.1)
  --port N                  port (default 0: an ephemeral port)
  --models A,B              models offered (default: a per-type list)
  --seed N                  seed for generated text, tool arguments and faults (default 0)
  --first-token-ms MS       time to first token (default 0)
  --per-token-ms MS         delay between tokens (default 0)
  --min-output-tokens N     shortest natural answer (default 12)
  --max-output-tokens N     longest natural answer (default 48)
  --error-rate P            fraction of requests answered with --error-status (0-1)
  --error-status N          5xx status of injected errors (default 500)
  --rate-limit-every N      answer every Nth request with 429
  --retry-after S           retry-after of injected 429s, seconds (default 1)
  --hang-ms MS              hold every request this long before answering
  --fail-after-first-chunk  streams fail with an in-stream error after one chunk
  --judge-labels FILE       simulated judge (OpenAI chat): JSONL of {prompt, weak_score,
                            strong_score} or {prompt, scores: {model: q}}; see docs/simulation.md
  --quality-tier weak|strong  the column of weak_score/strong_score lines (default strong)

Faults can also be changed while running: POST /_sim/faults, GET /_sim/stats.
`;

const FLAGS = {
  type: { type: 'string' },
  'api-key': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  models: { type: 'string' },
  seed: { type: 'string' },
  'first-token-ms': { type: 'string' },
  'per-token-ms': { type: 'string' },
  'min-output-tokens': { type: 'string' },
  'max-output-tokens': { type: 'string' },
  'error-rate': { type: 'string' },
  'error-status': { type: 'string' },
  'rate-limit-every': { type: 'string' },
  'retry-after': { type: 'string' },
  'hang-ms': { type: 'string' },
  'fail-after-first-chunk': { type: 'boolean' },
  'judge-labels': { type: 'string' },
  'quality-tier': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export class ProviderArgsError extends Error {}

function num(
  values: Record<string, string | boolean | undefined>,
  flag: string,
): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    throw new ProviderArgsError(`--${flag}: expected a number, got "${String(raw)}"`);
  }
  return n;
}

/** Flags -> options; throws ProviderArgsError naming the flag. Returns 'help' for --help. */
export function parseProviderArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProviderSimOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: FLAGS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new ProviderArgsError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  const type = values.type;
  if (type !== 'openai' && type !== 'anthropic' && type !== 'gemini') {
    throw new ProviderArgsError(
      `--type: expected openai, anthropic or gemini, got "${String(type ?? '')}"`,
    );
  }
  const apiKey = (values['api-key'] as string | undefined) ?? env.PROVIDER_SIM_API_KEY;
  if (!apiKey) throw new ProviderArgsError('--api-key: required (or set PROVIDER_SIM_API_KEY)');
  const min = num(values, 'min-output-tokens');
  const max = num(values, 'max-output-tokens');
  const options: ProviderSimOptions = {
    type,
    apiKey,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    port: num(values, 'port') ?? 0,
    seed: num(values, 'seed') ?? 0,
    latency: {
      firstTokenMs: num(values, 'first-token-ms') ?? 0,
      perTokenMs: num(values, 'per-token-ms') ?? 0,
    },
    faults: {
      ...(num(values, 'error-rate') !== undefined ? { errorRate: num(values, 'error-rate') } : {}),
      ...(num(values, 'error-status') !== undefined ? { status: num(values, 'error-status') } : {}),
      ...(num(values, 'rate-limit-every') !== undefined
        ? { rateLimitEvery: num(values, 'rate-limit-every') }
        : {}),
      ...(num(values, 'retry-after') !== undefined
        ? { retryAfterSeconds: num(values, 'retry-after') }
        : {}),
      ...(num(values, 'hang-ms') !== undefined ? { hangMs: num(values, 'hang-ms') } : {}),
      ...(values['fail-after-first-chunk'] ? { failAfterFirstChunk: true } : {}),
    },
  };
  const tier = values['quality-tier'];
  if (tier !== undefined && tier !== 'weak' && tier !== 'strong')
    throw new ProviderArgsError(`--quality-tier: expected weak or strong, got "${String(tier)}"`);
  if (typeof values['judge-labels'] === 'string') {
    try {
      options.judgeLabels = loadJudgeLabels(values['judge-labels']);
    } catch (err) {
      throw new ProviderArgsError(
        `--judge-labels: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  if (tier !== undefined) options.qualityTier = tier;
  if (typeof values.models === 'string')
    options.models = values.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
  if (min !== undefined || max !== undefined)
    options.outputTokens = {
      min: min ?? Math.min(12, max ?? 12),
      max: max ?? Math.max(48, min ?? 48),
    };
  return options;
}

function clientHint(type: ProviderSimOptions['type'], url: string): string {
  if (type === 'openai') return `new OpenAI({ baseURL: '${url}/v1', apiKey })`;
  if (type === 'anthropic') return `new Anthropic({ baseURL: '${url}', apiKey })`;
  return `new GoogleGenAI({ apiKey, httpOptions: { baseUrl: '${url}' } })`;
}

export async function run(argv: string[]): Promise<number> {
  let options: ProviderSimOptions | 'help';
  try {
    options = parseProviderArgs(argv);
  } catch (err) {
    process.stderr.write(
      `sim provider: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let sim;
  try {
    sim = await startProviderSim(options);
  } catch (err) {
    if (err instanceof ProviderSimOptionsError) {
      process.stderr.write(`sim provider: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(
      `sim provider: cannot listen: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `provider-sim ${options.type} listening on ${sim.url}\n` +
      `  client:  ${clientHint(options.type, sim.url)}\n` +
      `  control: GET ${sim.url}/_sim/stats, POST ${sim.url}/_sim/faults\n`,
  );
  const running = sim;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
