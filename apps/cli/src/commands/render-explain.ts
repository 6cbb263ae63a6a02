/** What `POST /api/v1/routes/{name}/explain` answers (the parts the CLI shows). */
export interface Explain {
  decision: { action: string; target?: string; reason?: string; code?: string; message?: string };
  request: { promptTokens: number; complexity: number | null };
  explanation: {
    targets: {
      target: string;
      /** The LoRA adapter of the Model the target sends to. */
      adapter?: string;
      verdict: string;
      code?: string;
      message: string;
    }[];
    features?: { feature: string; delta: number }[];
    threshold?: {
      value: number;
      tieShare: number;
      source: 'fixed' | 'share' | 'quality' | 'warm-up';
      samples?: number;
      recentShare?: number;
      targetShare?: number;
    };
    tier?: string;
    detected?: { language?: string; tasks: string[] };
    strength?: { target: string; strength: string; matched: string[] };
    privacy?: { classes: string[]; action: string };
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The lines above the target table: the decision, the score and why, detection, strength. */
export function renderExplainHead(r: Explain): string {
  const d = r.decision;
  const e = r.explanation;
  const lines = [
    `decision: ${d.action}${d.target ? ` ${d.target}` : ''}${d.reason ? ` (${d.reason})` : ''}${d.message ? `: ${d.message}` : ''}`,
    `prompt: ~${r.request.promptTokens} tokens${r.request.complexity !== null ? `, complexity ${r.request.complexity.toFixed(3)}` : ''}`,
  ];
  const t = e.threshold;
  if (t) {
    const why =
      t.source === 'fixed'
        ? 'fixed complexityThreshold'
        : t.source === 'quality'
          ? 'minQuality'
          : t.source === 'warm-up'
            ? `complexityThreshold while warming up: ${t.samples ?? 0} recent scores`
            : `strongShare: aiming at ${pct(t.targetShare ?? 0)} of ${t.samples ?? 0} recent scores, ${pct(t.recentShare ?? 0)} went complex`;
    const tie = t.tieShare < 1 ? `, ties ${pct(t.tieShare)} complex` : '';
    lines.push(`threshold: ${t.value} (${why}${tie})${e.tier ? `: ${e.tier} tier` : ''}`);
  }
  if (e.features && e.features.length > 0)
    lines.push(
      `features: ${e.features.map((f) => `${f.feature} ${f.delta >= 0 ? '+' : '-'}${Math.abs(f.delta).toFixed(2)}`).join(', ')}`,
    );
  if (e.detected)
    lines.push(
      `detected: language ${e.detected.language ?? 'none'}, tasks ${e.detected.tasks.join(', ') || 'none'}`,
    );
  if (e.privacy)
    lines.push(`privacy: ${e.privacy.classes.join(', ')} detected: ${e.privacy.action}`);
  if (e.strength)
    lines.push(
      `strength: ${e.strength.strength} (${e.strength.target} matches ${e.strength.matched.join(', ')})`,
    );
  return lines.join('\n') + '\n';
}
