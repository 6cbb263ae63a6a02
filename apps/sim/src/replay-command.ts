// `pnpm sim replay --trace ../shared/data/traces/azure-llm-code-2023.csv`: replays a trace in
// virtual time against fixed, autoscaled and closed-API policies; prints the comparison table and
// writes it as JSON with an SVG chart of load and replicas.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '@bascule/spec';
import {
  formatReplayTable,
  loadTraceFile,
  resolveTracePath,
  renderReplaySvg,
  buildScenario,
  type ScenarioOptions,
  POLICY_NAMES,
  runReplay,
  type PolicyName,
  multiplyLoad,
  shapeTrace,
  SYNTHETIC_SHAPES,
  type SyntheticShape,
  syntheticTrace,
  type Trace,
} from '@bascule/replay';

export const summary =
  'replay a request trace in virtual time: fixed vs autoscaled vs closed-API (SLO, GPU-hours, cost)';

const USAGE = `Usage: pnpm sim replay [flags]

Trace (one of):
  --trace PATH|NAME     a trace file (.csv Azure, .jsonl Mooncake) or a shared trace name:
                        azure (default), mooncake; looked up in ../shared/data/traces/
  --trace poisson       synthetic Poisson arrivals (--rate, --duration, --seed)
  --trace gamma         synthetic bursty Gamma arrivals (--rate, --cv, --duration, --seed)
  --trace SHAPE         a synthetic shape with published token statistics (--rate, --duration,
                        --seed): flat (steady chat, Azure conversation tokens), diurnal (a day's
                        ramp compressed into the trace), bursty (Gamma gaps, --cv, BurstGPT tokens),
                        long-prompt (Mooncake-like conversations with shared prefixes)
  --rate N              synthetic mean arrivals per second (default 3)
  --cv N                gamma and bursty: coefficient of variation of gaps (default 4; bursty 3)
  --load-multiplier N   compress the trace's time N-fold (N times the arrival rate, the same
                        requests); cold starts stay as they are (default 1)
  --duration D          replay only the first D of the trace / synthetic length (e.g. 30m; default 1h)
  --seed N              synthetic seed (default 1)

Scenario:
  --gpu TYPE            GPU type of a replica (default nvidia-a100)
  --gpus-per-replica N  default 1 (tensor parallel)
  --params-b N          model size in billions of parameters (default 8)
  --gpu-budget N        GPUs of that type the Model may use (default 16)
  --gpu-hour-usd N      price of one GPU-hour (default 1.8)
  --max-concurrency N   requests one replica runs at once (default 8)
  --target-in-flight N  autoscaler target per replica (default 75% of max concurrency)
  --min-replicas N      default 0
  --scale-down-delay D  default 5m      --scale-to-zero-delay D  default 15m
  --scale-up-delay D    default 0s      --tick D                 autoscaler period, default 2s
  --cold-start D        replica start to ready (default 20s + engine-sim's model load time)
  --max-queue-wait D    Route fallback.maxQueueWait (default 500ms)
  --slo-ttft D          default 2s      --slo-tpot D             default 150ms
  --closed-model NAME   default gpt-5-mini, priced --input-usd 0.25 --output-usd 2 per 1M tokens

Output:
  --policies LIST       comma-separated of ${POLICY_NAMES.join(', ')} (default all)
  --out DIR             write replay.json and replay.svg here (default: $TMPDIR/bascule-replay)
  --json                print the JSON report instead of the table
`;

const OPTIONS = {
  trace: { type: 'string', default: 'azure' },
  rate: { type: 'string', default: '3' },
  cv: { type: 'string' },
  'load-multiplier': { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string', default: '1' },
  gpu: { type: 'string' },
  'gpus-per-replica': { type: 'string' },
  'params-b': { type: 'string' },
  'gpu-budget': { type: 'string' },
  'gpu-hour-usd': { type: 'string' },
  'max-concurrency': { type: 'string' },
  'target-in-flight': { type: 'string' },
  'min-replicas': { type: 'string' },
  'scale-down-delay': { type: 'string' },
  'scale-to-zero-delay': { type: 'string' },
  'scale-up-delay': { type: 'string' },
  tick: { type: 'string' },
  'cold-start': { type: 'string' },
  'max-queue-wait': { type: 'string' },
  'slo-ttft': { type: 'string' },
  'slo-tpot': { type: 'string' },
  'closed-model': { type: 'string' },
  'input-usd': { type: 'string' },
  'output-usd': { type: 'string' },
  policies: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class FlagError extends Error {}

function num(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  opts: { int?: boolean; min?: number } = {},
) {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || n < (opts.min ?? 0)) {
    throw new FlagError(
      `--${flag}: "${String(raw)}" must be ${opts.int ? 'an integer' : 'a number'} >= ${opts.min ?? 0}`,
    );
  }
  return n;
}

function dur(
  values: Record<string, string | boolean | undefined>,
  flag: string,
): string | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  try {
    parseDuration(String(raw));
  } catch {
    throw new FlagError(
      `--${flag}: "${String(raw)}" must be a duration such as 500ms, 30s, 5m or 1h`,
    );
  }
  return String(raw);
}

