import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

/** Fetches and parses an engine's /metrics with a real Prometheus text parser. */
export async function scrape(url: string): Promise<PromFamily[]> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheusTextFormat(await res.text());
}

/**
 * The `_count` of a labelled histogram series, read from the raw text: parse-prometheus-text-format
 * flattens histograms and drops every labelled series' count and sum.
 */
export function histogramCount(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_count{`)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** The value of a gauge/counter sample (first series unless labels narrow it). */
export function sample(
  families: PromFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = families.find((f) => f.name === name);
  const m = family?.metrics.find((s) =>
    Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
  );
  return m?.value === undefined ? undefined : Number(m.value);
}
