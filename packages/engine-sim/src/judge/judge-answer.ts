import type { JudgeLabels, QualityTier } from './judge-labels.js';

/** What a sim answer carries when its prompt is labelled: its hidden quality, in the text. */
const MARK = /⟦sim-quality (-?[0-9.]+)⟧/;

/** The sections of the gateway's judge prompt (packages/router/src/learning/judge-prompt.ts). */
const JUDGE =
  /### Question\n([\s\S]*?)\n### Answer A\n([\s\S]*?)\n### Answer B\n([\s\S]*?)\n### Verdict/;

/**
 * The simulated judge and the simulated answers it judges, as fixed token pieces, or undefined
 * when the sim should answer as usual:
 * - a judge prompt: `A`, `B` or `TIE`, by the hidden qualities the two answers carry (the higher
 *   wins; an answer without one counts as quality 0);
 * - a labelled prompt: an answer that starts with its quality mark, `⟦sim-quality 0.83⟧`, so the
 *   judge can tell later which answer was better without knowing which model wrote it.
 */
export function judgeOrLabelledAnswer(
  labels: JudgeLabels,
  lastUserText: string,
  model: string,
  tier: QualityTier,
): string[] | undefined {
  const j = JUDGE.exec(lastUserText);
  if (j) {
    const q = (s: string) => Number(MARK.exec(s)?.[1] ?? 0);
    const a = q(j[2]!);
    const b = q(j[3]!);
    return [a > b ? 'A' : b > a ? 'B' : 'TIE'];
  }
  const quality = labels.quality(lastUserText, model, tier);
  if (quality === undefined) return undefined;
  return [`⟦sim-quality ${quality}⟧`, ' The', ' answer', ' is', ' here', '.'];
}
