import type { ReplayPolicy, ScaleEvent, TimelinePoint } from './replay-policy.js';
import type { ReplayScenario } from './replay-scenario.js';
import { buildReplaySeries, seriesBucketMs, type ReplaySeries } from './replay-series.js';
import { sizeFixed, warmReplicas } from './size-fixed.js';
import { simulatePolicy, type PolicyRun } from './simulate-policy.js';
import { summarizeRun, type PolicySummary } from './summarize-run.js';
import type { Trace } from './trace-request.js';

export const POLICY_NAMES = ['fixed-peak', 'fixed-mean', 'autoscaler', 'closed-api'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface ReplayReport {
  trace: { name: string; requests: number; durationS: number; meanRate: number };
  scenario: {
    model: string;
    gpus: string;
    gpuBudget: number;
    gpuHourUSD: number;
    maxConcurrency: number;
    targetInFlight: number;
    scaleDownDelay: string;
    scaleToZeroDelay: string;
    coldStartS: number;
    closedApi: string;
    sloTtftMs: number;
    sloTtftPerPromptTokenMs: number;
    sloTpotMs: number;
    /** The Model states the closed API's token prices (autoscaling.overflowCost): the cost rule is on. */
    overflowCost: boolean;
  };
  sizing: { peak: number; mean: number; offeredPeak: number; offeredMean: number };
  rows: PolicySummary[];
  /** The autoscaler's run, for the chart. */
  timeline: TimelinePoint[];
  /** Load, overflow per policy and the autoscaler's replicas over time, bucketed. */
  series: ReplaySeries;
  scaleEvents: ScaleEvent[];
  /** Wall time of the whole replay (ms). */
  wallMs: number;
}

/** Sizes the fixed baselines, then replays the trace under each policy and summarises. */
export function runReplay(
  scenario: ReplayScenario,
  trace: Trace,
  policies: readonly PolicyName[] = POLICY_NAMES,
  now: () => number = () => performance.now(),
): ReplayReport {
  const t0 = now();
  const sizing = sizeFixed(scenario, trace);
  const rows: PolicySummary[] = [];
  const runs: PolicyRun[] = [];
  let timeline: TimelinePoint[] = [];
  let scaleEvents: ScaleEvent[] = [];
  for (const name of policies) {
    const policy: ReplayPolicy =
      name === 'fixed-peak'
        ? { kind: 'fixed', name, replicas: sizing.peak }
        : name === 'fixed-mean'
          ? { kind: 'fixed', name, replicas: sizing.mean }
          : name === 'autoscaler'
            ? {
                kind: 'autoscaler',
                name,
                // Warm as a running service would be, never above the count that covers the peak.
                startReplicas:
                  scenario.startReplicas ?? Math.min(warmReplicas(scenario, trace), sizing.peak),
              }
            : { kind: 'closed-api', name };
    const run = simulatePolicy(scenario, trace, policy);
    rows.push(summarizeRun(scenario, run));
    runs.push(run);
    if (name === 'autoscaler') {
      timeline = run.timeline;
      scaleEvents = run.scaleEvents;
    }
  }
  const m = scenario.model.spec;
  const dur = (trace.requests.at(-1)?.at ?? 0) / 1000;
  const pm = scenario.provider.spec.models[0]!;
  const horizonMs = runs[0]?.horizonMs ?? dur * 1000 + scenario.tickMs;
  const series = buildReplaySeries(runs, horizonMs, seriesBucketMs(horizonMs, scenario.tickMs));
  return {
    trace: {
      name: trace.name,
      requests: trace.requests.length,
      durationS: dur,
      meanRate: dur > 0 ? trace.requests.length / dur : 0,
    },
    scenario: {
      model: m.source,
      gpus: m.gpus,
      gpuBudget: scenario.gpuBudget,
      gpuHourUSD: m.cost?.gpuHourUSD ?? 0,
      maxConcurrency: m.maxConcurrency,
      targetInFlight: m.autoscaling.targetInFlight ?? m.maxConcurrency * 0.75,
      scaleDownDelay: m.autoscaling.scaleDownDelay,
      scaleToZeroDelay: m.autoscaling.scaleToZeroDelay,
      coldStartS: scenario.coldStartMs / 1000,
      closedApi: `${pm.name} ($${pm.inputUSDPer1M}/$${pm.outputUSDPer1M} per 1M in/out)`,
      sloTtftMs: scenario.sloTtftMs,
      sloTtftPerPromptTokenMs: scenario.sloTtftPerPromptTokenMs,
      sloTpotMs: scenario.sloTpotMs,
      overflowCost: m.autoscaling.overflowCost !== undefined,
    },
    sizing,
    rows,
    timeline,
    series,
    scaleEvents,
    wallMs: now() - t0,
  };
}
