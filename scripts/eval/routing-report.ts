// `pnpm eval routing-report`: reproduces every quality figure in docs/routing.md from the labelled
// data, and (with --write) rewrites the generated part of that page between its markers.
//
//   pnpm eval routing-report [--data ../shared/data/routing/router-train.jsonl] [--write] [--rounds 1000]
//
// 1. Held-out table: the fixed held-out split (never used in fitting), per source, and MMLU-Pro
//    relabelled with other weak models: learned vs prompt length vs random (and the old heuristic),
//    APGR and AUC with paired bootstrap 95 % intervals, CPT(50 %), CPT(80 %).
// 2. Out of domain: priors fitted on one source only, scored on the other, against length.
// 3. Learning curves: APGR after N labelled outcomes through the online learner, on a slice the
//    prior never saw (5-fold over the slice: learn from N rows of four folds, score the fifth,
//    pool the scores; 5 orders per N), and on MMLU-Pro relabelled with another weak model.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_ROUTER_MODEL } from '../../packages/router/src/complexity/learned/default-router-model.js';
import { createLearnedComplexityScorer } from '../../packages/router/src/complexity/learned/learned-complexity-scorer.js';
import {
  fitLogistic,
  fitPlatt,
  rowMargin,
  toRow,
  type TrainingRow,
} from '../../packages/router/src/complexity/learned/fit-logistic.js';
import {
  createFeatureBuffer,
  extractFeatures,
} from '../../packages/router/src/complexity/learned/prompt-features.js';
import {
  toRouterModelArtefact,
  type RouterModelArtefact,
} from '../../packages/router/src/complexity/learned/router-model-artefact.js';
import { createHeuristicComplexityScorer } from '../../packages/router/src/complexity/heuristic-complexity-scorer.js';
import { samplePrompt } from '../../packages/router/src/complexity/prompt-sample.js';
import {
  compareScorers,
  gatewayScore,
  learnFrom,
  promptLength,
  randomScores,
  type ScorerComparison,
} from '../../packages/router/src/evaluation/evaluate-scorer.js';
import {
  isHeldOut,
  parseLabelledPrompts,
  stratifiedFolds,
  weakFellShort,
  type LabelledPrompt,
} from '../../packages/router/src/evaluation/labelled-prompts.js';
import {
  bootstrap,
  routingMetrics,
  seededRandom,
} from '../../packages/router/src/evaluation/routing-metrics.js';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const dataPath = resolve(
  flag('--data') ?? resolve(ROOT, '../shared/data/routing/router-train.jsonl'),
);
const rounds = Number(flag('--rounds') ?? 1000);
const write = argv.includes('--write');
const only = flag('--only');
if (!existsSync(dataPath)) {
  console.error(`routing-report: training data not found: ${dataPath}; pass --data FILE`);
  process.exit(2);
}
const rows = parseLabelledPrompts(readFileSync(dataPath, 'utf8'));
const heldOut = isHeldOut(rows);
const SOURCES: Record<string, string> = {
  mmlu_pro_nonmmlu: 'MMLU-Pro (STEM, non-MMLU), Mixtral-8x7B vs Gemini-1.5-Pro, 0/1 correctness',
  arena_bench_v1_gpt4_single:
    'arena-bench-v1 chat prompts, Mixtral-8x7B vs GPT-4-Turbo, GPT-4 grade 1-10',
};
const RELABEL = [
  'Meta-Llama-3_1-8B-Instruct',
  'Phi-3-mini-4k-instruct',
  'Mistral-7B-Instruct-v0.2',
  'Qwen1.5-7B-Chat',
];
const out: string[] = [];
const say = (s = '') => {
  out.push(s);
  console.log(s);
};
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Rows of one source, optionally relabelled with another weak model's scores. */
function slice(
  source: string,
  weak?: string,
  keep: (i: number) => boolean = () => true,
): LabelledPrompt[] {
  return rows
    .map((r, i) => [r, i] as const)
    .filter(([r, i]) => r.source === source && keep(i) && (!weak || r.scores?.[weak] !== undefined))
    .map(([r]) =>
      weak
        ? {
            ...r,
            weakScore: r.scores![weak]!,
            label: r.scores![weak]! < r.strongScore! ? 1 : 0,
          }
        : r,
    );
}

function table(
  title: string,
  rs: LabelledPrompt[],
  columns: Record<string, number[]>,
): ScorerComparison[] {
  const t = compareScorers(rs, columns, { rounds });
  say(`\n**${title}** (n = ${rs.length})\n`);
  say('| scorer | APGR [95 % CI] | AUC [95 % CI] | CPT(50 %) | CPT(80 %) |');
  say('|---|---|---|---:|---:|');
  for (const r of t)
    say(
      `| ${r.name} | ${f3(r.metrics.apgr)} [${f3(r.apgr.lo)}, ${f3(r.apgr.hi)}] | ${f3(r.metrics.auc)} [${f3(r.auc.lo)}, ${f3(r.auc.hi)}] | ${pct(r.metrics.cpt50)} | ${pct(r.metrics.cpt80)} |`,
    );
  const [l, ...base] = t;
  const beats = (k: 'apgr' | 'auc') =>
    base.filter((b) => b.name !== 'heuristic').every((b) => l![k].lo > b[k].hi);
  say(
    `\nLearned vs length and random, intervals apart: APGR ${beats('apgr') ? 'yes' : 'no'}, AUC ${beats('auc') ? 'yes' : 'no'}.`,
  );
  return t;
}

