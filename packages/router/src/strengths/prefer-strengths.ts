import type { Strength, StrengthLanguage, StrengthTask } from '@bascule/spec';
import type { Ranking, ScoredTarget } from '../strategies/routing-strategy.js';
import type { Target } from '../targets/target.js';

/** What the router detected in a request: its language and task kinds. */
export interface RequestTraits {
  language?: StrengthLanguage;
  tasks: readonly StrengthTask[];
}

/**
 * How much each kind of match counts. Body signals are certain and the skill gap is widest
 * there (tools, structured output), then code and maths (detected from the text), then the
 * language; each outweighs every later one together, so a target matching `tools` beats one
 * matching `code` and `zh`.
 */
const WEIGHT: Readonly<Record<StrengthTask | 'language', number>> = {
  tools: 16,
  'structured-output': 8,
  code: 4,
  math: 2,
  language: 1,
};

/** A target's strengths that the request has, most decisive first, and their weight. */
export function matchStrengths(
  strengths: readonly Strength[] | undefined,
  traits: RequestTraits,
): { matched: Strength[]; weight: number } {
  if (!strengths || strengths.length === 0) return { matched: [], weight: 0 };
  const matched: Strength[] = [];
  let weight = 0;
  for (const task of ['tools', 'structured-output', 'code', 'math'] as const) {
    if (traits.tasks.includes(task) && strengths.includes(task)) {
      matched.push(task);
      weight += WEIGHT[task];
    }
  }
  if (traits.language !== undefined && strengths.includes(traits.language)) {
    matched.push(traits.language);
    weight += WEIGHT.language;
  }
  return { matched, weight };
}

/** Which target's strength put it first. */
export interface StrengthDecision {
  target: string;
  /** The most decisive strength it matched (e.g. `zh`, `tools`). */
  strength: Strength;
  /** Every strength it matched. */
  matched: Strength[];
}

/**
 * Strengths before difficulty: the targets whose declared strengths match the request come
 * first, the best match first (by WEIGHT), ties in the strategy's order; then the strategy's
 * ranking of the rest. A strength match overrides the strategy's own refusals (a Chinese prompt
 * goes to the simple-tier Qwen that declares `zh` even when it scores as hard), but never a
 * filter's: privacy, capability and context length ran before. Without a match the ranking is
 * returned unchanged. Scores stay in [0,1], best first: matches above 0.5, the rest halved.
 */
export function preferStrengths(
  kept: readonly Target[],
  ranking: Ranking,
  traits: RequestTraits | undefined,
): Ranking & { strength?: StrengthDecision } {
  if (!traits || !kept.some((t) => t.strengths && t.strengths.length > 0)) return ranking;
  const position = (t: Target): number => {
    const i = ranking.ranked.findIndex((s) => s.target.name === t.name);
    return i >= 0 ? i : ranking.ranked.length + kept.indexOf(t);
  };
  const matches = kept
    .map((target) => ({ target, ...matchStrengths(target.strengths, traits) }))
    .filter((m) => m.weight > 0)
    .sort((a, b) => b.weight - a.weight || position(a.target) - position(b.target));
  if (matches.length === 0) return ranking;
  const names = new Set(matches.map((m) => m.target.name));
  const first: ScoredTarget[] = matches.map((m, i) => ({
    target: m.target,
    score: 1 - (0.5 * i) / matches.length,
    note: `strength ${m.matched.join(', ')}: preferred before difficulty`,
  }));
  const rest = ranking.ranked
    .filter((s) => !names.has(s.target.name))
    .map((s) => ({ ...s, score: s.score * 0.5 }));
  const top = matches[0]!;
  return {
    ...ranking,
    ranked: [...first, ...rest],
    dropped: ranking.dropped.filter((d) => !names.has(d.target)),
    strength: { target: top.target.name, strength: top.matched[0]!, matched: top.matched },
  };
}
