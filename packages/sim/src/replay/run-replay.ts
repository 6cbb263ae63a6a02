import type { ReplayPolicy, ScaleEvent, TimelinePoint } from './replay-policy.js';
import type { ReplayScenario } from './replay-scenario.js';
import { sizeFixed } from './size-fixed.js';
import { simulatePolicy } from './simulate-policy.js';
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
    sloTpotMs: number;
  };
  sizing: { peak: number; mean: number; offeredPeak: number; offeredMean: number };
  rows: PolicySummary[];
  /** The autoscaler's run, for the chart. */
  timeline: TimelinePoint[];
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
  let timeline: TimelinePoint[] = [];
  let scaleEvents: ScaleEvent[] = [];
  for (const name of policies) {
    const policy: ReplayPolicy =
      name === 'fixed-peak'
        ? { kind: 'fixed', name, replicas: sizing.peak }
        : name === 'fixed-mean'
          ? { kind: 'fixed', name, replicas: sizing.mean }
          : name === 'autoscaler'
            ? { kind: 'autoscaler', name }
            : { kind: 'closed-api', name };
    const run = simulatePolicy(scenario, trace, policy);
    rows.push(summarizeRun(scenario, run));
    if (name === 'autoscaler') {
      timeline = run.timeline;
      scaleEvents = run.scaleEvents;
    }
  }
  const m = scenario.model.spec;
  const dur = (trace.requests.at(-1)?.at ?? 0) / 1000;
  const pm = scenario.provider.spec.models[0]!;
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
      sloTpotMs: scenario.sloTpotMs,
    },
    sizing,
    rows,
    timeline,
    scaleEvents,
    wallMs: now() - t0,
  };
}
