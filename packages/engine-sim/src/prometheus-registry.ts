/**
 * A small Prometheus text-format (0.0.4) registry. `python` style renders like prometheus_client
 * (vLLM): floats with a decimal point and counters named `<name>_total` in HELP/TYPE too.
 * `rust` style renders like metrics-exporter-prometheus (TGI): plain numbers, counters as named.
 */
export type ExpositionStyle = 'python' | 'rust';

type Labels = Record<string, string>;

interface Family {
  render(style: ExpositionStyle): string[];
}

function fmt(v: number, style: ExpositionStyle): string {
  if (v === Infinity) return '+Inf';
  if (style === 'python' && Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

const key = (labels: Labels) => JSON.stringify(labels);

export class Counter implements Family {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const k = key(labels);
    const cur = this.values.get(k);
    if (cur) cur.value += by;
    else this.values.set(k, { labels, value: by });
  }

  get(labels: Labels): number {
    return this.values.get(key(labels))?.value ?? 0;
  }

  render(style: ExpositionStyle): string[] {
    const name = style === 'python' ? `${this.name}_total` : this.name;
    const lines = [`# HELP ${name} ${this.help}`, `# TYPE ${name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${name}${labelText(labels)} ${fmt(value, style)}`);
    return lines;
  }
}

/** A gauge whose samples are read when rendered. */
export class Gauge implements Family {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect: () => Array<{ labels: Labels; value: number }>,
  ) {}

  render(style: ExpositionStyle): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.collect())
      lines.push(`${this.name}${labelText(labels)} ${fmt(value, style)}`);
    return lines;
  }
}

export class Histogram implements Family {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]! += 1;
    s.sum += value;
    s.count += 1;
  }

  count(labels: Labels): number {
    return this.series.get(key(labels))?.count ?? 0;
  }

  render(style: ExpositionStyle): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) =>
        lines.push(
          `${this.name}_bucket${labelText(s.labels, ['le', fmt(b, style)])} ${fmt(s.counts[i]!, style)}`,
        ),
      );
      lines.push(
        `${this.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${fmt(s.count, style)}`,
      );
      lines.push(`${this.name}_count${labelText(s.labels)} ${fmt(s.count, style)}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${fmt(s.sum, style)}`);
    }
    return lines;
  }
}

export class PrometheusRegistry {
  private readonly families: Family[] = [];
  constructor(readonly style: ExpositionStyle) {}

  add<F extends Family>(family: F): F {
    this.families.push(family);
    return family;
  }

  render(): string {
    return this.families.flatMap((f) => f.render(this.style)).join('\n') + '\n';
  }
}
