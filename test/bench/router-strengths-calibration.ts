// CPU cost of what strengths and calibration add to a routing decision: detecting the language
// and task kinds of a request (multilingual prompts, and a 13 KB one), decideRoute on a Route
// whose targets declare strengths, the calibrated threshold lookup on the request path, and the
// background refresh that recomputes a threshold from a 2,000-score window.
//
//   pnpm exec tsx test/bench/router-strengths-calibration.ts [--calls 200000]
import {
  buildCatalog,
  decideRoute,
  describeRequest,
  detectTraits,
  samplePrompt,
  thresholdInForce,
  type ModelCapacity,
} from '@bascule/router';
import { parseModel, parseProvider, parseRoute } from '@bascule/spec';
import { RouteCalibrator, createMemoryScoreWindowStore, scoreWindowOf } from '@bascule/gateway';
import { MULTILINGUAL_PROMPTS } from '../../packages/router/src/testing/multilingual-prompts.js';
import { HARD_PROMPTS } from '../../packages/router/src/testing/prompt-set.js';

const i = process.argv.indexOf('--calls');
const calls = i < 0 ? 100_000 : Number(process.argv[i + 1]);
const prompts = [...Object.values(MULTILINGUAL_PROMPTS).flat(), ...HARD_PROMPTS];
const long = 'Veuillez expliquer les compromis de cette conception, étape par étape. '.repeat(190);
const samples = prompts.map((p) => samplePrompt([{ role: 'user', content: p }]));
const longSample = samplePrompt([{ role: 'user', content: long }]);

function measure(name: string, fn: (k: number) => number, n = calls) {
  let sink = 0;
  for (let k = 0; k < Math.min(n, 5_000); k++) sink += fn(k); // warm-up (JIT)
  const c0 = process.cpuUsage(); // CPU time of this process, not wall time
  for (let k = 0; k < n; k++) sink += fn(k);
  const c = process.cpuUsage(c0);
  const us = (c.user + c.system) / n;
  console.log(`${name.padEnd(44)} ${us.toFixed(2)} us/call  (${n} calls, checksum ${sink})`);
  return { name, usPerCall: us, calls: n };
}

const model = (name: string) =>
  parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name },
    spec: { source: `hf://org/${name}`, engine: 'vllm', gpus: 'nvidia-l4:1' },
  });
const openai = parseProvider({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Provider',
  metadata: { name: 'openai' },
  spec: {
    type: 'openai',
    apiKeySecretRef: { name: 'k', key: 'k' },
    models: [
      { name: 'gpt-5', inputUSDPer1M: 1.25, outputUSDPer1M: 10, contextWindow: 400000 },
      { name: 'gpt-5-mini', inputUSDPer1M: 0.25, outputUSDPer1M: 2, contextWindow: 400000 },
    ],
  },
});
const route = parseRoute({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: { name: 'polyglot' },
  spec: {
    strategy: 'complexity',
    complexity: { strongShare: 0.3 },
    targets: [
      { provider: 'openai', model: 'gpt-5-mini', tier: 'simple' },
      { provider: 'openai', model: 'gpt-5', tier: 'complex', strengths: ['tools'] },
      { model: 'qwen', strengths: ['zh', 'code'] },
      { model: 'mistral', strengths: ['fr', 'de', 'es', 'it'] },
    ],
  },
});
const catalog = buildCatalog({
  models: [model('qwen'), model('mistral')],
  providers: [openai],
  routes: [route],
});
const free: ModelCapacity = {
  endpoints: 2,
  withHeadroom: 2,
  readyReplicas: 2,
  desiredReplicas: 2,
  unschedulable: false,
};
const requests = prompts.map((p, k) => ({
  ...describeRequest(
    { model: 'polyglot', messages: [{ role: 'user', content: p }] },
    { kind: 'chat', detectTraits: true },
  ).request,
  complexity: (k % 10) / 10,
  tieKey: 0.5,
}));
const window = Array.from({ length: 2000 }, (_, k) => ({
  score: ((k * 7919) % 2000) / 2000,
  complex: k % 3 === 0,
}));
const calibrator = new RouteCalibrator({ store: createMemoryScoreWindowStore(), scorer: 'bench' });
calibrator.threshold('default/polyglot', route.spec);

const results = [
  measure('detectTraits (multilingual and hard prompts)', (k) => {
    const t = detectTraits(samples[k % samples.length]!, { structuredOutput: false });
    return t.tasks.length + (t.language ? 1 : 0);
  }),
  measure(
    'detectTraits (13 KB French prompt)',
    () => detectTraits(longSample, { structuredOutput: false }).tasks.length,
    calls / 10,
  ),
  measure('decideRoute with strengths (polyglot Route)', (k) => {
    const d = decideRoute({
      catalog,
      request: requests[k % requests.length]!,
      capacity: () => free,
    });
    return d.action === 'send' ? 1 : 0;
  }),
  measure(
    'calibrated threshold lookup (request path)',
    () => calibrator.threshold('default/polyglot', route.spec).tieShare,
  ),
  measure(
    'threshold refresh from a 2,000-score window',
    () => thresholdInForce(route.spec, scoreWindowOf(window)).value,
    calls / 100,
  ),
];
calibrator.close();
console.log(JSON.stringify(results));
