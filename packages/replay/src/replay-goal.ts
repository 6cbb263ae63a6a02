import type { PolicySummary } from './summarize-run.js';

/** The bar for the autoscaler on one trace, each part checked against the baselines. */
export interface ReplayGoal {
  /** >= 99% SLO wherever fixed-peak reaches 99% (true when fixed-peak does not). */
  slo: boolean;
  /** GPU-hours / fixed-peak's. */
  gpuVsPeak: number;
  /** GPU-hours <= fixed-peak's (<= 0.85x on the burstiest shapes). */
  gpu: boolean;
  /** Total $ (GPUs + closed API) / fixed-mean's total $ (its GPUs plus its overflow). */
  costVsMean: number;
  cost: boolean;
}

/** Checks the autoscaler's row against fixed-peak and fixed-mean; `gpuLimit` is 0.85 for the burstiest shapes. */
export function checkReplayGoal(
  rows: readonly PolicySummary[],
  gpuLimit = 1,
): ReplayGoal | undefined {
  const row = (n: string) => rows.find((r) => r.policy === n);
  const [auto, peak, mean] = [row('autoscaler'), row('fixed-peak'), row('fixed-mean')];
  if (!auto || !peak || !mean) return undefined;
  const gpuVsPeak = peak.gpuHours > 0 ? auto.gpuHours / peak.gpuHours : 0;
  const costVsMean = mean.totalCostUSD > 0 ? auto.totalCostUSD / mean.totalCostUSD : 0;
  return {
    slo: auto.sloAttainment >= 0.99 || peak.sloAttainment < 0.99,
    gpuVsPeak,
    gpu: gpuVsPeak <= gpuLimit + 1e-9,
    costVsMean,
    cost: costVsMean <= 1 + 1e-9,
  };
}
