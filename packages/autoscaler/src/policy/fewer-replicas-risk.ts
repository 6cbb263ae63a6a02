import type { LoadSample } from './scaler-state.js';
import type { ScalingSettings } from './scaling-settings.js';

/**
 * Whether removing one of `ready` replicas would put the objective at risk: the SLO hold
 * (attainment under the goal with queueing part of it) predicted for ready - 1 replicas, over the
 * stable window. Pure.
 *
 * Queue wait is scaled from the wait measured now by ρ/(1 − ρ) (the M/M/1 wait factor), ρ being
 * the engines' share of their slots in use (served requests / (replicas × maxConcurrency)): the
 * same requests on one replica fewer. When ready − 1 replicas could not hold the served load at
 * all, any queueing today predicts a miss. Without queueing today, or with attainment at or over
 * the goal, nothing is at risk: a slow first token that is the prompt's own prefill is not made
 * slower by fewer replicas.
 */
export function fewerReplicasAtRisk(
  settings: ScalingSettings,
  samples: readonly LoadSample[],
  now: number,
  ready: number,
): boolean {
  if (ready < 2) return false;
  const t = settings.tuning;
  let count = 0;
  let within = 0;
  let queueCount = 0;
  let queueWaitMs = 0;
  let served = 0;
  let n = 0;
  for (const s of samples) {
    if (s.at <= now - t.stableWindowMs) continue;
    count += s.ttftCount ?? 0;
    within += s.ttftWithinSlo ?? 0;
    queueCount += s.queueCount ?? 0;
    queueWaitMs += s.queueWaitMs ?? 0;
    served += s.served ?? 0;
    n++;
  }
  if (count < t.sloMinRequests || queueCount < t.sloMinRequests || n === 0) return false;
  if (within / count >= settings.slo.attainment) return false;
  const wait = queueWaitMs / queueCount;
  if (!(wait > 0)) return false;
  const rho = served / n / (ready * settings.maxConcurrency);
  const rhoFewer = (rho * ready) / (ready - 1);
  const factor =
    rhoFewer >= 1 ? Infinity : rho > 0 ? (rhoFewer / (1 - rhoFewer)) * ((1 - rho) / rho) : 1;
  return wait * factor > 0.1 * settings.slo.ttftMs;
}