function loadTrace(values: Record<string, string | boolean | undefined>): Trace {
  const name = String(values.trace);
  const durationMs = parseDuration(dur(values, 'duration') ?? '1h');
  const factor = num(values, 'load-multiplier', { min: 0.001 }) ?? 1;
  const seed = num(values, 'seed', { int: true }) ?? 1;
  if (name === 'poisson' || name === 'gamma') {
    const rate = num(values, 'rate', { min: 0.001 })!;
    const cv = name === 'poisson' ? 1 : (num(values, 'cv', { min: 0.1 }) ?? 4);
    return multiplyLoad(syntheticTrace({ rate, cv, durationMs, seed }), factor);
  }
  if ((SYNTHETIC_SHAPES as readonly string[]).includes(name)) {
    const rate = num(values, 'rate', { min: 0.001 })!;
    const cv = num(values, 'cv', { min: 0.1 });
    const o = { rate, durationMs, seed, ...(cv !== undefined ? { cv } : {}) };
    return multiplyLoad(shapeTrace(name as SyntheticShape, o), factor);
  }
  // A file: compress first, then keep what falls within --duration.
  const trace = multiplyLoad(loadTraceFile(resolveTracePath(name)), factor);
  return { ...trace, requests: trace.requests.filter((r) => r.at < durationMs) };
}

function scenarioOptions(v: Record<string, string | boolean | undefined>): ScenarioOptions {
  const o: ScenarioOptions = {};
  const set = <K extends keyof ScenarioOptions>(k: K, value: ScenarioOptions[K] | undefined) => {
    if (value !== undefined) o[k] = value;
  };
  set('gpu', v.gpu as string | undefined);
  set('gpusPerReplica', num(v, 'gpus-per-replica', { int: true, min: 1 }));
  set('paramsB', num(v, 'params-b', { min: 0.001 }));
  set('gpuBudget', num(v, 'gpu-budget', { int: true, min: 1 }));
  set('gpuHourUSD', num(v, 'gpu-hour-usd'));
  set('maxConcurrency', num(v, 'max-concurrency', { int: true, min: 1 }));
  set('targetInFlight', num(v, 'target-in-flight', { min: 0.001 }));
  set('minReplicas', num(v, 'min-replicas', { int: true }));
  set('scaleDownDelay', dur(v, 'scale-down-delay'));
  set('scaleToZeroDelay', dur(v, 'scale-to-zero-delay'));
  set('scaleUpDelay', dur(v, 'scale-up-delay'));
  set('tick', dur(v, 'tick'));
  set('coldStart', dur(v, 'cold-start'));
  set('maxQueueWait', dur(v, 'max-queue-wait'));
  set('sloTtft', dur(v, 'slo-ttft'));
  set('sloTpot', dur(v, 'slo-tpot'));
  set('providerModel', v['closed-model'] as string | undefined);
  set('inputUSDPer1M', num(v, 'input-usd'));
  set('outputUSDPer1M', num(v, 'output-usd'));
  return o;
}

function parsePolicies(raw: string | boolean | undefined): PolicyName[] {
  if (raw === undefined) return [...POLICY_NAMES];
  const list = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    if (!(POLICY_NAMES as readonly string[]).includes(p)) {
      throw new FlagError(`--policies: unknown policy "${p}" (known: ${POLICY_NAMES.join(', ')})`);
    }
  }
  return list as PolicyName[];
}

export function run(argv: string[]): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`sim replay: ${message}\n\nRun pnpm sim replay --help for the flags.\n`);
    return Promise.resolve(2);
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  }
  try {
    // Every flag is checked before the trace is read: a bad flag is named even when the trace
    // file is missing, and before a long trace loads.
    const scenario = buildScenario(scenarioOptions(values));
    const policies = parsePolicies(values.policies);
    const trace = loadTrace(values);
    if (trace.requests.length === 0) return fail(`--trace: ${trace.name} has no requests in range`);
    const report = runReplay(scenario, trace, policies);
    const dir = resolve(
      typeof values.out === 'string' ? values.out : join(tmpdir(), 'bascule-replay'),
    );
    mkdirSync(dir, { recursive: true });
    const base = `replay-${trace.name}`;
    const jsonPath = join(dir, `${base}.json`);
    const svgPath = join(dir, `${base}.svg`);
    writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
    writeFileSync(svgPath, renderReplaySvg(report));
    if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else
      process.stdout.write(`${formatReplayTable(report)}\n\nwrote ${jsonPath}\nwrote ${svgPath}\n`);
    return Promise.resolve(0);
  } catch (err) {
    if (err instanceof FlagError || (err instanceof Error && err.name === 'TraceError')) {
      return fail(err.message);
    }
    if (err instanceof Error && /^--/.test(err.message)) return fail(err.message);
    throw err;
  }
}
