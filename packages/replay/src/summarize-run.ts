import { isCapacityOverflow } from './replay-policy.js';
import { ttftBoundMs, type ReplayScenario } from './replay-scenario.js';
import type { PolicyRun } from './simulate-policy.js';

/** One row of the comparison table. */
export interface PolicySummary {
  policy: string;
  kind: string;
  /** Fixed count, or min-max replicas the autoscaler used. */
  replicas: string;
  requests: number;
  /**
   * Share of requests with TTFT and TPOT within their bounds (rejected ones miss). The TTFT bound
   * grows with the prompt beyond a floor (ttftBoundMs); TPOT is the mean time per output token.
   */
  sloAttainment: number;
  /** Requests that missed the SLO, by cause (a request can miss both bounds). */
  sloMisses: { ttft: number; tpot: number; rejected: number };
  ttftP50Ms: number;
  ttftP90Ms: number;
  ttftP99Ms: number;
  /** Prompt tokens found in the replicas' prefix caches / prompt tokens looked up (0 when none). */
  prefixHitRate: number;
  /** Sequences the engines preempted for lack of KV blocks. */
  preemptions: number;
  tpotP99Ms: number;
  gpuHours: number;
  gpuCostUSD: number;
  closedApiTokens: number;
  closedApiCostUSD: number;
  totalCostUSD: number;
  /** Share of requests the Route moved to the closed API because the Model was short. */
  overflowShare: number;
  /** Overflow reasons and their counts. */
  overflowReasons: Record<string, number>;
  rejected: number;
  scaleEvents: number;
  /** Simulated events, for the speed report. */
  events: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarizeRun(scenario: ReplayScenario, run: PolicyRun): PolicySummary {
  const ttft: number[] = [];
  const tpot: number[] = [];
  let ok = 0;
  let rejected = 0;
  let ttftMiss = 0;
  let tpotMiss = 0;
  let overflowed = 0;
  let inTok = 0;
  let outTok = 0;
  const reasons: Record<string, number> = {};
  for (const o of run.outcomes) {
    if (o.served === 'rejected' || o.firstTokenAt === undefined || o.finishedAt === undefined) {
      rejected++;
      continue;
    }
    const t = o.firstTokenAt - o.arrivedAt;
    const p = o.outputTokens > 1 ? (o.finishedAt - o.firstTokenAt) / (o.outputTokens - 1) : 0;
    ttft.push(t);
    tpot.push(p);
    const ttftOk = t <= ttftBoundMs(scenario, o.promptTokens);
    const tpotOk = p <= scenario.sloTpotMs;
    if (ttftOk && tpotOk) ok++;
    if (!ttftOk) ttftMiss++;
    if (!tpotOk) tpotMiss++;
    if (o.served === 'closed-api') {
      inTok += o.promptTokens;
      outTok += o.outputTokens;
    }
    if (isCapacityOverflow(o.reason)) {
      overflowed++;
      reasons[o.reason] = (reasons[o.reason] ?? 0) + 1;
    }
  }
  ttft.sort((a, b) => a - b);
  tpot.sort((a, b) => a - b);
  const pm = scenario.provider.spec.models[0]!;
  const closedCost = (inTok * pm.inputUSDPer1M + outTok * pm.outputUSDPer1M) / 1e6;
  const gpuCost = run.gpuHours * (scenario.model.spec.cost?.gpuHourUSD ?? 0);
  const n = run.outcomes.length;
  const desired = run.timeline.map((p) => p.desired);
  const replicas =
    run.policy.kind === 'fixed'
      ? String(run.policy.replicas)
      : run.policy.kind === 'closed-api'
        ? '0'
        : `${Math.min(...desired)}-${Math.max(...desired)}`;
  return {
    policy: run.policy.name,
    kind: run.policy.kind,
    replicas,
    requests: n,
    sloAttainment: n > 0 ? ok / n : 1,
    sloMisses: { ttft: ttftMiss, tpot: tpotMiss, rejected },
    ttftP50Ms: percentile(ttft, 50),
    ttftP90Ms: percentile(ttft, 90),
    ttftP99Ms: percentile(ttft, 99),
    prefixHitRate: run.cache.prefixQueries > 0 ? run.cache.prefixHits / run.cache.prefixQueries : 0,
    preemptions: run.cache.preemptions,
    tpotP99Ms: percentile(tpot, 99),
    gpuHours: run.gpuHours,
    gpuCostUSD: gpuCost,
    closedApiTokens: inTok + outTok,
    closedApiCostUSD: closedCost,
    totalCostUSD: gpuCost + closedCost,
    overflowShare: n > 0 ? overflowed / n : 0,
    overflowReasons: reasons,
    rejected,
    scaleEvents: run.scaleEvents.length,
    events: run.events,
  };
}
