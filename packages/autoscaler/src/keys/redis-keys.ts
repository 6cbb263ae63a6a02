/**
 * Redis keys shared by the gateway (writer) and the autoscaler (reader). Documented in
 * docs/autoscaling.md; the gateway imports these helpers so both sides agree.
 *
 * - `{prefix}inflight:{model}`  hash, field = gateway id, value = requests for the Model in
 *   flight at that gateway (sent upstream or waiting for headroom); key TTL 30 s, refreshed on
 *   every report.
 * - `{prefix}overflow:{model}`  hash, same shape: requests that wanted the Model but overflowed
 *   to another target and are still in flight (the demand the Model is not serving).
 * - `{prefix}gateways`          hash, field = gateway id, value = time of its last report (ms
 *   since the epoch); the reader ignores counts from gateways silent for longer than staleMs.
 * - `{prefix}autoscaler:state:{namespace}/{model}`  string, JSON ScalerState, TTL 1 h.
 *
 * `{model}` is the Model's metadata.name; the default prefix is `bsc:`.
 */
export const DEFAULT_KEY_PREFIX = 'bsc:';

/** TTL (seconds) the gateway sets on the in-flight and overflow hashes at each report. */
export const INFLIGHT_TTL_SECONDS = 30;

/** Counts from a gateway whose heartbeat is older than this are ignored (ms). */
export const GATEWAY_STALE_MS = 15_000;

export function inflightKey(model: string, prefix = DEFAULT_KEY_PREFIX): string {
  return `${prefix}inflight:${model}`;
}

export function overflowKey(model: string, prefix = DEFAULT_KEY_PREFIX): string {
  return `${prefix}overflow:${model}`;
}

export function gatewaysKey(prefix = DEFAULT_KEY_PREFIX): string {
  return `${prefix}gateways`;
}

export function scalerStateKey(
  namespace: string,
  model: string,
  prefix = DEFAULT_KEY_PREFIX,
): string {
  return `${prefix}autoscaler:state:${namespace}/${model}`;
}

/**
 * Sums a per-gateway count hash, skipping gateways whose heartbeat is older than `staleMs`
 * (a gateway with no heartbeat at all is counted: the key's own TTL bounds it) and values that
 * are not non-negative numbers.
 */
export function sumGatewayCounts(
  counts: Readonly<Record<string, string>>,
  heartbeats: Readonly<Record<string, string>>,
  now: number,
  staleMs = GATEWAY_STALE_MS,
): number {
  let total = 0;
  for (const [gateway, raw] of Object.entries(counts)) {
    const beat = heartbeats[gateway];
    if (beat !== undefined && now - Number(beat) > staleMs) continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n > 0) total += n;
  }
  return total;
}
