// CPU cost per call of the routing decision: decideRoute on a Route with a self-hosted Model and a
// closed-API overflow target (with capacity, and saturated so it overflows), the default
// complexity scorer, and describeRequest (prompt sample and token estimate) over the prompt set
// used by the routing tests.
//
//   pnpm exec tsx test/bench/gateway-complexity-scorer.ts [--calls 200000]
import {
  buildCatalog,
  createHeuristicComplexityScorer,
  decideRoute,
  describeRequest,
  samplePrompt,
  type ModelCapacity,
} from '@bascule/router';
import { buildScenario } from '../../packages/sim/src/replay/index.js';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../../packages/router/src/testing/prompt-set.js';

const i = process.argv.indexOf('--calls');
const calls = i < 0 ? 100_000 : Number(process.argv[i + 1]);
const scorer = createHeuristicComplexityScorer();
const prompts = [...SIMPLE_PROMPTS, ...HARD_PROMPTS];
const long = 'Please review this design and explain the trade-offs step by step. '.repeat(200);
const samples = [...prompts, long].map((p) => samplePrompt([{ role: 'user', content: p }]));
const bodies = [...prompts, long].map((p) => ({
  model: 'chat',
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: p },
  ],
}));

function measure(
  name: string,
  fn: (k: number) => number,
  n = calls,
): Record<string, number | string> {
  let sink = 0;
  for (let k = 0; k < Math.min(n, 5_000); k++) sink += fn(k); // warm-up (JIT)
  // CPU time of this process (not wall time): other load on the machine does not inflate it.
  const c0 = process.cpuUsage();
  for (let k = 0; k < n; k++) sink += fn(k);
  const c = process.cpuUsage(c0);
  const ns = ((c.user + c.system) * 1000) / n;
  console.log(
    `${name.padEnd(36)} ${(ns / 1000).toFixed(2)} us/call  (${n} calls, checksum ${sink.toFixed(0)})`,
  );
  return { name, usPerCall: ns / 1000, calls: n };
}

// The trace replay's Route: prefer the Model, overflow to a closed API when it is short.
const { model, provider, route } = buildScenario();
const catalog = buildCatalog({ models: [model], providers: [provider], routes: [route] });
const free: ModelCapacity = {
  endpoints: 4,
  withHeadroom: 3,
  readyReplicas: 4,
  desiredReplicas: 4,
  unschedulable: false,
};
const saturated: ModelCapacity = { ...free, withHeadroom: 0, expectedWaitMs: 5_000 };
const decide = (capacity: ModelCapacity, k: number) => {
  const d = decideRoute({
    catalog,
    request: {
      model: route.metadata.name,
      kind: 'chat',
      promptTokens: 200 + (k % 50),
      maxOutputTokens: 100,
    },
    capacity: () => capacity,
  });
  return d.action === 'send' ? (d.target.kind === 'model' ? 1 : 2) : 0;
};
if (decide(free, 0) !== 1 || decide(saturated, 0) !== 2)
  throw new Error('decideRoute did not pick the Model with capacity and the API when saturated');

const results = [
  measure('decideRoute (Model has capacity)', (k) => decide(free, k)),
  measure('decideRoute (saturated: overflow)', (k) => decide(saturated, k)),
  measure('scorer.score (prompt set)', (k) => scorer.score(samples[k % prompts.length]!)),
  measure('scorer.score (13 KB prompt)', () => scorer.score(samples[prompts.length]!), calls / 20),
  measure('describeRequest + score (prompt set)', (k) => {
    const { request } = describeRequest(bodies[k % prompts.length]!, { kind: 'chat', scorer });
    return request.complexity ?? 0;
  }),
];
const scores = prompts.map((p) => scorer.score(samplePrompt(p)));
console.log(
  `simple prompts: max score ${Math.max(...scores.slice(0, SIMPLE_PROMPTS.length)).toFixed(3)}; hard prompts: min score ${Math.min(...scores.slice(SIMPLE_PROMPTS.length)).toFixed(3)}`,
);
console.log(JSON.stringify(results));
