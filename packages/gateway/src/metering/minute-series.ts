import type { UsageRecord } from './usage-record.js';

/**
 * The dashboard's time series: per-minute counters kept in Redis for the last 24 hours (see
 * docs/dashboard.md). Each minute and scope is one hash, keyspace minuteSeriesKey(epochMinute, scope), whose
 * fields are summed by every gateway replica (HINCRBY), so replicas add up:
 *
 * - `req`, `err`, `in`, `out` (tokens), `req_self`/`req_closed`, `usd_self`/`usd_closed`;
 * - `ovf:{why}`: requests that overflowed (reason `overflow:{why}`);
 * - `lat:{i}` and `ttft:{i}`: latency histograms on buckets growing by 1.5x (see latencyBucket);
 * - on route scopes only, `dec:{target}|{reason}`: routing decisions.
 *
 * Scopes: `all`, `key:{id}`, `route:{name}`, `target:{name}`. Pure functions only (no I/O).
 */

/** Hashes live this long: a 24-hour window plus an hour of slack. */
export const MINUTE_SERIES_TTL_S = 25 * 3600;

/** Latency buckets: bucket i holds (1.5^(i-1), 1.5^i] ms; the last one holds everything above. */
export const LATENCY_BUCKETS = 36;
const GROWTH = 1.5;

export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.ceil(Math.log(ms) / Math.log(GROWTH)));
}

/** Upper bound in ms of bucket i. */
export function bucketUpperMs(i: number): number {
  return GROWTH ** i;
}

/**
 * The q-quantile (0..1) of a histogram given as counts per bucket index, interpolated
 * geometrically inside its bucket (error under the 1.5x bucket width); undefined when empty.
 */
export function quantileOfBuckets(
  counts: ReadonlyMap<number, number>,
  q: number,
): number | undefined {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (const i of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(i)!;
    if (n <= 0) continue;
    if (seen + n >= rank) {
      const lo = i === 0 ? 0 : bucketUpperMs(i - 1);
      const hi = bucketUpperMs(i);
      const f = n > 0 ? (rank - seen) / n : 1;
      return i === 0 ? hi * f : lo * (hi / lo) ** f;
    }
    seen += n;
  }
  return bucketUpperMs(LATENCY_BUCKETS - 1);
}

/** Counter increments per hash key (`{epochMinute}:{scope}`) and field. */
export type MinuteIncrements = Map<string, Map<string, number>>;

export function epochMinute(atMs: number): number {
  return Math.floor(atMs / 60_000);
}

function inc(into: MinuteIncrements, key: string, field: string, by: number): void {
  if (by === 0) return;
  let h = into.get(key);
  if (!h) into.set(key, (h = new Map<string, number>()));
  h.set(field, (h.get(field) ?? 0) + by);
}

/** One scope's counters in one minute: the fixed fields as numbers, the rest by name. */
class ScopeCounts {
  req = 0;
  err = 0;
  in = 0;
  out = 0;
  req_self = 0;
  req_closed = 0;
  usd_self = 0;
  usd_closed = 0;
  readonly lat = new Float64Array(LATENCY_BUCKETS);
  readonly ttft = new Float64Array(LATENCY_BUCKETS);
  /** `ovf:{why}`, and on route scopes `dec:{target}|{reason}` (by target, then reason). */
  readonly ovf = new Map<string, number>();
  readonly dec = new Map<string, Map<string, number>>();

  add(r: UsageRecord, routed: boolean, closed: boolean, lat: number, ttft: number): void {
    this.req++;
    if (r.status >= 400) this.err++;
    this.in += r.promptTokens;
    this.out += r.completionTokens;
    if (routed)
      if (closed) {
        this.req_closed++;
        this.usd_closed += r.costUSD;
      } else {
        this.req_self++;
        this.usd_self += r.costUSD;
      }
    if (lat >= 0) this.lat[lat]!++;
    if (ttft >= 0) this.ttft[ttft]!++;
    if (r.reason.startsWith('overflow:')) {
      const f = `ovf:${r.reason.slice(9)}`;
      this.ovf.set(f, (this.ovf.get(f) ?? 0) + 1);
    }
  }

