import type { ScalingSettings } from './scaling-settings.js';

/**
 * Time-weighted means the cost rule keeps between decisions (plain JSON in the policy state):
 * exponentially weighted over the cost window, so the rule sees a rate of overflow that lasts,
 * not the burst of the moment.
 */
export interface OverflowStats {
  /** Time of the last update (ms). */
  at: number;
  /** USD per hour the engines' tokens would have cost at the overflow target (weighted mean). */
  usdPerHour: number;
  /** Requests the engines held (running + waiting), weighted mean. */
  served: number;
  /** carried[k - 1]: weighted mean of the load the k-th replica carries (see overflowWorth). */
  carried: number[];
  /**
   * Weight the means have gathered, 1 - exp(-observed time / costWindowMs): they start at 0 and
   * are divided by it (an unbiased mean from the first interval on).
   */
  weight: number;
}

/** One observation for the cost rule. */
export interface OverflowObservation {
  at: number;
  /** Load in in-flight units (served plus overflowed plus queued). */
  load: number;
  /** Requests the engines held. */
  served: number;
  /** Prompt and output tokens the engines processed since the previous observation. */
  promptTokens: number;
  generationTokens: number;
}

/** Folds one observation into the stats (undefined when the cost rule is off). */
export function updateOverflowStats(
  settings: ScalingSettings,
  prev: OverflowStats | undefined,
  o: OverflowObservation,
): OverflowStats | undefined {
  const price = settings.overflowUSDPerToken;
  if (!price || !(settings.replicaHourUSD > 0)) return undefined;
  const cap = settings.maxConcurrency;
  const top = Math.min(settings.maxReplicas, Math.max(prev?.carried.length ?? 0, 1 + o.load / cap));
  const carriedNow = Array.from({ length: Math.ceil(top) }, (_, i) =>
    Math.min(cap, Math.max(0, o.load - i * cap)),
  );
  if (!prev || o.at <= prev.at) {
    return prev ?? { at: o.at, usdPerHour: 0, served: 0, carried: [], weight: 0 };
  }
  const dt = o.at - prev.at;
  const usd = o.promptTokens * price.input + o.generationTokens * price.output;
  const w = 1 - Math.exp(-dt / settings.tuning.costWindowMs);
  const mix = (a: number, b: number) => a + w * (b - a);
  return {
    at: o.at,
    usdPerHour: mix(prev.usdPerHour, usd / (dt / 3_600_000)),
    served: mix(prev.served, o.served),
    carried: carriedNow.map((c, i) => mix(prev.carried[i] ?? 0, c)),
    weight: mix(prev.weight, 1),
  };
}

/** What the cost rule says about the replica count. */
export interface OverflowWorth {
  /** USD per hour that one request in flight would cost at the overflow target. */
  inFlightHourUSD: number;
  /** Most replicas whose own share of the load, overflowed, would cost at least their price. */
  add: number;
  /** Most replicas still worth keeping: the same at (1 - scaleDownHysteresis) of their price. */
  keep: number;
  /** USD per hour of overflow the next replica (current + 1) would absorb. */
  nextReplicaSavesUSD: number;
}

/**
 * The cost rule: a replica is worth holding while the requests it carries would cost more at the
 * overflow target than the replica costs (its GPUs' price per hour). Pure.
 *
 * - Value of load: the engines' prompt and output tokens at the overflow target's token prices,
 *   per request-hour the engines held (running + waiting): what one request in flight costs per
 *   hour when it overflows. High for long prompts with short answers (code completion), low for
 *   long chats.
 * - The k-th replica carries the load beyond what k - 1 replicas hold at maxConcurrency each, up
 *   to maxConcurrency; averaged over time, a bursty load makes the top replicas carry little and
 *   a steady one a lot, so the same mean load is worth different replica counts.
 * - Both are means over the cost window (10 min by default, several GPU cold starts): a replica
 *   is added for overflow that lasts, not for a burst that ends before it is ready.
 * - `add`: the most replicas k whose k-th replica saves at least its price per hour; `keep`: the
 *   same at (1 - scaleDownHysteresis) of the price, so adding and removing do not flap.
 */
export function overflowWorth(
  settings: ScalingSettings,
  stats: OverflowStats | undefined,
  current: number,
): OverflowWorth | undefined {
  const t = settings.tuning;
  // Not before a stable window's worth of observations: fewer say little about a rate.
  const enough = 1 - Math.exp(-t.stableWindowMs / t.costWindowMs);
  if (!stats || stats.weight < enough - 1e-9) return undefined;
  if (!(stats.usdPerHour > 0) || !(stats.served > 0)) return undefined;
  const replicaUSD = settings.replicaHourUSD;
  // Means divided by the weight; in the ratio of two means it cancels.
  const inFlightHourUSD = stats.usdPerHour / stats.served;
  const saves = (k: number): number =>
    ((stats.carried[k - 1] ?? 0) / stats.weight) * inFlightHourUSD;
  const most = (threshold: number): number => {
    let k = 0;
    while (k < settings.maxReplicas && saves(k + 1) >= threshold) k++;
    return k;
  };
  return {
    inFlightHourUSD,
    add: most(replicaUSD),
    keep: most(replicaUSD * (1 - t.scaleDownHysteresis)),
    nextReplicaSavesUSD: saves(current + 1),
  };
}
