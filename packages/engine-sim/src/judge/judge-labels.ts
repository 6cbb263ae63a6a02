import { readFileSync } from 'node:fs';

/**
 * Hidden answer quality per prompt, for the simulated judge: one JSON object a line, either
 * `{ "prompt": "...", "weak_score": 0.2, "strong_score": 0.9 }` (the training data's schema: the
 * sim's tier, `weak` for engine-sim and `strong` for provider-sim unless told, picks the column)
 * or `{ "prompt": "...", "scores": { "<model>": 0.9, ... } }` (per model name).
 */
export interface JudgeLabels {
  /** Quality of `model`'s answer to `prompt` (a sim of `tier`), or undefined when unlabelled. */
  quality(prompt: string, model: string, tier: QualityTier): number | undefined;
  readonly size: number;
}

export type QualityTier = 'weak' | 'strong';

interface Line {
  weak?: number;
  strong?: number;
  scores?: Record<string, number>;
}

/** Parses a labels file's text; errors name the line and the field. */
export function parseJudgeLabels(text: string, source = 'judge labels'): JudgeLabels {
  const by = new Map<string, Line>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const where = `${source}:${i + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${where}: not a JSON object`);
    }
    if (typeof o.prompt !== 'string' || !o.prompt.trim())
      throw new Error(`${where}: prompt must be a non-empty string`);
    const entry: Line = {};
    for (const [k, f] of [
      ['weak_score', 'weak'],
      ['strong_score', 'strong'],
    ] as const) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`${where}: ${k} must be a number`);
      entry[f] = v;
    }
    if (o.scores !== undefined) {
      if (typeof o.scores !== 'object' || o.scores === null)
        throw new Error(`${where}: scores must be an object of model name to number`);
      for (const [m, v] of Object.entries(o.scores))
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new Error(`${where}: scores.${m} must be a number`);
      entry.scores = o.scores as Record<string, number>;
    }
    if (entry.weak === undefined && entry.strong === undefined && !entry.scores)
      throw new Error(`${where}: needs weak_score and strong_score, or scores`);
    by.set(o.prompt.trim(), entry);
  });
  return {
    size: by.size,
    quality(prompt, model, tier) {
      const e = by.get(prompt.trim());
      if (!e) return undefined;
      return e.scores?.[model] ?? e[tier];
    },
  };
}

export function loadJudgeLabels(path: string): JudgeLabels {
  return parseJudgeLabels(readFileSync(path, 'utf8'), path);
}
