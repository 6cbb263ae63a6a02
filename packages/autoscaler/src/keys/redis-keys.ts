/**
 * The gateway demand keys the autoscaler reads (inflightKey, overflowKey, gatewaysKey) and its
 * state key, re-exported from @bascule/keyspace (where every Redis key is named and documented;
 * docs/autoscaling.md), and the one way to sum the per-gateway counts: the autoscaler and the
 * API's capacity route both read through readGatewayCounts, so stale gateways are ignored alike.
 */
export {
  DEFAULT_PREFIX as DEFAULT_KEY_PREFIX,
  gatewaysKey,
  inflightKey,
  overflowKey,
  scalerStateKey,
} from '@bascule/keyspace';

/** TTL (seconds) the gateway sets on the in-flight and overflow hashes at each report. */
export const INFLIGHT_TTL_SECONDS = 30;

/** Counts from a gateway whose heartbeat is older than this are ignored (ms). */
export const GATEWAY_STALE_MS = 15_000;

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
