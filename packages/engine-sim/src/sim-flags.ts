import type { ParsedArgv } from './argv-tokens.js';
import { loadJudgeLabels, type JudgeLabels } from './judge/judge-labels.js';
import { EngineArgsError } from './engine-args-error.js';
import type { SimSettings } from './engine-config.js';
import { NO_FAULTS, type FaultSettings } from './fault-settings.js';
import { DEFAULT_OUTPUT_LENGTH, parseOutputLength } from './output-length.js';

/** Flags only engine-sim knows; a real engine would never see them. All take one value. */
export const SIM_FLAGS = [
  '--gpu',
  '--params-b',
  '--time-scale',
  '--load-seconds',
  '--lora-load-seconds',
  '--output-tokens',
  '--fault-error-rate',
  '--fault-unavailable-rate',
  '--fault-hang-rate',
  '--fault-slow-stream-ms',
  '--fault-crash-after',
  '--judge-labels',
  '--quality-tier',
] as const;

function num(
  flags: ParsedArgv['flags'],
  flag: string,
  check: (n: number) => boolean,
  want: string,
): number | undefined {
  const raw = flags.get(flag)?.at(-1);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new EngineArgsError(
      `engine-sim: error: argument ${flag}: invalid value '${raw}' (want ${want})`,
      flag,
    );
  }
  return n;
}

/** Reads the engine-sim flags (`--time-scale`, `--fault-*`...), validating every value. */
export function parseSimFlags(flags: ParsedArgv['flags']): SimSettings {
  const rate = (n: number) => n >= 0 && n <= 1;
  const faults: FaultSettings = {
    errorRate: num(flags, '--fault-error-rate', rate, 'a rate in [0, 1]') ?? NO_FAULTS.errorRate,
    unavailableRate:
      num(flags, '--fault-unavailable-rate', rate, 'a rate in [0, 1]') ?? NO_FAULTS.unavailableRate,
    hangRate: num(flags, '--fault-hang-rate', rate, 'a rate in [0, 1]') ?? NO_FAULTS.hangRate,
    slowStreamMs:
      num(
        flags,
        '--fault-slow-stream-ms',
        (n) => n >= 0 && n <= 60_000,
        'milliseconds in [0, 60000]',
      ) ?? 0,
    crashAfterRequests:
      num(flags, '--fault-crash-after', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1') ??
      null,
  };
  const lengthRaw = flags.get('--output-tokens')?.at(-1);
  const outputLength =
    lengthRaw === undefined ? DEFAULT_OUTPUT_LENGTH : parseOutputLength(lengthRaw);
  if (!outputLength) {
    throw new EngineArgsError(
      `engine-sim: error: argument --output-tokens: invalid value '${lengthRaw}' (want max, fixed:N or uniform:A-B)`,
      '--output-tokens',
    );
  }
  const tier = flags.get('--quality-tier')?.at(-1) ?? 'weak';
  if (tier !== 'weak' && tier !== 'strong')
    throw new EngineArgsError(
      `engine-sim: error: argument --quality-tier: invalid choice '${tier}' (choose from 'weak', 'strong')`,
      '--quality-tier',
    );
  const labelsPath = flags.get('--judge-labels')?.at(-1);
  let labels: JudgeLabels | undefined;
  if (labelsPath !== undefined) {
    try {
      labels = loadJudgeLabels(labelsPath);
    } catch (err) {
      throw new EngineArgsError(
        `engine-sim: error: argument --judge-labels: ${err instanceof Error ? err.message : String(err)}`,
        '--judge-labels',
      );
    }
  }
  return {
    ...(labels ? { judge: { labels, tier } } : {}),
    gpu: flags.get('--gpu')?.at(-1),
    paramsB: num(flags, '--params-b', (n) => n > 0, 'billions of parameters > 0'),
    timeScale: num(flags, '--time-scale', (n) => n > 0 && n <= 10_000, 'a factor in (0, 10000]'),
    loadSeconds: num(flags, '--load-seconds', (n) => n >= 0, 'seconds >= 0'),
    loraLoadSeconds: num(flags, '--lora-load-seconds', (n) => n >= 0, 'seconds >= 0'),
    outputLength,
    faults,
  };
}
