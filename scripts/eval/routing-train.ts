// Fits the learned complexity scorer's prior and writes it as a generated module the router
// imports statically (no I/O in the router).
//
//   pnpm eval routing-train [--data ../shared/data/routing/router-train.jsonl] [--out FILE]
//                           [--version X.Y.Z] [--check]
//
// Steps: parse the labelled prompts; set the fixed held-out split aside (20 % of each
// (source, label) group, seed 2026; never used here); fit on the target "the weak model fell
// short" (weakFellShort: weak wrong, for 0/1 correctness; the label, for judge grades); choose
// the hashed-block L2 strength by 5-fold cross-validation on the rest (criterion: the mean over
// sources of the out-of-fold AUC against the label, "the strong model was needed", so the 292
// chat prompts count as much as the 5,216 MMLU-Pro ones); refit on all training rows; calibrate
// with Platt scaling on the out-of-fold margins against the training target. `--check` fits and prints but writes
// nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createFeatureBuffer,
  extractFeatures,
  type FeatureShape,
} from '../../packages/router/src/complexity/learned/prompt-features.js';
import {
  fitLogistic,
  fitPlatt,
  rowMargin,
  toRow,
  type TrainingRow,
} from '../../packages/router/src/complexity/learned/fit-logistic.js';
import { toRouterModelArtefact } from '../../packages/router/src/complexity/learned/router-model-artefact.js';
import { samplePrompt } from '../../packages/router/src/complexity/prompt-sample.js';
import {
  isHeldOut,
  parseLabelledPrompts,
  stratifiedFolds,
  weakFellShort,
} from '../../packages/router/src/evaluation/labelled-prompts.js';
import { rocAuc } from '../../packages/router/src/evaluation/routing-metrics.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_DATA = resolve(ROOT, '../shared/data/routing/router-train.jsonl');
const DEFAULT_OUT = resolve(ROOT, 'packages/router/src/complexity/learned/default-router-model.ts');
export const SHAPE: FeatureShape = { wordBits: 12, charBits: 0 };
export const L2_DENSE = 1e-4;
export const L2_HASHED_GRID = [0.01, 0.03, 0.1, 0.3];
export const EPOCHS = 20;
export const SEED = 7;

function fail(msg: string): never {
  console.error(`routing-train: ${msg}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const opts: Record<string, string | true> = {};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--check') opts.check = true;
  else if (['--data', '--out', '--version'].includes(a)) {
    const v = argv[++i];
    if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
    opts[a.slice(2)] = v;
  } else fail(`unknown argument ${a} (known: --data FILE, --out FILE, --version X.Y.Z, --check)`);
}
const dataPath = resolve(String(opts.data ?? DEFAULT_DATA));
if (!existsSync(dataPath))
  fail(
    `training data not found: ${dataPath}. It is not in the repository (see docs/routing.md, "Training data"); pass --data FILE.`,
  );
const version = String(opts.version ?? '1.1.0');

let rows;
try {
  rows = parseLabelledPrompts(readFileSync(dataPath, 'utf8'));
} catch (e) {
  fail(`${dataPath}: ${(e as Error).message}`);
}
const unlabelled = rows.findIndex((r) => r.label === undefined);
if (unlabelled >= 0)
  fail(`${dataPath}: row ${unlabelled + 1} has no label (nor weak_score/strong_score)`);
const heldOut = isHeldOut(rows);
const trainIdx = rows.map((_, i) => i).filter((i) => !heldOut[i]);
const buf = createFeatureBuffer();
const feats: TrainingRow[] = rows.map((r) => {
  extractFeatures(samplePrompt(r.messages), SHAPE, buf);
  return toRow(buf, weakFellShort(r)!);
});
const sources = [...new Set(rows.map((r) => r.source ?? ''))].sort();
console.log(
  `routing-train: ${rows.length} rows from ${dataPath}; ${trainIdx.length} for fitting, ${rows.length - trainIdx.length} held out`,
);

// Cross-validation over the hashed-block L2 strength.
const fold = stratifiedFolds(
  trainIdx.map((i) => rows[i]!),
  5,
  11,
);
let best = { l2: NaN, score: -Infinity, oof: [] as number[] };
for (const l2 of L2_HASHED_GRID) {
  const oof = new Array<number>(trainIdx.length).fill(0);
  for (let f = 0; f < 5; f++) {
    const fitRows = trainIdx.filter((_, k) => fold[k] !== f).map((i) => feats[i]!);
    const m = fitLogistic(fitRows, {
      shape: SHAPE,
      l2Dense: L2_DENSE,
      l2Hashed: l2,
      epochs: EPOCHS,
      seed: SEED,
    });
    trainIdx.forEach((i, k) => {
      if (fold[k] === f) oof[k] = rowMargin(m, feats[i]!);
    });
  }
  const aucs = sources.map((s) => {
    const ks = trainIdx
      .map((i, k) => [i, k] as const)
      .filter(([i]) => (rows[i]!.source ?? '') === s);
    return rocAuc(
      ks.map(([, k]) => oof[k]!),
      ks.map(([i]) => rows[i]!.label === 1),
    );
  });
  const score = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  console.log(
    `  l2Hashed ${String(l2).padEnd(5)} out-of-fold AUC ${sources.map((s, j) => `${s} ${aucs[j]!.toFixed(3)}`).join(', ')}; mean ${score.toFixed(3)}`,
  );
  if (score > best.score) best = { l2, score, oof };
}
console.log(`  chosen l2Hashed ${best.l2}`);

const model = fitLogistic(
  trainIdx.map((i) => feats[i]!),
  { shape: SHAPE, l2Dense: L2_DENSE, l2Hashed: best.l2, epochs: EPOCHS, seed: SEED },
);
model.calibration = fitPlatt(
  best.oof,
  trainIdx.map((i) => weakFellShort(rows[i]!)!),
);
console.log(
  `  calibration a=${model.calibration.a.toFixed(3)} b=${model.calibration.b.toFixed(3)}`,
);
const artefact = toRouterModelArtefact(model, version, {
  data: 'router-train.jsonl (MMLU-Pro non-MMLU STEM questions, arena-bench-v1 chat prompts); target: the weak model fell short; see docs/routing.md',
  rows: trainIdx.length,
  heldOut: rows.length - trainIdx.length,
  l2Dense: L2_DENSE,
  l2Hashed: best.l2,
  epochs: EPOCHS,
  seed: SEED,
});
if (opts.check) process.exit(0);
const out = resolve(String(opts.out ?? DEFAULT_OUT));
writeFileSync(
  out,
  `// Generated by scripts/eval/routing-train.ts (pnpm eval routing-train): do not edit.\n` +
    `// The learned complexity scorer's prior; provenance and licences in docs/routing.md.\n` +
    `import type { RouterModelArtefact } from './router-model-artefact.js';\n\n` +
    `export const DEFAULT_ROUTER_MODEL: RouterModelArtefact = ${JSON.stringify(artefact)};\n`,
);
console.log(`routing-train: wrote ${out} (version ${version})`);
