// One step of a Deployment rollout (pure), after the deployment controller's rolling.go and
// recreate.go: first scale the new ReplicaSet up within maxSurge; if nothing changed, scale old
// ReplicaSets down within maxUnavailable, unhealthy pods first.

export interface RsState {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.replicas: pods that exist */
  current: number;
  /** status.availableReplicas */
  available: number;
  /** creation order; older first when scaling down */
  createdAt: string;
}

export interface RolloutInput {
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  newRs: RsState;
  oldRss: RsState[];
  paused?: boolean;
}

/** Resolves an int-or-percent against the replica count (surge rounds up, unavailable down). */
export function resolveIntOrPercent(
  value: number | string | undefined,
  total: number,
  roundUp: boolean,
  def: string,
): number {
  const v = value ?? def;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n) && n >= 0) return n;
    throw new Error(
      `invalid value for IntOrString: invalid type: string is not a percentage: "${v}"`,
    );
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function resolveFenceposts(
  input: Pick<RolloutInput, 'replicas' | 'maxSurge' | 'maxUnavailable'>,
): {
  maxSurge: number;
  maxUnavailable: number;
} {
  const maxSurge = resolveIntOrPercent(input.maxSurge, input.replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(input.maxUnavailable, input.replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Desired spec.replicas per ReplicaSet name after this step; ReplicaSets not listed stay as they are. */
export function planRollout(input: RolloutInput): Map<string, number> {
  const plan = new Map<string, number>();
  const { newRs, oldRss, replicas } = input;
  const oldTotal = oldRss.reduce((n, rs) => n + rs.replicas, 0);
  if (input.strategy === 'Recreate' && !input.paused) {
    for (const rs of oldRss) if (rs.replicas > 0) plan.set(rs.name, 0);
    if (plan.size > 0) return plan;
    if (oldRss.some((rs) => rs.current > 0)) return plan; // wait for old pods to go
    if (newRs.replicas !== replicas) plan.set(newRs.name, replicas);
    return plan;
  }
  if (input.paused || oldTotal === 0) {
    // No rollout under way (or paused): just follow spec.replicas.
    if (!input.paused && newRs.replicas !== replicas) plan.set(newRs.name, replicas);
    return plan;
  }
  const { maxSurge, maxUnavailable } = resolveFenceposts(input);
  // reconcileNewReplicaSet
  if (newRs.replicas > replicas) {
    plan.set(newRs.name, replicas);
    return plan;
  }
  if (newRs.replicas < replicas) {
    const currentPods = oldTotal + newRs.replicas;
    const maxTotal = replicas + maxSurge;
    if (currentPods < maxTotal) {
      const up = Math.min(maxTotal - currentPods, replicas - newRs.replicas);
      if (up > 0) {
        plan.set(newRs.name, newRs.replicas + up);
        return plan;
      }
    }
  }
  // reconcileOldReplicaSets
  const allPods = oldTotal + newRs.replicas;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = newRs.replicas - newRs.available;
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;
  const olds = [...oldRss].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
  const scaled = new Map(olds.map((rs) => [rs.name, rs.replicas]));
  // cleanupUnhealthyReplicas
  for (const rs of olds) {
    if (maxScaledDown <= 0) break;
    const cur = scaled.get(rs.name) ?? 0;
    const unhealthy = Math.max(0, cur - rs.available);
    if (unhealthy === 0) continue;
    const down = Math.min(maxScaledDown, unhealthy);
    scaled.set(rs.name, cur - down);
    maxScaledDown -= down;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const available =
    newRs.available +
    olds.reduce((n, rs) => n + Math.min(rs.available, scaled.get(rs.name) ?? 0), 0);
  let budget = available - minAvailable;
  for (const rs of olds) {
    if (budget <= 0) break;
    const cur = scaled.get(rs.name) ?? 0;
    const down = Math.min(cur, budget);
    scaled.set(rs.name, cur - down);
    budget -= down;
  }
  for (const rs of olds)
    if (scaled.get(rs.name) !== rs.replicas) plan.set(rs.name, scaled.get(rs.name) ?? 0);
  return plan;
}
