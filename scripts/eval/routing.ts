// `pnpm eval routing`: scores a JSONL file of prompts with the gateway's complexity scorer,
// writes one {"score": p} line per input line, and prints APGR, CPT(50%), CPT(80%) and AUC
// beside a random and a prompt-length baseline when the lines carry weak_score/strong_score.
//
//   pnpm eval routing --data FILE.jsonl --scores-out OUT.jsonl [--learn TRAIN.jsonl]
//                     [--route [NAMESPACE/]NAME [--redis URL]]
//
// --learn feeds TRAIN's labelled lines (label, or weak_score < strong_score) through the online
// learner first, in file order. --route starts from that Route's learned weights (and its buffer
// of outcomes, for --learn) as the gateways hold them in Redis (--redis, or BASCULE_REDIS_URL);
// with no Redis URL it says so and starts from the shipped prior.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { learnBufferKey } from '../../packages/keyspace/src/keyspace.js';
import { createRedisWeightsStore } from '../../packages/gateway/src/learning/weights-store.js';
import { createRedisClient } from '../../packages/gateway/src/metering/redis-client.js';
import { createDefaultComplexityScorer } from '../../packages/router/src/complexity/default-complexity-scorer.js';
import { DEFAULT_ROUTER_MODEL } from '../../packages/router/src/complexity/learned/default-router-model.js';
import {
  createOnlineState,
  EVAL_BUFFER_CAP,
  type OnlineLearnerState,
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
  'usage: pnpm eval routing --data FILE.jsonl --scores-out OUT.jsonl [--learn TRAIN.jsonl] [--route [NAMESPACE/]NAME [--redis URL]]';

function fail(msg: string): never {
  console.error(`eval routing: ${msg}\n${USAGE}`);
  process.exit(2);
}

const VALUE_FLAGS = ['--data', '--scores-out', '--learn', '--route', '--redis'];
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
if (args['--redis'] && !args['--route']) fail('--redis is only used with --route');

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
/**
 * The online state to start from: the Route's, as the gateways load it from Redis (with its
 * buffered outcomes, so --learn continues where the Route's learner is), or a fresh one.
 * --learn refits on the whole file: the buffer is as large as a labelled split.
 */
async function startingState(): Promise<OnlineLearnerState> {
  const fresh = createOnlineState(DEFAULT_ROUTER_MODEL.version, { bufferCap: EVAL_BUFFER_CAP });
  const name = args['--route'];
  if (!name) return fresh;
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    fail(`--route ${JSON.stringify(name)}: expected NAME or NAMESPACE/NAME (DNS labels)`);
  const route = name.includes('/') ? name : `default/${name}`;
  const url = args['--redis'] ?? process.env.BASCULE_REDIS_URL;
  if (!url) {
    console.error(
      `eval routing: --route ${name}: no --redis URL (or BASCULE_REDIS_URL) to read the Route's learned weights from; scoring with the shipped prior (model ${DEFAULT_ROUTER_MODEL.version})${args['--learn'] ? ' plus --learn' : ''}`,
    );
    return fresh;
  }
  const redis = createRedisClient(url);
  redis.on('error', () => undefined);
  const store = createRedisWeightsStore(redis);
  try {
    const cur = await Promise.race([
      store.current(route),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref(),
      ),
    ]);
    const buffer = await redis.lrange(learnBufferKey(route), 0, -1);
    if (!cur?.state) {
      console.log(
        `route ${route}: no learned weights in Redis${cur ? ` (version ${cur.version} is the shipped prior)` : ''}; starting from the shipped prior`,
      );
      return { ...fresh, buffer: buffer.map((e) => JSON.parse(e) as never) };
    }
    const state = cur.state as unknown as OnlineLearnerState;
    if (state.priorVersion !== DEFAULT_ROUTER_MODEL.version)
      fail(
        `--route ${name}: its weights were learned on model ${state.priorVersion}, this checkout ships ${DEFAULT_ROUTER_MODEL.version}`,
      );
    console.log(
      `route ${route}: learned weights version ${cur.version} (${cur.source}, ${state.version} updates, ${buffer.length} buffered outcomes)`,
    );
    return {
      ...state,
      bufferCap: EVAL_BUFFER_CAP,
      buffer: buffer.map((e) => JSON.parse(e) as never),
    };
  } catch (e) {
    fail(`--redis ${url}: cannot read the weights of ${route}: ${(e as Error).message}`);
  } finally {
    store.close();
    redis.disconnect();
  }
}

const scorer = createDefaultComplexityScorer({ online: await startingState() });
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