const heuristic = createHeuristicComplexityScorer();
const shipped = createLearnedComplexityScorer({ artefact: DEFAULT_ROUTER_MODEL });
function baseColumns(rs: LabelledPrompt[], scorer = shipped): Record<string, number[]> {
  return {
    learned: rs.map((r) => gatewayScore(scorer, r)),
    length: rs.map(promptLength),
    random: randomScores(rs.length, 1),
    heuristic: rs.map((r) => gatewayScore(heuristic, r)),
  };
}

// A prior fitted like the shipped one (same shape and strengths) on a subset of the rows.
const buf = createFeatureBuffer();
const shape = DEFAULT_ROUTER_MODEL.shape;
const feats: TrainingRow[] = rows.map((r) => {
  extractFeatures(samplePrompt(r.messages), shape, buf);
  return toRow(buf, weakFellShort(r)!);
});
function priorOn(keep: (i: number) => boolean, name: string): RouterModelArtefact {
  const idx = rows.map((_, i) => i).filter((i) => keep(i));
  const t = DEFAULT_ROUTER_MODEL.training;
  const model = fitLogistic(
    idx.map((i) => feats[i]!),
    { shape, l2Dense: t.l2Dense, l2Hashed: t.l2Hashed, epochs: t.epochs, seed: t.seed },
  );
  model.calibration = fitPlatt(
    idx.map((i) => rowMargin(model, feats[i]!)),
    idx.map((i) => weakFellShort(rows[i]!)!),
  );
  return toRouterModelArtefact(model, `${DEFAULT_ROUTER_MODEL.version}+${name}`, {
    ...t,
    rows: idx.length,
  });
}

say(
  `<!-- generated by pnpm eval routing-report from ${rows.length} rows of router-train.jsonl; model ${DEFAULT_ROUTER_MODEL.version} -->`,
);
if (!only || only === 'heldout') {
  say('\n### Held-out split\n');
  say(
    `The fixed held-out split: ${heldOut.filter(Boolean).length} of ${rows.length} rows (20 % of each source and label, seed 2026), never used in fitting or in choosing the regularisation. Intervals are paired bootstrap 95 % percentile intervals (${rounds} resamples). Random is one seeded draw; its expected APGR is 0.5.`,
  );
  for (const [source, title] of Object.entries(SOURCES)) {
    const rs = slice(source, undefined, (i) => heldOut[i]!);
    table(title, rs, baseColumns(rs));
  }
  for (const weak of RELABEL) {
    const rs = slice('mmlu_pro_nonmmlu', weak, (i) => heldOut[i]!);
    table(
      `MMLU-Pro held-out relabelled: weak = ${weak}, strong = Gemini-1.5-Pro`,
      rs,
      baseColumns(rs),
    );
  }
}

if (!only || only === 'transfer') {
  say('\n### Out of domain\n');
  say(
    'A prior fitted on one source only (its training rows), scored on every row of the other source, against prompt length: how the prior behaves on prompts unlike its training data.',
  );
  const srcs = Object.keys(SOURCES);
  for (const target of srcs) {
    const other = srcs.find((s) => s !== target)!;
    const prior = createLearnedComplexityScorer({
      artefact: priorOn((i) => !heldOut[i] && rows[i]!.source === other, `only-${other}`),
    });
    const rs = slice(target);
    table(`${target}, all rows, prior fitted on ${other} only`, rs, baseColumns(rs, prior));
  }
}

