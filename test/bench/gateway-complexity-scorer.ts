// CPU cost per call of the routing decision: decideRoute on a Route with a self-hosted Model and a
// closed-API overflow target (with capacity, and saturated so it overflows), the default
// (learned) complexity scorer and the old heuristic one, and describeRequest (prompt sample and
// token estimate) over the prompt set used by the routing tests. Then the learned scorer's
// latency call by call on prompts of 100, 1,000 and 4,000 characters (p50 and p99; the budget is
// p99 <= 50 us at 4,000 characters; longer prompts are sampled to 2,000 characters).
//
//   pnpm exec tsx test/bench/gateway-complexity-scorer.ts [--calls 200000]
import {
  buildCatalog,
  createDefaultComplexityScorer,
  createHeuristicComplexityScorer,
  decideRoute,
  describeRequest,
  samplePrompt,
  type ModelCapacity,
  type PromptSample,
} from '@bascule/router';
import { buildScenario } from '@bascule/replay';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../../packages/router/src/testing/prompt-set.js';

const i = process.argv.indexOf('--calls');
const calls = i < 0 ? 100_000 : Number(process.argv[i + 1]);
const scorer = createDefaultComplexityScorer();
const heuristic = createHeuristicComplexityScorer();
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

const results: Record<string, number | string>[] = [
  measure('decideRoute (Model has capacity)', (k) => decide(free, k)),
  measure('decideRoute (saturated: overflow)', (k) => decide(saturated, k)),
  measure('scorer.score (prompt set)', (k) => scorer.score(samples[k % prompts.length]!)),
  measure('scorer.score (13 KB prompt)', () => scorer.score(samples[prompts.length]!), calls / 20),
  measure('heuristic scorer (prompt set)', (k) => heuristic.score(samples[k % prompts.length]!)),
  measure('describeRequest + score (prompt set)', (k) => {
    const { request } = describeRequest(bodies[k % prompts.length]!, { kind: 'chat', scorer });
    return request.complexity ?? 0;
  }),
];

/**
 * Each call timed alone, twice: by wall clock (performance.now(); the tail includes preemption by
 * the machine's other load) and, in a second loop, by this process's CPU time (getrusage around
 * each call; excludes time the process was not running, includes the two getrusage calls).
 */
function perCall(name: string, sample: PromptSample, n: number): Record<string, number | string> {
  let sink = 0;
  for (let k = 0; k < 2_000; k++) sink += scorer.score(sample);
  const wall = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    sink += scorer.score(sample);
    wall[k] = (performance.now() - t0) * 1000;
  }
  const cpu = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const c0 = process.cpuUsage();
    sink += scorer.score(sample);
    const c = process.cpuUsage(c0);
    cpu[k] = c.user + c.system;
  }
  const mean = wall.reduce((x, y) => x + y, 0) / n;
  wall.sort();
  cpu.sort();
  const q = (a: Float64Array, p: number) => a[Math.min(n - 1, Math.floor(p * n))]!;
  const r = {
    name,
    usPerCall: mean,
    calls: n,
    p50Us: q(wall, 0.5),
    p99Us: q(wall, 0.99),
    cpuP50Us: q(cpu, 0.5),
    cpuP99Us: q(cpu, 0.99),
  };
  console.log(
    `${name.padEnd(36)} wall p50 ${r.p50Us.toFixed(2)} us, p99 ${r.p99Us.toFixed(2)} us; CPU p50 ${r.cpuP50Us} us, p99 ${r.cpuP99Us} us (${n} calls, checksum ${sink.toFixed(0)})`,
  );
  return r;
}
const text =
  'Given the matrix [[2,1],[1,3]], find its eigenvalues, then explain the proof step by step. ';
for (const chars of [100, 1_000, 4_000]) {
  const p = text.repeat(Math.ceil(chars / text.length)).slice(0, chars);
  results.push(
    perCall(`scorer.score per call, ${chars} chars`, samplePrompt(p), Math.max(1_000, calls / 10)),
  );
}
console.log(JSON.stringify(results));
