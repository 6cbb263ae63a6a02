import { quantileOfBuckets } from '@bascule/gateway';

/** One minute of one or more scopes' counters, summed (fields of keyspace minuteSeriesKey). */
export type MinuteFields = ReadonlyMap<string, number>;

/** Gauges the autoscaler writes per Model and minute (see model-series-writer.ts). */
export const MODEL_GAUGES = [
  'desired',
  'current',
  'ready',
  'gpus',
  'inflight',
  'queue',
  'kv',
  'cold',
] as const;

/** What the dashboard plots for one scope: one value per minute (null: no data that minute). */
export interface DashboardSeries {
  /** Epoch ms of the first minute; points are `step` seconds apart. */
  start: number;
  step: 60;
  points: number;
  requestsPerS: number[];
  errorsPerS: number[];
  tokensPerS: number[];
  usdPerHourSelf: number[];
  usdPerHourClosed: number[];
  /** Share of the minute's requests that overflowed, by why (`overflow:{why}`). */
  overflowShare: Record<string, number[]>;
  latencyP50Ms: (number | null)[];
  latencyP99Ms: (number | null)[];
  ttftP50Ms: (number | null)[];
  ttftP99Ms: (number | null)[];
  /** Requests per minute by `{target}|{reason}` (Route scopes). */
  decisions: Record<string, number[]>;
  /** Model scopes: the autoscaler's last sample of each minute. */
  gauges: Record<string, (number | null)[]>;
  totals: {
    requests: number;
    errors: number;
    inputTokens: number;
    outputTokens: number;
    usdSelf: number;
    usdClosed: number;
    overflow: Record<string, number>;
    decisions: Record<string, number>;
  };
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Turns per-minute counters (oldest first, starting at epoch minute `firstMinute`) into the
 * plotted series: rates per second, $ per hour, overflow shares, latency quantiles from the
 * histogram buckets, decisions and Model gauges. Pure.
 */
export function summarizeSeries(
  minutes: readonly MinuteFields[],
  firstMinute: number,
): DashboardSeries {
  const n = minutes.length;
  const zeros = () => new Array<number>(n).fill(0);
  const s: DashboardSeries = {
    start: firstMinute * 60_000,
    step: 60,
    points: n,
    requestsPerS: zeros(),
    errorsPerS: zeros(),
    tokensPerS: zeros(),
    usdPerHourSelf: zeros(),
    usdPerHourClosed: zeros(),
    overflowShare: {},
    latencyP50Ms: new Array<number | null>(n).fill(null),
    latencyP99Ms: new Array<number | null>(n).fill(null),
    ttftP50Ms: new Array<number | null>(n).fill(null),
    ttftP99Ms: new Array<number | null>(n).fill(null),
    decisions: {},
    gauges: {},
    totals: {
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      usdSelf: 0,
      usdClosed: 0,
      overflow: {},
      decisions: {},
    },
  };
  minutes.forEach((m, i) => {
    const get = (f: string) => m.get(f) ?? 0;
    const req = get('req');
    s.requestsPerS[i] = round(req / 60);
    s.errorsPerS[i] = round(get('err') / 60);
    s.tokensPerS[i] = round((get('in') + get('out')) / 60);
    s.usdPerHourSelf[i] = round(get('usd_self') * 60);
    s.usdPerHourClosed[i] = round(get('usd_closed') * 60);
    const t = s.totals;
    t.requests += req;
    t.errors += get('err');
    t.inputTokens += get('in');
    t.outputTokens += get('out');
    t.usdSelf += get('usd_self');
    t.usdClosed += get('usd_closed');
    const lat = new Map<number, number>();
    const ttft = new Map<number, number>();
    for (const [f, v] of m) {
      if (f.startsWith('ovf:')) {
        const why = f.slice(4);
        (s.overflowShare[why] ??= zeros())[i] = req > 0 ? round(v / req, 4) : 0;
        t.overflow[why] = (t.overflow[why] ?? 0) + v;
      } else if (f.startsWith('dec:')) {
        const k = f.slice(4);
        (s.decisions[k] ??= zeros())[i] = v;
        t.decisions[k] = (t.decisions[k] ?? 0) + v;
      } else if (f.startsWith('lat:')) lat.set(Number(f.slice(4)), v);
      else if (f.startsWith('ttft:')) ttft.set(Number(f.slice(5)), v);
      else if ((MODEL_GAUGES as readonly string[]).includes(f))
        (s.gauges[f] ??= new Array<number | null>(n).fill(null))[i] = v;
    }
    const q = (h: Map<number, number>, p: number) => {
      const v = quantileOfBuckets(h, p);
      return v === undefined ? null : round(v, 1);
    };
    s.latencyP50Ms[i] = q(lat, 0.5);
    s.latencyP99Ms[i] = q(lat, 0.99);
    s.ttftP50Ms[i] = q(ttft, 0.5);
    s.ttftP99Ms[i] = q(ttft, 0.99);
  });
  s.totals.usdSelf = round(s.totals.usdSelf);
  s.totals.usdClosed = round(s.totals.usdClosed);
  return s;
}
