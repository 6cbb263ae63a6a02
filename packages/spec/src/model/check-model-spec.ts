import type { z } from 'zod';
import { DTYPES, QUANTIZATIONS, type Engine } from './engine-options.js';
import { tryParseGpuProfile } from './gpu-profile.js';

/** The fields the cross-field rules read (kept structural to avoid an import cycle). */
interface CheckedSpec {
  engine: Engine;
  gpus: string;
  tensorParallelism?: number | undefined;
  quantization?: keyof typeof QUANTIZATIONS | undefined;
  dtype: keyof typeof DTYPES;
  autoscaling: { minReplicas: number; maxReplicas: number };
  servedNames?: string[] | undefined;
  aliases?: string[] | undefined;
  loraAdapters?: { name: string }[] | undefined;
  env?: { name: string; value?: string | undefined; valueFrom?: unknown }[] | undefined;
  vllm?: unknown;
  tgi?: unknown;
}

/**
 * Cross-field rules of a Model spec; adds one issue per broken rule, at the field to fix.
 * zod runs this even when a field failed a format check, so it must not assume valid values.
 */
export function checkModelSpec(spec: CheckedSpec, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const other: Engine = spec.engine === 'vllm' ? 'tgi' : 'vllm';

  if (spec.autoscaling.minReplicas > spec.autoscaling.maxReplicas) {
    issue(
      ['autoscaling', 'minReplicas'],
      `minReplicas (${spec.autoscaling.minReplicas}) must be <= maxReplicas (${spec.autoscaling.maxReplicas})`,
    );
  }
  const count = tryParseGpuProfile(spec.gpus)?.count;
  if (spec.tensorParallelism !== undefined && count !== undefined) {
    if (count % spec.tensorParallelism !== 0) {
      issue(
        ['tensorParallelism'],
        `tensorParallelism (${spec.tensorParallelism}) must divide the GPU count (${count} in "${spec.gpus}")`,
      );
    }
  }
  if (spec[other] !== undefined) {
    issue(
      [other],
      `${other} options are not valid with engine ${spec.engine}; use spec.${spec.engine}`,
    );
  }
  if (
    spec.quantization &&
    !(QUANTIZATIONS[spec.quantization] as readonly Engine[]).includes(spec.engine)
  ) {
    issue(
      ['quantization'],
      `quantization ${spec.quantization} is not supported by engine ${spec.engine}`,
    );
  }
  if (!(DTYPES[spec.dtype] as readonly Engine[]).includes(spec.engine)) {
    issue(['dtype'], `dtype ${spec.dtype} is not supported by engine ${spec.engine}`);
  } else if (spec.engine === 'tgi' && spec.quantization && spec.dtype !== 'auto') {
    issue(
      ['dtype'],
      `TGI cannot force dtype ${spec.dtype} together with quantization; use dtype auto`,
    );
  }
  if (
    spec.engine === 'tgi' &&
    spec.quantization === 'exl2' &&
    (spec.tensorParallelism ?? count ?? 1) > 1
  ) {
    issue(
      ['quantization'],
      'TGI runs exl2 on one GPU only (no sharding); use awq or gptq to shard',
    );
  }
  duplicates(spec.servedNames ?? [], (i, name) =>
    issue(['servedNames', i], `duplicate served name "${name}"`),
  );
  duplicates(
    (spec.loraAdapters ?? []).map((a) => a.name),
    (i, name) => issue(['loraAdapters', i, 'name'], `duplicate adapter name "${name}"`),
  );
  // an adapter is selected by its name in "model": it cannot be a name of the base model too
  const baseNames = new Set([...(spec.servedNames ?? []), ...(spec.aliases ?? [])]);
  (spec.loraAdapters ?? []).forEach((a, i) => {
    if (baseNames.has(a.name))
      issue(
        ['loraAdapters', i, 'name'],
        `adapter name "${a.name}" is also a served name or alias of the base model`,
      );
  });
  (spec.env ?? []).forEach((env, i) => {
    if ((env.value === undefined) === (env.valueFrom === undefined)) {
      issue(['env', i], `env ${env.name} must set exactly one of value or valueFrom`);
    }
  });
}

function duplicates(values: string[], report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(i, v);
    seen.add(v);
  });
}
