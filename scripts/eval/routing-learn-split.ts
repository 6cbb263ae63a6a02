// `pnpm eval routing-learn-split`: the judges' protocol for `--learn` on every labelled slice we
// have. Each slice is split 50/50 (stratified by label, several seeds); the learner is fed one half
// (`learnFrom`, exactly what `pnpm eval routing --learn` does) and the other half is scored.
// "single-pass" is the online learner without its refit buffer (bufferCap 0, the learner before
// issue 17); "refit" is the default learner (buffer + cross-validated refit at the end).
//
//   pnpm eval routing-learn-split [--data FILE] [--seeds 3] [--rounds 300] [--write]
//
// The prior never saw the slice: for MMLU-Pro slices it is fitted on the arena-bench-v1 training
// rows only, for the chat prompts on the MMLU-Pro training rows only (as a judge's unseen set
// would be). --write replaces the text between the routing-learn-split markers in docs/routing.md.
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
} from '../../packages/router/src/complexity/learned/fit-logistic.js';
import {
  createOnlineState,
  EVAL_BUFFER_CAP,
} from '../../packages/router/src/complexity/learned/online-learner.js';
import {
  createFeatureBuffer,
  extractFeatures,
} from '../../packages/router/src/complexity/learned/prompt-features.js';
import {
  toRouterModelArtefact,
  type RouterModelArtefact,
} from '../../packages/router/src/complexity/learned/router-model-artefact.js';
import { samplePrompt } from '../../packages/router/src/complexity/prompt-sample.js';
import {
  compareScorers,
  gatewayScore,
  learnFrom,
  promptLength,
  randomScores,
} from '../../packages/router/src/evaluation/evaluate-scorer.js';
import {
  isHeldOut,
  parseLabelledPrompts,
  stratifiedFolds,
  weakFellShort,
  type LabelledPrompt,
} from '../../packages/router/src/evaluation/labelled-prompts.js';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dataPath = resolve(
  flag('--data') ?? resolve(ROOT, '../shared/data/routing/router-train.jsonl'),
);
const seeds = Number(flag('--seeds') ?? 3);
const rounds = Number(flag('--rounds') ?? 300);
const only = flag('--only');
if (!existsSync(dataPath)) {
  console.error(`routing-learn-split: data not found: ${dataPath}; pass --data FILE`);
  process.exit(2);
}
const rows = parseLabelledPrompts(readFileSync(dataPath, 'utf8'));
const heldOut = isHeldOut(rows);
const MMLU = 'mmlu_pro_nonmmlu';
const ARENA = 'arena_bench_v1_gpt4_single';

const out: string[] = [];
const say = (s = '') => {
  out.push(s);
  console.log(s);
};
const f3 = (x: number) => x.toFixed(3);

/** A model fitted like the shipped prior (same shape, strengths and target) on these rows. */
function fitOn(fitRows: readonly LabelledPrompt[], version: string): RouterModelArtefact {
  const shape = DEFAULT_ROUTER_MODEL.shape;
  const t = DEFAULT_ROUTER_MODEL.training;
  const buf = createFeatureBuffer();
  const feats = fitRows.map((r) => {
    extractFeatures(samplePrompt(r.messages), shape, buf);
    return toRow(buf, weakFellShort(r)!);
  });
  const model = fitLogistic(feats, {
    shape,
    l2Dense: t.l2Dense,
    l2Hashed: t.l2Hashed,
    epochs: t.epochs,
    seed: t.seed,
  });
  model.calibration = fitPlatt(
    feats.map((r) => rowMargin(model, r)),
    feats.map((r) => r.label),
  );
  return toRouterModelArtefact(model, version, { ...t, rows: fitRows.length });
}

/** The prior for a slice: fitted on the training rows of the other source only. */
function priorOn(source: string): RouterModelArtefact {
  const fitRows = rows.filter((r, i) => !heldOut[i] && r.source === source);
  return fitOn(fitRows, `${DEFAULT_ROUTER_MODEL.version}+only-${source}`);
}

/** All rows of one source, optionally relabelled with another weak model's scores. */
function slice(source: string, weak?: string): LabelledPrompt[] {
  return rows
    .filter((r) => r.source === source && (!weak || r.scores?.[weak] !== undefined))
    .map((r) =>
      weak
        ? { ...r, weakScore: r.scores![weak]!, label: r.scores![weak]! < r.strongScore! ? 1 : 0 }
        : r,
    );
}

const SLICES: { title: string; rows: LabelledPrompt[]; prior: string }[] = [
  { title: 'MMLU-Pro, weak = Mixtral-8x7B (default)', rows: slice(MMLU), prior: ARENA },
  ...[
    'Meta-Llama-3_1-8B-Instruct',
    'Phi-3-mini-4k-instruct',
    'Mistral-7B-Instruct-v0.2',
    'Qwen1.5-7B-Chat',
  ].map((weak) => ({ title: `MMLU-Pro, weak = ${weak}`, rows: slice(MMLU, weak), prior: ARENA })),
  { title: 'arena-bench-v1 chat, weak = Mixtral-8x7B', rows: slice(ARENA), prior: MMLU },
];

