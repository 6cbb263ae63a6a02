// `pnpm eval routing`: scores a JSONL file of prompts with the gateway's complexity scorer,
// writes one {"score": p} line per input line, and prints APGR, CPT(50%), CPT(80%) and AUC
// beside a random and a prompt-length baseline when the lines carry weak_score/strong_score.
//
//   pnpm eval routing --data FILE.jsonl --scores-out OUT.jsonl [--learn TRAIN.jsonl] [--route NAME]
//
// --learn feeds TRAIN's labelled lines (label, or weak_score < strong_score) through the online
// learner first, in file order. --route NAME selects that Route's learned weights in a running
// gateway; eval has no Redis, so it scores with the shipped prior (plus --learn) and says so.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createDefaultComplexityScorer } from '../../packages/router/src/complexity/default-complexity-scorer.js';
import { DEFAULT_ROUTER_MODEL } from '../../packages/router/src/complexity/learned/default-router-model.js';
import {
  createOnlineState,
  EVAL_BUFFER_CAP,
} from '../../packages/router/src/complexity/learned/online-learner.js';
import {
  compareScorers,
  formatComparison,
  gatewayScore,
  learnFrom,
  promptLength,
  randomScores,
} from '../../packages/router/src/evaluation/evaluate-scorer.js';
import {
  parseLabelledPrompts,
  type LabelledPrompt,
} from '../../packages/router/src/evaluation/labelled-prompts.js';

const USAGE =
  'usage: pnpm eval routing --data FILE.jsonl --scores-out OUT.jsonl [--learn TRAIN.jsonl] [--route NAME]';

function fail(msg: string): never {
  console.error(`eval routing: ${msg}\n${USAGE}`);
  process.exit(2);
}

const VALUE_FLAGS = ['--data', '--scores-out', '--learn', '--route'];
const args: Record<string, string> = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--help' || a === '-h') {
    console.log(USAGE);
    process.exit(0);
  }
  if (!VALUE_FLAGS.includes(a)) fail(`unknown argument ${JSON.stringify(a)}`);
  const v = argv[++i];
  if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
  if (args[a] !== undefined) fail(`${a} given twice`);
  args[a] = v;
}
if (!args['--data']) fail('--data is required');
if (!args['--scores-out']) fail('--scores-out is required');

function load(flag: string): LabelledPrompt[] {
  const path = args[flag]!;
  if (!existsSync(path)) fail(`${flag} ${path}: no such file`);
  try {
    return parseLabelledPrompts(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${flag} ${path}: ${(e as Error).message}`);
  }
}

const data = load('--data');
if (data.length === 0) fail(`--data ${args['--data']}: no prompts in the file`);
// --learn refits on the whole file: a buffer as large as a labelled split (see online-learner.ts).
const scorer = createDefaultComplexityScorer({
  online: createOnlineState(DEFAULT_ROUTER_MODEL.version, { bufferCap: EVAL_BUFFER_CAP }),
});
if (args['--route'])
  console.error(
    `eval routing: --route ${args['--route']}: per-Route learned weights live in a gateway's Redis, which eval does not use; scoring with the shipped prior (model ${scorer.version})${args['--learn'] ? ' plus --learn' : ''}`,
  );
if (args['--learn']) {
  const train = load('--learn');
  const n = learnFrom(scorer, train);
  if (n === 0)
    fail(`--learn ${args['--learn']}: no labelled lines (label, or weak_score and strong_score)`);
  console.log(
    `learned from ${n} labelled outcomes (online state version ${scorer.onlineState().version})`,
  );
}
const scores = data.map((row) => gatewayScore(scorer, row));
writeFileSync(
  args['--scores-out'],
  scores.map((p) => JSON.stringify({ score: p })).join('\n') + '\n',
);
console.log(`wrote ${scores.length} scores to ${args['--scores-out']} (model ${scorer.version})`);

const graded = data
  .map((r, i) => [r, i] as const)
  .filter(([r]) => r.weakScore !== undefined && r.strongScore !== undefined);
if (graded.length === 0) {
  console.log('no weak_score/strong_score in --data: no quality metrics');
  process.exit(0);
}
if (graded.length < data.length)
  console.log(
    `metrics over the ${graded.length} of ${data.length} lines with weak_score and strong_score`,
  );
const random = randomScores(data.length);
/** Prints the three scorers on some graded lines. */
function report(title: string, lines: (readonly [LabelledPrompt, number])[]): void {
  const rows = lines.map(([r]) => r);
  const table = compareScorers(rows, {
    learned: lines.map(([, i]) => scores[i]!),
    random: lines.map(([, i]) => random[i]!),
    length: rows.map(promptLength),
  });
  const m = table[0]!.metrics;
  console.log(
    `\n${title}: ${rows.length} graded prompts; weak quality ${m.weakQuality.toFixed(3)}, strong ${m.strongQuality.toFixed(3)}`,
  );
  console.log(formatComparison(table));
}
// Sources grade on different scales (0/1 correctness, a judge's 1-10): each gets its own table.
const sources = [...new Set(graded.map(([r]) => r.source ?? ''))].sort();
if (sources.length > 1) {
  console.log(`${sources.length} sources with different quality scales: one table each`);
  for (const s of sources)
    report(
      `source ${s || '(none)'}`,
      graded.filter(([r]) => (r.source ?? '') === s),
    );
} else report('all lines', graded);
