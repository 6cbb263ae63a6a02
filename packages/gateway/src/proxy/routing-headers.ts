import type { Explanation } from '@bascule/router';

/** Header values are printable ASCII: anything else (a feature named after a CJK n-gram) is `?`. */
function ascii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * What the router saw, for the response headers: the complexity score, the features that moved
 * it, the threshold in force and the tier (complexity strategy), and the language and task
 * kinds it detected (Routes whose targets declare strengths). Which strength decided is in
 * x-bascule-route-reason (`strength:<s>`). The privacy.detect classes that fired and the action
 * taken (never the matched text).
 */
export function routingHeaders(e: Explanation): Record<string, string> {
  const h: Record<string, string> = {};
  if (e.complexity !== undefined) h['x-bascule-complexity'] = e.complexity.toFixed(3);
  if (e.features && e.features.length > 0)
    h['x-bascule-complexity-features'] = ascii(
      e.features
        .map((f) => `${f.feature}=${f.delta >= 0 ? '+' : '-'}${Math.abs(f.delta).toFixed(2)}`)
        .join(' '),
    );
  const t = e.threshold;
  if (t) {
    const parts = [String(t.value), `source=${t.source}`];
    if (t.targetShare !== undefined) parts.push(`share=${t.targetShare.toFixed(3)}`);
    if (t.samples !== undefined) parts.push(`samples=${t.samples}`);
    if (t.tieShare < 1) parts.push(`tie=${t.tieShare.toFixed(3)}`);
    h['x-bascule-complexity-threshold'] = parts.join('; ');
  }
  if (e.tier) h['x-bascule-complexity-tier'] = e.tier;
  if (e.detected)
    h['x-bascule-detected'] =
      `language=${e.detected.language ?? 'none'}; tasks=${e.detected.tasks.join(',') || 'none'}`;
  if (e.privacy)
    h['x-bascule-privacy-detected'] =
      `classes=${e.privacy.classes.join(',')}; action=${e.privacy.action}`;
  return h;
}
