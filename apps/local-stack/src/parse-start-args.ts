// `pnpm start -- [flags]`: the flags of the one-command local stack, parsed once.
import { parseArgs } from 'node:util';

export const START_USAGE = `Usage: pnpm start -- [flags]

Starts the whole of Bascule on a simulated GPU cluster: kube-sim, redis-server, provider-sims
for OpenAI, Anthropic and Gemini (or the real APIs when OPENAI_API_KEY, ANTHROPIC_API_KEY or
GEMINI_API_KEY is set), and \`bascule-server\` with every role; applies the CRDs and the
examples, waits until the Models are Ready and prints what to try. Ctrl-C stops everything.

  --all-examples        apply every example in manifests/examples (a bigger cluster: H100s
                        and an H200 node); default: the small set behind the chat,
                        private-chat and batch Routes
  --clean               delete the state directory first (keys, usage, batches, logs,
                        and the cluster's objects: Routes, Models, Secrets you applied)
  --state-dir DIR       where state lives (default .bascule)
  --gateway-port N      OpenAI-compatible gateway (default 8080; 0 = any free port)
  --api-port N          control REST API (default 8081; 0 = any free port)
  --metrics-port N      /metrics, /healthz, /readyz of bascule (default 8082; 0 = any)
  --kube-port N         kube-sim API server (default 6443; 0 = any free port)
  --redis-url URL       use this Redis instead of starting redis-server (or env REDIS_URL)
  --time-scale X        run simulated delays X times faster (default 40)
  --ready-timeout S     give up waiting for Models after S seconds (default 120)
  --no-wait             print what to try without waiting for the Models
  -h, --help            show this help
`;

export class StartUsageError extends Error {
  override name = 'StartUsageError';
}

export interface StartOptions {
  allExamples: boolean;
  clean: boolean;
  stateDir: string;
  gatewayPort: number;
  apiPort: number;
  metricsPort: number;
  kubePort: number;
  redisUrl?: string;
  timeScale: number;
  readyTimeoutMs: number;
  wait: boolean;
}

function port(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw new StartUsageError(`--${flag}: "${raw}" is not a port number (0-65535)`);
  return Number(raw);
}

function positive(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new StartUsageError(`--${flag}: "${raw}" must be a positive number`);
  return n;
}

/** Flags (and REDIS_URL) -> options; 'help' for --help; StartUsageError names the bad flag. */
export function parseStartArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): StartOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --clean` passes the `--` through on some pnpm versions.
      args: argv.filter((a, i) => !(a === '--' && i === 0)),
      strict: true,
      allowPositionals: false,
      options: {
        'all-examples': { type: 'boolean' },
        clean: { type: 'boolean' },
        'state-dir': { type: 'string' },
        'gateway-port': { type: 'string' },
        'api-port': { type: 'string' },
        'metrics-port': { type: 'string' },
        'kube-port': { type: 'string' },
        'redis-url': { type: 'string' },
        'time-scale': { type: 'string' },
        'ready-timeout': { type: 'string' },
        'no-wait': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new StartUsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  const str = (k: string) => values[k] as string | undefined;
  const redisUrl = str('redis-url') ?? (env.REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/\s]+/.test(redisUrl))
    throw new StartUsageError(
      `${str('redis-url') !== undefined ? '--redis-url' : 'REDIS_URL'}: "${redisUrl}" is not a redis:// URL`,
    );
  const stateDir = str('state-dir') ?? '.bascule';
  if (stateDir.trim() === '') throw new StartUsageError('--state-dir: must not be empty');
  return {
    allExamples: values['all-examples'] === true,
    clean: values.clean === true,
    stateDir,
    gatewayPort: port('gateway-port', str('gateway-port'), 8080),
    apiPort: port('api-port', str('api-port'), 8081),
    metricsPort: port('metrics-port', str('metrics-port'), 8082),
    kubePort: port('kube-port', str('kube-port'), 6443),
    ...(redisUrl ? { redisUrl } : {}),
    timeScale: positive('time-scale', str('time-scale'), 40),
    readyTimeoutMs: positive('ready-timeout', str('ready-timeout'), 120) * 1000,
    wait: values['no-wait'] !== true,
  };
}
