// Cost of privacy.detect per KB of prompt (CPU time): each detector class alone and all of them
// together on ordinary prose, on text dense with sensitive values, on adversarial text (long
// digit runs, long runs without an @, near-miss tokens) at 1 KB and 64 KB to show the cost stays
// linear, a custom RE2 pattern, and the whole inspectPrivacy on a chat request. Then precision
// and recall of each detector on the labelled set (docs/privacy.md).
//
//   pnpm exec tsx test/bench/privacy-detection.ts [--calls 2000]
import { DETECTORS, evaluateDetectors, inspectPrivacy, type Detector } from '@bascule/router';
import { DETECTOR_CLASSES, parseRoute } from '@bascule/spec';
import { sensitiveExamples } from '../../packages/router/src/testing/sensitive-examples.js';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../../packages/router/src/testing/prompt-set.js';

const i = process.argv.indexOf('--calls');
const calls = i < 0 ? 2_000 : Number(process.argv[i + 1]);

/** `unit` repeated (cut) to `bytes` characters. */
const sized = (unit: string, bytes: number) =>
  unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const PROSE = [...SIMPLE_PROMPTS, ...HARD_PROMPTS].join('\n');
const DENSE = sensitiveExamples()
  .filter((e) => e.class)
  .map((e) => e.text)
  .join('\n');
const ADVERSARIAL =
  '4'.repeat(300) +
  ' ' +
  'a.b-c_d'.repeat(200) +
  ' 1.2.3.4.5.6.7.8.9 ' +
  'token '.repeat(100) +
  'eyJ'.repeat(100) +
  ':'.repeat(200) +
  ' GB82 '.repeat(50);

interface Row {
  case: string;
  kb: number;
  usPerCall: number;
  usPerKB: number;
  calls: number;
}

function measure(name: string, text: string, fn: (t: string) => number, n = calls): Row {
  let sink = 0;
  for (let k = 0; k < Math.min(n, 200); k++) sink += fn(text); // warm-up (JIT)
  const c0 = process.cpuUsage(); // CPU time of this process, not wall time
  for (let k = 0; k < n; k++) sink += fn(text);
  const c = process.cpuUsage(c0);
  const us = (c.user + c.system) / n;
  const kb = text.length / 1024;
  console.log(
    `${name.padEnd(44)} ${kb.toFixed(0).padStart(4)} KB ${us.toFixed(1).padStart(9)} us/call ${(us / kb).toFixed(2).padStart(8)} us/KB  (checksum ${sink})`,
  );
  return { case: name, kb: Number(kb.toFixed(1)), usPerCall: us, usPerKB: us / kb, calls: n };
}

const all: readonly Detector[] = Object.values(DETECTORS);
const runAll = (t: string) => all.reduce((n, d) => n + d.find(t).length, 0);
const rows: Row[] = [];
const prose1 = sized(PROSE, 1024);
for (const cls of DETECTOR_CLASSES)
  rows.push(measure(`${cls} alone, prose`, prose1, (t) => DETECTORS[cls].find(t).length));
rows.push(measure('all classes, prose', prose1, runAll));
rows.push(measure('all classes, prose', sized(PROSE, 64 * 1024), runAll, Math.ceil(calls / 32)));
rows.push(measure('all classes, dense with sensitive values', sized(DENSE, 1024), runAll));
rows.push(
  measure(
    'all classes, dense with sensitive values',
    sized(DENSE, 64 * 1024),
    runAll,
    Math.ceil(calls / 32),
  ),
);
rows.push(measure('all classes, adversarial', sized(ADVERSARIAL, 1024), runAll));
rows.push(
  measure('all classes, adversarial', sized(ADVERSARIAL, 64 * 1024), runAll, Math.ceil(calls / 32)),
);

const route = (privacy: Record<string, unknown>) =>
  parseRoute({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Route',
    metadata: { name: 'guarded' },
    spec: { targets: [{ model: 'llama' }], privacy },
  });
const custom = route({
  patterns: [{ name: 'employee-id', regex: '\\bEMP-[0-9]{6}\\b', action: 'keep' }],
});
const catastrophic = route({ patterns: [{ name: 'nested', regex: '(a+)+$', action: 'keep' }] });
const full = route({
  detect: DETECTOR_CLASSES.map((c) => ({ class: c, action: 'keep' })),
  scanTimeout: '10s',
});
const clock = () => performance.now();
const chat = (t: string) => ({
  model: 'guarded',
  messages: [
    { role: 'system', content: 'You are a helpful support assistant.' },
    { role: 'user', content: t },
  ],
});
rows.push(
  measure('custom RE2 pattern, prose', prose1, (t) =>
    inspectPrivacy(chat(t), custom, clock).verdict ? 1 : 0,
  ),
);
rows.push(
  measure(
    'custom (a+)+$ (RE2: linear), 64 KB of a',
    'a'.repeat(64 * 1024) + '!',
    (t) => (inspectPrivacy(chat(t), catastrophic, clock).verdict ? 1 : 0),
    Math.ceil(calls / 32),
  ),
);
rows.push(
  measure('inspectPrivacy, chat, all classes, prose', prose1, (t) =>
    inspectPrivacy(chat(t), full, clock).verdict ? 1 : 0,
  ),
);
rows.push(
  measure(
    'inspectPrivacy, chat, all classes, prose',
    sized(PROSE, 16 * 1024),
    (t) => (inspectPrivacy(chat(t), full, clock).verdict ? 1 : 0),
    Math.ceil(calls / 8),
  ),
);

const set = sensitiveExamples();
const quality = evaluateDetectors(all, set).map((s) => ({
  class: s.class,
  positives: s.positives,
  tp: s.truePositives,
  fp: s.falsePositives,
  fn: s.falseNegatives,
  precision: Number(s.precision.toFixed(3)),
  recall: Number(s.recall.toFixed(3)),
  errors: Object.entries(s.errors)
    .map(([k, v]) => `${k} (${v})`)
    .join(', '),
}));
for (const q of quality) console.log(JSON.stringify(q));
console.log(
  JSON.stringify({
    labelledSet: {
      positives: set.filter((e) => e.class).length,
      negatives: set.filter((e) => !e.class).length,
    },
    cost: rows.map((r) => ({
      ...r,
      usPerCall: Number(r.usPerCall.toFixed(2)),
      usPerKB: Number(r.usPerKB.toFixed(2)),
    })),
    quality,
  }),
);
