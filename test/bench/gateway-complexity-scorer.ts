// CPU cost per call of the default complexity scorer (and of describeRequest, which builds the
// prompt sample and estimates tokens), over the prompt set used by the routing tests.
//
//   pnpm exec tsx test/bench/gateway-complexity-scorer.ts [--calls 200000]
import { createHeuristicComplexityScorer, describeRequest, samplePrompt } from '@modelplane/router';
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

const results = [
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
