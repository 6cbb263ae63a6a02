import type { ComplexityScorer } from '../complexity/complexity-scorer.js';
import { describeRequest } from '../request/describe-request.js';
import type { LabelledPrompt } from './labelled-prompts.js';
import {
  bootstrap,
  routingMetrics,
  seededRandom,
  type Interval,
  type LabelledScore,
  type RoutingMetrics,
} from './routing-metrics.js';

/**
 * Scores one prompt exactly as the gateway does: describeRequest on a chat body with the scorer
 * (prompt sample, then `scorer.score`), and the complexity it puts on the RoutingRequest.
 */
export function gatewayScore(
  scorer: ComplexityScorer,
  row: Pick<LabelledPrompt, 'messages'>,
): number {
  const { request } = describeRequest(
    { model: 'eval', messages: row.messages },
    { kind: 'chat', scorer },
  );
  return request.complexity ?? 0;
}

/** Feeds the labelled rows to a learning scorer in order, as feedback would; returns how many. */
export function learnFrom(
  scorer: ComplexityScorer & { learn(sample: never, label: 0 | 1): void; refit?(): boolean },
  rows: readonly LabelledPrompt[],
): number {
  let n = 0;
  for (const row of rows) {
    if (row.label === undefined) continue;
    const { sample } = describeRequest({ model: 'eval', messages: row.messages }, { kind: 'chat' });
    if (!sample) continue;
    scorer.learn(sample as never, row.label);
    n++;
  }
  // A batch of outcomes ends with a refit on the learner's buffer (no-op when it has none).
  scorer.refit?.();
  return n;
}

/** The prompt-length baseline: characters in all messages' text. */
export function promptLength(row: Pick<LabelledPrompt, 'messages'>): number {
  const { request } = describeRequest({ model: 'eval', messages: row.messages }, { kind: 'chat' });
  return request.promptTokens;
}

/** The random baseline: a seeded uniform score per row. */
export function randomScores(n: number, seed = 1): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => rnd());
}

export interface ScorerComparison {
  name: string;
  metrics: RoutingMetrics;
  auc: Interval;
  apgr: Interval;
}

/**
 * Metrics of several score columns over the same graded rows, with paired bootstrap 95 %
 * intervals (every scorer sees the same resamples). Rows need weakScore and strongScore.
 */
export function compareScorers(
  rows: readonly LabelledPrompt[],
  columns: Record<string, readonly number[]>,
  { rounds = 1000, seed = 1 }: { rounds?: number; seed?: number } = {},
): ScorerComparison[] {
  return Object.entries(columns).map(([name, scores]) => {
    const items: LabelledScore[] = rows.map((r, i) => ({
      score: scores[i]!,
      weak: r.weakScore!,
      strong: r.strongScore!,
    }));
    const of = (sample: readonly number[]) => routingMetrics(sample.map((k) => items[k]!));
    return {
      name,
      metrics: routingMetrics(items),
      auc: bootstrap(items.length, (s) => of(s).auc, { rounds, seed }),
      apgr: bootstrap(items.length, (s) => of(s).apgr, { rounds, seed }),
    };
  });
}

/** A fixed-width text table of comparisons (what `pnpm eval routing` prints). */
export function formatComparison(rows: readonly ScorerComparison[]): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  -  ');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const head = `${'scorer'.padEnd(10)} ${'APGR [95% CI]'.padEnd(22)} ${'CPT(50%)'.padStart(9)} ${'CPT(80%)'.padStart(9)}  AUC [95% CI]`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(10)} ${`${f(r.metrics.apgr)} [${f(r.apgr.lo)}, ${f(r.apgr.hi)}]`.padEnd(22)} ${pct(r.metrics.cpt50).padStart(9)} ${pct(r.metrics.cpt80).padStart(9)}  ${f(r.metrics.auc)} [${f(r.auc.lo)}, ${f(r.auc.hi)}]`,
    ),
  ].join('\n');
}
