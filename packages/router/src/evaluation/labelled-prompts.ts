import { seededRandom } from './routing-metrics.js';

/**
 * One line of a routing data set (router-train.jsonl's schema): a prompt or a chat, and when it
 * is labelled, both models' quality and whether the strong model was needed.
 */
export interface LabelledPrompt {
  /** OpenAI-shaped messages (a bare `prompt` becomes one user message). */
  messages: { role: string; content: unknown }[];
  label?: 0 | 1;
  source?: string;
  weakScore?: number;
  strongScore?: number;
  /** Quality per model, to relabel with another weak model. */
  scores?: Record<string, number>;
}

/** Parses one JSONL line; errors name the line and the field. */
export function parseLabelledPrompt(line: string, lineNo: number): LabelledPrompt {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`line ${lineNo}: not valid JSON`);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    throw new Error(`line ${lineNo}: expected a JSON object`);
  let messages: LabelledPrompt['messages'];
  if (typeof o.prompt === 'string') messages = [{ role: 'user', content: o.prompt }];
  else if (Array.isArray(o.messages) && o.messages.length > 0) {
    messages = o.messages.map((m: unknown, i: number) => {
      const r = m as { role?: unknown; content?: unknown } | null;
      if (!r || typeof r.role !== 'string')
        throw new Error(`line ${lineNo}: messages[${i}].role must be a string`);
      return { role: r.role, content: r.content };
    });
  } else
    throw new Error(`line ${lineNo}: needs "prompt" (a string) or "messages" (a non-empty array)`);
  const out: LabelledPrompt = { messages };
  const num = (k: string): number | undefined => {
    if (o[k] === undefined || o[k] === null) return undefined;
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k]))
      throw new Error(`line ${lineNo}: ${k} must be a number`);
    return o[k];
  };
  const label = num('label');
  if (label !== undefined) {
    if (label !== 0 && label !== 1) throw new Error(`line ${lineNo}: label must be 0 or 1`);
    out.label = label;
  }
  const weak = num('weak_score');
  const strong = num('strong_score');
  if (weak !== undefined) out.weakScore = weak;
  if (strong !== undefined) out.strongScore = strong;
  if (out.label === undefined && weak !== undefined && strong !== undefined)
    out.label = weak < strong ? 1 : 0;
  if (typeof o.source === 'string') out.source = o.source;
  if (o.scores && typeof o.scores === 'object') out.scores = o.scores as Record<string, number>;
  return out;
}

/**
 * The prior's training target: did the weak model fall short on this prompt? With 0/1
 * correctness grades (both scores 0 or 1) that is "the weak model was wrong", whether or not the
 * strong one was right; with other grades (a judge's 1-10) it is the row's label, the weak
 * model's grade below the strong one's. `label` itself ("the strong model was needed": weak
 * wrong and strong right) calls a prompt both models fail easy, which teaches a prior that the
 * hardest prompts (long derivations, competition maths) belong on the weak model; on a deployment
 * whose strong model is far ahead, those are exactly the ones it should take. See ADR 0013.
 */
export function weakFellShort(r: LabelledPrompt): 0 | 1 | undefined {
  const binary = (v: number | undefined) => v === 0 || v === 1;
  if (binary(r.weakScore) && binary(r.strongScore)) return r.weakScore === 0 ? 1 : 0;
  return r.label;
}

/** Parses a whole JSONL text (blank lines skipped). */
export function parseLabelledPrompts(text: string): LabelledPrompt[] {
  const out: LabelledPrompt[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(parseLabelledPrompt(line, i + 1));
  });
  return out;
}

/**
 * Assigns each row to a fold 0..folds-1, stratified by (source, label) and seeded: the same
 * rows in the same order always get the same folds. The training script keeps fold 0 of a
 * 5-fold assignment with seed 2026 as the held-out split and never fits on it.
 */
export function stratifiedFolds(
  rows: readonly Pick<LabelledPrompt, 'source' | 'label'>[],
  folds: number,
  seed: number,
): number[] {
  const rnd = seededRandom(seed);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = `${r.source ?? ''}|${r.label ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const fold = new Array<number>(rows.length).fill(0);
  for (const key of [...groups.keys()].sort()) {
    const idx = [...groups.get(key)!];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((row, k) => {
      fold[row] = k % folds;
    });
  }
  return fold;
}

/** The fixed held-out split: 20 % of each (source, label) group. */
export const HELD_OUT = { folds: 5, fold: 0, seed: 2026 } as const;

export function isHeldOut(rows: readonly Pick<LabelledPrompt, 'source' | 'label'>[]): boolean[] {
  return stratifiedFolds(rows, HELD_OUT.folds, HELD_OUT.seed).map((f) => f === HELD_OUT.fold);
}