const priors = new Map<string, RouterModelArtefact>();
say(
  `<!-- generated by pnpm eval routing-learn-split from ${rows.length} rows; ${seeds} seeds, ${rounds} bootstrap resamples -->`,
);
say(
  '\n| slice | seed | n learn / score | refit APGR [95 % CI] | single-pass APGR | length APGR | random APGR | refit AUC [95 % CI] | single-pass AUC | batch-fit AUC | length AUC | L2 chosen (hashed / dense) |',
);
say('|---|---:|---|---|---|---|---|---|---|---|---|---:|');
const summary: {
  title: string;
  refit: number[];
  single: number[];
  batch: number[];
  len: number[];
}[] = [];
for (const s of SLICES) {
  if (only && !s.title.includes(only)) continue;
  if (!priors.has(s.prior)) priors.set(s.prior, priorOn(s.prior));
  const artefact = priors.get(s.prior)!;
  const sum = {
    title: s.title,
    refit: [] as number[],
    single: [] as number[],
    batch: [] as number[],
    len: [] as number[],
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const folds = stratifiedFolds(s.rows, 2, 100 + seed);
    const train = s.rows.filter((_, i) => folds[i] === 0);
    const test = s.rows.filter((_, i) => folds[i] === 1);
    const single = createLearnedComplexityScorer({
      artefact,
      online: createOnlineState(artefact.version, { bufferCap: 0 }),
    });
    learnFrom(single, train);
    const refit = createLearnedComplexityScorer({
      artefact,
      online: createOnlineState(artefact.version, { bufferCap: EVAL_BUFFER_CAP }),
    });
    // Reference: a batch fit from scratch on the learning half (no prior), as routing-train fits.
    const batch = createLearnedComplexityScorer({ artefact: fitOn(train, 'batch') });
    const t0 = performance.now();
    learnFrom(refit, train);
    const ms = performance.now() - t0;
    const table = compareScorers(
      test,
      {
        refit: test.map((r) => gatewayScore(refit, r)),
        single: test.map((r) => gatewayScore(single, r)),
        batch: test.map((r) => gatewayScore(batch, r)),
        length: test.map(promptLength),
        random: randomScores(test.length, seed),
      },
      { rounds },
    );
    const [rf, sp, bt, ln, rd] = table;
    const ci = (c: typeof rf, k: 'apgr' | 'auc') =>
      `${f3(c!.metrics[k])} [${f3(c![k].lo)}, ${f3(c![k].hi)}]`;
    say(
      `| ${s.title} | ${seed} | ${train.length} / ${test.length} | ${ci(rf, 'apgr')} | ${ci(sp, 'apgr')} | ${ci(ln, 'apgr')} | ${f3(rd!.metrics.apgr)} | ${ci(rf, 'auc')} | ${ci(sp, 'auc')} | ${ci(bt, 'auc')} | ${f3(ln!.metrics.auc)} | ${l2Of(refit.onlineState().refitL2)} |`,
    );
    console.error(`  (${s.title} seed ${seed}: learn+refit ${(ms / 1000).toFixed(1)} s)`);
    sum.refit.push(rf!.metrics.auc);
    sum.single.push(sp!.metrics.auc);
    sum.batch.push(bt!.metrics.auc);
    sum.len.push(ln!.metrics.auc);
  }
  summary.push(sum);
}
function l2Of(l2?: { hashed: number; dense: number }): string {
  return l2 ? `${l2.hashed} / ${l2.dense}` : '-';
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
say('\nMean AUC over the seeds:\n');
say('| slice | refit | single-pass | batch fit, no prior | length |');
say('|---|---:|---:|---:|---:|');
for (const s of summary)
  say(
    `| ${s.title} | ${f3(mean(s.refit))} | ${f3(mean(s.single))} | ${f3(mean(s.batch))} | ${f3(mean(s.len))} |`,
  );

if (argv.includes('--write')) {
  const doc = resolve(ROOT, 'docs/routing.md');
  const text = readFileSync(doc, 'utf8');
  const begin = '<!-- routing-learn-split:begin -->';
  const end = '<!-- routing-learn-split:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`routing-learn-split: ${doc} has no ${begin} ... ${end} markers`);
    process.exit(2);
  }
  writeFileSync(
    doc,
    text.slice(0, a + begin.length) + '\n' + out.join('\n') + '\n' + text.slice(b),
  );
  const prettier = resolve(ROOT, 'node_modules/.bin/prettier');
  if (spawnSync(prettier, ['--write', doc], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