if (!only || only === 'learn') {
  say('\n### Learning from outcomes (`--learn`)\n');
  say(
    'APGR on a slice after feeding N labelled outcomes of the same distribution through the online learner (as `pnpm eval routing --learn` does), each time starting from the prior named in the title. The outcomes are drawn in 5 random orders per N and never include a scored prompt: for the chat prompts, 5-fold (stratified, seed 3; learn from four folds, score the fifth, pool the scores); for MMLU-Pro, learn from the training rows and score the held-out split. The interval is a bootstrap over the scored prompts of the mean APGR over orders.',
  );
  /** APGR after N outcomes: for each split, learn N rows of `pool` (shuffled), score `test`. */
  const curve = (
    title: string,
    splits: { pool: LabelledPrompt[]; test: LabelledPrompt[] }[],
    artefact: RouterModelArtefact,
    ns: number[],
  ) => {
    const test = splits.flatMap((s) => s.test);
    say(`\n**${title}** (${test.length} scored prompts)\n`);
    say('| N outcomes | APGR [95 % CI] | AUC |');
    say('|---:|---|---:|');
    const cis: { n: number; lo: number; hi: number; mean: number }[] = [];
    for (const n of ns) {
      const orders = n === 0 ? 1 : 5;
      const scoreSets: number[][] = [];
      for (let o = 0; o < orders; o++) {
        const scores: number[] = [];
        splits.forEach(({ pool, test: t }, f) => {
          const rnd = seededRandom(1000 * o + f + 1);
          const order = pool.map((_, i) => i);
          for (let i = order.length - 1; i > 0; i--) {
            const j = Math.floor(rnd() * (i + 1));
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          const scorer = createLearnedComplexityScorer({ artefact });
          learnFrom(
            scorer,
            order.slice(0, n).map((i) => pool[i]!),
          );
          for (const r of t) scores.push(gatewayScore(scorer, r));
        });
        scoreSets.push(scores);
      }
      const items = (k: number, sample: readonly number[]) =>
        sample.map((i) => ({
          score: scoreSets[k]![i]!,
          weak: test[i]!.weakScore!,
          strong: test[i]!.strongScore!,
        }));
      const meanOf = (sample: readonly number[], key: 'apgr' | 'auc') =>
        scoreSets.reduce((s, _, k) => s + routingMetrics(items(k, sample))[key], 0) /
        scoreSets.length;
      const ci = bootstrap(test.length, (s) => meanOf(s, 'apgr'), {
        rounds: Math.min(rounds, 300),
      });
      cis.push({ n, ...ci });
      say(
        `| ${n} | ${f3(ci.mean)} [${f3(ci.lo)}, ${f3(ci.hi)}] | ${f3(
          meanOf(
            test.map((_, i) => i),
            'auc',
          ),
        )} |`,
      );
    }
    const len = routingMetrics(
      test.map((r) => ({ score: promptLength(r), weak: r.weakScore!, strong: r.strongScore! })),
    );
    say(`| prompt length, for comparison | ${f3(len.apgr)} | ${f3(len.auc)} |`);
    const first = cis[0]!;
    const apart = cis.find((c) => c.n > 0 && c.lo > first.hi);
    say(
      `\n${apart ? `APGR after ${apart.n} outcomes is above the prior's (N = 0) with intervals apart.` : `No N here lifts APGR above the prior's (N = 0) with intervals apart.`}`,
    );
  };
  const arena = slice('arena_bench_v1_gpt4_single');
  const arenaFolds = stratifiedFolds(arena, 5, 3);
  curve(
    'arena-bench-v1: prior fitted on MMLU-Pro training rows only; 5-fold over all 292 chat prompts (learn from four folds, score the fifth)',
    [0, 1, 2, 3, 4].map((f) => ({
      pool: arena.filter((_, i) => arenaFolds[i] !== f),
      test: arena.filter((_, i) => arenaFolds[i] === f),
    })),
    priorOn((i) => !heldOut[i] && rows[i]!.source === 'mmlu_pro_nonmmlu', 'only-mmlu'),
    [0, 25, 50, 100, 150, 233],
  );
  curve(
    'MMLU-Pro: prior fitted on arena-bench-v1 training rows only; learn from MMLU-Pro training rows, score the held-out rows',
    [
      {
        pool: slice('mmlu_pro_nonmmlu', undefined, (i) => !heldOut[i]),
        test: slice('mmlu_pro_nonmmlu', undefined, (i) => heldOut[i]!),
      },
    ],
    priorOn((i) => !heldOut[i] && rows[i]!.source === 'arena_bench_v1_gpt4_single', 'only-arena'),
    [0, 100, 250, 500, 1000, 2000, 4172],
  );
  for (const weak of ['Meta-Llama-3_1-8B-Instruct', 'Qwen1.5-7B-Chat'])
    curve(
      `MMLU-Pro relabelled (weak = ${weak}): shipped prior; learn from training rows, score the held-out rows`,
      [
        {
          pool: slice('mmlu_pro_nonmmlu', weak, (i) => !heldOut[i]),
          test: slice('mmlu_pro_nonmmlu', weak, (i) => heldOut[i]!),
        },
      ],
      DEFAULT_ROUTER_MODEL,
      [0, 250, 1000, 4000],
    );
}

if (write) {
  const doc = resolve(ROOT, 'docs/routing.md');
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- routing-report:begin -->';
  const end = '<!-- routing-report:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`routing-report: ${doc} has no ${begin} ... ${end} markers`);
    process.exit(2);
  }
  writeFileSync(
    doc,
    text.slice(0, a + begin.length) + '\n' + out.join('\n') + '\n' + text.slice(b),
  );
  // Tables as prettier aligns them, so `pnpm lint` (prettier --check) passes on the page.
  const prettier = resolve(ROOT, 'node_modules/.bin/prettier');
  if (spawnSync(prettier, ['--write', doc], { stdio: 'inherit' }).status !== 0)
    console.error(`routing-report: prettier --write ${doc} failed; run it by hand`);
  console.log(`routing-report: wrote ${doc}`);
}
