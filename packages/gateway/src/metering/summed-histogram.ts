import type { Metric, Registry } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last is above every bound (+Inf). */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram with at most one label, kept as plain counts: an observation finds its
 * series by the label value in a Map and its bucket by a short scan, and adds three numbers.
 * prom-client's Histogram validates and hashes the label object and looks the bucket up by a
 * property name on every observation (about 1 µs, twice per request); this one is read only
 * when scraped, and exposes the same text (`_bucket` cumulative with `le`, `_sum`, `_count`;
 * summed across cluster workers). The label's values must be bounded by the caller (the
 * gateway's are: unknown names are one `unknown`, issue 19).
 */
export class SummedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
    private readonly labelName: string | undefined,
    registry: Registry,
  ) {
    // an unlabelled histogram is exposed (at zero) before its first observation, as prom-client's
    if (labelName === undefined) this.start('');
    registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number, labelValue = ''): void {
    if (!Number.isFinite(value)) return;
    const s = this.series.get(labelValue) ?? this.start(labelValue);
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  /** The text exposition's form (labels `le` first, the series' label shared, as prom-client). */
  getForPromString() {
    const { name } = this;
    const values: MetricLine[] = [];
    for (const s of this.series.values()) {
      let acc = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        acc += s.counts[i]!;
        values.push(line(`${name}_bucket`, { le: this.buckets[i]! }, acc, s.labels));
      }
      values.push(
        line(`${name}_bucket`, { le: '+Inf' }, s.count, s.labels),
        line(`${name}_sum`, {}, s.sum, s.labels),
        line(`${name}_count`, {}, s.count, s.labels),
      );
    }
    return { name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The metric as Histogram#get gives it (JSON, cluster aggregation): labels merged. */
  get() {
    const m = this.getForPromString();
    return Promise.resolve({
      ...m,
      values: m.values.map(({ sharedLabels, labels, ...v }) => ({
        ...v,
        labels: { ...labels, ...sharedLabels },
      })),
    });
  }

  reset(): void {
    this.series.clear();
  }

  private start(labelValue: string): Series {
    const s: Series = {
      labels: this.labelName === undefined ? {} : { [this.labelName]: labelValue },
      counts: new Array<number>(this.buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
    };
    this.series.set(labelValue, s);
    return s;
  }
}

interface MetricLine {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
  sharedLabels: Record<string, string>;
}

const line = (
  metricName: string,
  labels: Record<string, string | number>,
  value: number,
  sharedLabels: Record<string, string>,
): MetricLine => ({ metricName, labels, value, sharedLabels });
