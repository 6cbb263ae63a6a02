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
  add(hashOf(into, key), field, by);
}

function hashOf(into: MinuteIncrements, key: string): Map<string, number> {
  let h = into.get(key);
  if (!h) into.set(key, (h = new Map<string, number>()));
  return h;
}

function add(h: Map<string, number>, field: string, by: number): void {
  if (by !== 0) h.set(field, (h.get(field) ?? 0) + by);
}

const LAT_FIELDS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `lat:${i}`);
const TTFT_FIELDS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `ttft:${i}`);

/** Adds one metered request to the increments of its minute, for each scope it belongs to. */
export function addToMinuteSeries(into: MinuteIncrements, r: UsageRecord): void {
  const minute = epochMinute(r.at);
  const k = scopeKeys(minute);
  const closed = r.targetKind === 'provider';
  const routed = r.targetKind !== 'none';
  const ovf = r.reason.startsWith('overflow:') ? `ovf:${r.reason.slice(9)}` : undefined;
  const ok = r.status < 400 && !r.refused;
  const lat = ok ? LAT_FIELDS[latencyBucket(r.latencyMs)]! : undefined;
  const ttft = ok && r.ttftMs !== undefined ? TTFT_FIELDS[latencyBucket(r.ttftMs)]! : undefined;
  const f: Fields = { r, routed, closed, ovf, lat, ttft };
  addFields(hashOf(into, k.all), f);
  addFields(hashOf(into, k.of('key:', r.key)), f);
  const route = hashOf(into, k.of('route:', r.route));
  addFields(route, f);
  add(route, k.of('dec:', r.target, r.reason), 1);
  addFields(hashOf(into, k.of('target:', r.target)), f);
}

interface Fields {
  r: UsageRecord;
  routed: boolean;
  closed: boolean;
  ovf: string | undefined;
  lat: string | undefined;
  ttft: string | undefined;
}

function addFields(h: Map<string, number>, f: Fields): void {
  const r = f.r;
  add(h, 'req', 1);
  if (r.status >= 400) add(h, 'err', 1);
  add(h, 'in', r.promptTokens);
  add(h, 'out', r.completionTokens);
  if (f.routed) {
    add(h, f.closed ? 'req_closed' : 'req_self', 1);
    add(h, f.closed ? 'usd_closed' : 'usd_self', r.costUSD);
  }
  if (f.ovf) add(h, f.ovf, 1);
  if (f.lat) add(h, f.lat, 1);
  if (f.ttft) add(h, f.ttft, 1);
}

/**
 * The hash keys and field names of the current minute, built once per name rather than once
 * per request (a new string per request is a new hash to compute on every Map lookup). Bounded:
 * emptied at each new minute and when it holds too many names.
 */
class ScopeKeys {
  readonly all: string;
  private readonly names = new Map<string, Map<string, Map<string, string>>>();
  private size = 0;
  constructor(readonly minute: number) {
    this.all = `${minute}:all`;
  }
  /** `{minute}:{head}{name}`, or for `dec:` the field `dec:{name}|{more}`. */
  of(head: string, name: string, more = ''): string {
    let byName = this.names.get(head);
    if (!byName) this.names.set(head, (byName = new Map<string, Map<string, string>>()));
    let byMore = byName.get(name);
    if (!byMore) byName.set(name, (byMore = new Map<string, string>()));
    let k = byMore.get(more);
    if (k === undefined) {
      if (++this.size > 4096) {
        this.names.clear();
        this.size = 0;
      }
      k = head === 'dec:' ? `dec:${name}|${more}` : `${this.minute}:${head}${name}`;
      byMore.set(more, k);
    }
    return k;
  }
}
let keys = new ScopeKeys(-1);
function scopeKeys(minute: number): ScopeKeys {
  if (keys.minute !== minute) keys = new ScopeKeys(minute);
  return keys;
}

/** Folds `from` into `into` (a flush Redis did not take goes back into the next one). */
export function mergeIncrements(into: MinuteIncrements, from: MinuteIncrements): void {
  for (const [k, h] of from) for (const [f, v] of h) inc(into, k, f, v);
}

/** Drops hashes of minutes older than the retention (a long Redis outage stays bounded). */
export function dropExpired(into: MinuteIncrements, nowMs: number): void {
  const oldest = epochMinute(nowMs) - MINUTE_SERIES_TTL_S / 60;
  for (const k of into.keys()) if (Number(k.slice(0, k.indexOf(':'))) < oldest) into.delete(k);
}
