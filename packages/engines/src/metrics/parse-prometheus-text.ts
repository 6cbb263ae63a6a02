/** One sample of the Prometheus text exposition format. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;

/**
 * Parses Prometheus text format (version 0.0.4) into samples: comments and blank lines are
 * skipped, label values unescaped, `NaN`/`+Inf`/`-Inf` read as numbers. Malformed lines are
 * ignored rather than failing the scrape: one odd series must not blind the autoscaler.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = parseLabels(match[3] ?? '');
    const value = parseValue(match[4] ?? '');
    if (labels === undefined || value === undefined) continue;
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

function parseValue(raw: string): number | undefined {
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  if (raw === 'NaN') return NaN;
  const n = Number(raw);
  return Number.isNaN(n) ? undefined : n;
}

function parseLabels(body: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ' || body[i] === ',') i++;
    if (i >= body.length) break;
    const eq = body.indexOf('=', i);
    if (eq < 0 || body[eq + 1] !== '"') return undefined;
    const name = body.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < body.length && body[j] !== '"'; j++) {
      if (body[j] === '\\' && j + 1 < body.length) {
        const next = body[++j];
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += body[j];
    }
    if (j >= body.length) return undefined;
    labels[name] = value;
    i = j + 1;
  }
  return labels;
}

/** Sum of every series of a metric (engines with several workers export one each). */
export function sumMetric(samples: readonly PrometheusSample[], name: string): number | undefined {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name !== name || !Number.isFinite(s.value)) continue;
    found = true;
    total += s.value;
  }
  return found ? total : undefined;
}

/** Highest value of any series of a metric. */
export function maxMetric(samples: readonly PrometheusSample[], name: string): number | undefined {
  let max: number | undefined;
  for (const s of samples) {
    if (s.name !== name || !Number.isFinite(s.value)) continue;
    max = max === undefined ? s.value : Math.max(max, s.value);
  }
  return max;
}