  addDecision(target: string, reason: string): void {
    let byReason = this.dec.get(target);
    if (!byReason) this.dec.set(target, (byReason = new Map<string, number>()));
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }

  /** Adds these counters to `into` under hash key `key`, as field names (zeros left out). */
  addTo(into: MinuteIncrements, key: string): void {
    inc(into, key, 'req', this.req);
    inc(into, key, 'err', this.err);
    inc(into, key, 'in', this.in);
    inc(into, key, 'out', this.out);
    inc(into, key, 'req_self', this.req_self);
    inc(into, key, 'req_closed', this.req_closed);
    inc(into, key, 'usd_self', this.usd_self);
    inc(into, key, 'usd_closed', this.usd_closed);
    for (let i = 0; i < LATENCY_BUCKETS; i++) {
      inc(into, key, LAT_FIELDS[i]!, this.lat[i]!);
      inc(into, key, TTFT_FIELDS[i]!, this.ttft[i]!);
    }
    for (const [f, n] of this.ovf) inc(into, key, f, n);
    for (const [target, byReason] of this.dec)
      for (const [reason, n] of byReason) inc(into, key, `dec:${target}|${reason}`, n);
  }
}

/** One minute's scopes: `all`, and `key:`, `route:`, `target:` by name. */
class MinuteScopes {
  readonly all = new ScopeCounts();
  readonly key = new Map<string, ScopeCounts>();
  readonly route = new Map<string, ScopeCounts>();
  readonly target = new Map<string, ScopeCounts>();
  constructor(readonly minute: number) {}

  addTo(into: MinuteIncrements): void {
    this.all.addTo(into, `${this.minute}:all`);
    for (const head of ['key', 'route', 'target'] as const)
      for (const [name, c] of this[head]) c.addTo(into, `${this.minute}:${head}:${name}`);
  }
}

function scopeOf(scopes: Map<string, ScopeCounts>, name: string): ScopeCounts {
  let c = scopes.get(name);
  if (!c) scopes.set(name, (c = new ScopeCounts()));
  return c;
}

const LAT_FIELDS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `lat:${i}`);
const TTFT_FIELDS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `ttft:${i}`);

/**
 * The increments of requests metered since the last flush, summed in memory on the request
 * path: a request adds to fixed-slot counters of its four scopes (three Map lookups), and the
 * field names of the Redis hashes are only built at flush (`drainInto`), every few seconds.
 */
export class MinuteCounts {
  private readonly minutes = new Map<number, MinuteScopes>();
  private last: MinuteScopes | undefined;

  /** Adds one metered request to its minute, in each scope it belongs to. */
  add(r: UsageRecord): void {
    const minute = epochMinute(r.at);
    let m = this.last;
    if (m?.minute !== minute) {
      m = this.minutes.get(minute);
      if (!m) this.minutes.set(minute, (m = new MinuteScopes(minute)));
      this.last = m;
    }
    const closed = r.targetKind === 'provider';
    const routed = r.targetKind !== 'none';
    const ok = r.status < 400 && !r.refused;
    const lat = ok ? latencyBucket(r.latencyMs) : -1;
    const ttft = ok && r.ttftMs !== undefined ? latencyBucket(r.ttftMs) : -1;
    m.all.add(r, routed, closed, lat, ttft);
    scopeOf(m.key, r.key).add(r, routed, closed, lat, ttft);
    const route = scopeOf(m.route, r.route);
    route.add(r, routed, closed, lat, ttft);
    route.addDecision(r.target, r.reason);
    scopeOf(m.target, r.target).add(r, routed, closed, lat, ttft);
  }

  /** Moves everything summed so far into `into` (hash key -> field -> increment) and empties. */
  drainInto(into: MinuteIncrements): void {
    for (const m of this.minutes.values()) m.addTo(into);
    this.minutes.clear();
    this.last = undefined;
  }
}

/** Drops hashes of minutes older than the retention (a long Redis outage stays bounded). */
export function dropExpired(into: MinuteIncrements, nowMs: number): void {
  const oldest = epochMinute(nowMs) - MINUTE_SERIES_TTL_S / 60;
  for (const k of into.keys()) if (Number(k.slice(0, k.indexOf(':'))) < oldest) into.delete(k);
}
