// `pnpm eval routing` as a user runs it: a real process on small JSONL files made here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyExamples,
  createRedisClient,
  createRedisWeightsStore,
  defaultLearningScorerFactory,
} from '@bascule/gateway';
import { createDefaultComplexityScorer, describeRequest, samplePrompt } from '@bascule/router';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bascule-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evalRouting(...args: string[]) {
  const { BASCULE_REDIS_URL: _ignored, ...env } = process.env;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/eval.mjs'), 'routing', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

// Graded prompts: the weak model fails the maths ones.
const graded = [
  ...[
    'Prove that the square root of 2 is irrational.',
    'Solve x^2 - 5x + 6 = 0 and prove both roots.',
    'Derive the integral of x e^x.',
  ].map((prompt) => ({ prompt, weak_score: 0, strong_score: 1 })),
  ...['Say hello.', 'What colour is the sky?', 'Name a fruit.', 'Thank you!'].map((prompt) => ({
    prompt,
    weak_score: 1,
    strong_score: 1,
  })),
  {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ],
    weak_score: 1,
    strong_score: 1,
  },
];

describe('pnpm eval routing', () => {
  it('writes one score per line, through the gateway path, and prints the metrics with baselines', () => {
    const data = file('graded.jsonl', graded);
    const out = join(dir, 'scores.jsonl');
    const r = evalRouting('--data', data, '--scores-out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const scores = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number });
    expect(scores).toHaveLength(graded.length);
    const scorer = createDefaultComplexityScorer();
    graded.forEach((g, i) => {
      const messages = 'messages' in g ? g.messages : [{ role: 'user', content: g.prompt }];
      const { request } = describeRequest({ model: 'x', messages }, { kind: 'chat', scorer });
      expect(scores[i]!.score).toBeGreaterThanOrEqual(0);
      expect(scores[i]!.score).toBeLessThanOrEqual(1);
      expect(scores[i]!.score).toBeCloseTo(request.complexity!, 12);
    });
    for (const label of ['APGR', 'CPT(50%)', 'CPT(80%)', 'AUC']) expect(r.out).toContain(label);
    expect(r.out).toMatch(/^learned /m);
    expect(r.out).toMatch(/^random /m);
    expect(r.out).toMatch(/^length /m);
  });

  it('scores without metrics when the lines carry no grades', () => {
    const out = join(dir, 'plain.jsonl');
    const r = evalRouting(
      '--data',
      file('plain-in.jsonl', [{ prompt: 'a' }, { prompt: 'b', other: 1 }]),
      '--scores-out',
      out,
    );
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(r.out).toContain('no quality metrics');
    expect(r.out).not.toContain('APGR');
  });

  it('--learn feeds labelled outcomes first and moves the scores toward them', () => {
    const data = file('one.jsonl', [{ prompt: 'Prove that the square root of 2 is irrational.' }]);
    const before = join(dir, 'before.jsonl');
    const after = join(dir, 'after.jsonl');
    expect(evalRouting('--data', data, '--scores-out', before).code).toBe(0);
    const train = file(
      'train.jsonl',
      Array.from({ length: 20 }, () => ({
        prompt: 'Prove that the square root of 2 is irrational.',
        label: 1,
      })),
    );
    const r = evalRouting(
      '--data',
      data,
      '--scores-out',
      after,
      '--learn',
      train,
      '--route',
      'chat',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('learned from 20 labelled outcomes');
    // No Redis to read the Route's weights from: it says so and starts from the prior.
    expect(r.err).toContain('--route chat: no --redis URL');
    const s0 = (JSON.parse(readFileSync(before, 'utf8')) as { score: number }).score;
    const s1 = (JSON.parse(readFileSync(after, 'utf8')) as { score: number }).score;
    expect(s1).toBeGreaterThan(s0 + 0.05);
  });

  it("--route with --redis starts from the Route's learned weights as the gateways hold them", async () => {
    const server = await startRedisServer();
    const redis = createRedisClient(server.url);
    const store = createRedisWeightsStore(redis);
    try {
      const proof = 'Prove that the square root of 2 is irrational.';
      const data = file('route-one.jsonl', [{ prompt: proof }]);
      const prior = join(dir, 'route-prior.jsonl');
      const learned = join(dir, 'route-learned.jsonl');
      // Another Route's weights are not this one's.
      const examples = Array.from({ length: 30 }, (_, i) => ({
        sample: samplePrompt([{ role: 'user', content: `${proof} (${i})` }]),
        label: 1 as const,
      }));
      await applyExamples(store, defaultLearningScorerFactory, 'team/chat', examples, 'feedback');
      const none = evalRouting(
        '--data',
        data,
        '--scores-out',
        prior,
        '--route',
        'chat',
        '--redis',
        server.url,
      );
      expect(none.code).toBe(0);
      expect(none.out).toContain('route default/chat: no learned weights in Redis');
      const r = evalRouting(
        '--data',
        data,
        '--scores-out',
        learned,
        '--route',
        'team/chat',
        '--redis',
        server.url,
      );
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        'route team/chat: learned weights version 1 (feedback, 30 updates, 30 buffered outcomes)',
      );
      const s0 = (JSON.parse(readFileSync(prior, 'utf8')) as { score: number }).score;
      const s1 = (JSON.parse(readFileSync(learned, 'utf8')) as { score: number }).score;
      // Exactly what a gateway holding version 1 scores.
      const cur = await store.current('team/chat');
      const gateway = defaultLearningScorerFactory(cur!.state!);
      const { request } = describeRequest(
        { model: 'x', messages: [{ role: 'user', content: proof }] },
        { kind: 'chat', scorer: gateway },
      );
      expect(s1).toBeCloseTo(request.complexity!, 12);
      expect(s1).toBeGreaterThan(s0 + 0.05);
    } finally {
      store.close();
      redis.disconnect();
      await server.stop();
    }
  });

  it('rejects bad arguments and bad lines with a clear message and exit code 2', () => {
    const data = file('ok.jsonl', [{ prompt: 'x' }]);
    const out = join(dir, 'o.jsonl');
    const cases: [string[], RegExp][] = [
      [['--scores-out', out], /--data is required/],
      [['--data', data], /--scores-out is required/],
      [['--data', data, '--scores-out', out, '--bogus', '1'], /unknown argument "--bogus"/],
      [['--data', '--scores-out', out], /--data needs a value/],
      [['--data', join(dir, 'missing.jsonl'), '--scores-out', out], /missing.jsonl: no such file/],
      [
        ['--data', file('bad.jsonl', [{ prompt: 'x' }, { text: 'y' }]), '--scores-out', out],
        /line 2: needs "prompt"/,
      ],
      [
        ['--data', data, '--scores-out', out, '--learn', file('nolabel.jsonl', [{ prompt: 'x' }])],
        /no labelled lines/,
      ],
      [
        ['--data', data, '--scores-out', out, '--redis', 'redis://127.0.0.1:1'],
        /--redis is only used with --route/,
      ],
      [
        ['--data', data, '--scores-out', out, '--route', 'Not A Route'],
        /--route "Not A Route": expected NAME or NAMESPACE\/NAME/,
      ],
      [
        ['--data', data, '--scores-out', out, '--route', 'chat', '--redis', 'redis://127.0.0.1:1'],
        /--redis redis:\/\/127.0.0.1:1: cannot read the weights of default\/chat/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = evalRouting(...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
    const unknown = spawnSync(process.execPath, [join(ROOT, 'scripts/eval.mjs'), 'nope'], {
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown evaluation "nope"');
  });

  it('routing-train and routing-report say where the data is missing, exit 2', () => {
    for (const name of ['routing-train', 'routing-report']) {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'scripts/eval.mjs'), name, '--data', join(dir, 'absent.jsonl')],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect([name, r.status]).toEqual([name, 2]);
      expect(r.stderr).toContain(`training data not found: ${join(dir, 'absent.jsonl')}`);
    }
  });
});
