// Scenario: the router learns from its own traffic (issue 17, item 4). Two self-hosted Models
// on kube-sim (engine-sims, `weak-llm` and `strong-llm`) and the OpenAI provider-sim all answer
// from one labelled file (learning-fixture.ts): labelled prompts get answers that carry a hidden
// quality, judge prompts get A, B or TIE by those qualities. `bascule-server` runs every role
// with API keys on; clients use the official openai SDK.
// (1) Shadow evaluation on a public Route (weak-llm simple, gpt-5 complex, judge gpt-5-mini,
//     shadowRate 1): 60 prompts give 60 verdicts (hard: strong better, easy: tie), 60 versions
//     of the Route's weights in Redis, and held-out prompts of the hard kind now score higher,
//     the easy kind lower, and the gateway routes held-out derivations to gpt-5 once the
//     threshold is 0.7; the calls are metered under the Route's shadow usage; `bascule route
//     weights` lists the versions and `bascule route rollback --to 20` restores the 20th.
// (2) A private Route (weak-llm simple, strong-llm complex, judge strong-llm): shadowing runs and
//     learns, and the OpenAI provider-sim sees no request at all.
// (3) A Route whose shadow cap is a cent: shadowing stops once the next evaluation would pass
//     it, the day's spend counter never exceeds it, and the closed API saw exactly the learned
//     evaluations' calls.
// (4) Feedback: the request id comes from the SDK's raw response headers; a key of another
//     tenant cannot grade it (404), its own key can (a bad weak-tier answer: label 1, a new
//     version), a second grade is a 409, a grade of a strong-tier answer teaches nothing.
import { learnSpendKey, learnStatsKey, learnWeightsKey, usageKey } from '@bascule/keyspace';
import {
  createDefaultComplexityScorer,
  samplePrompt,
  type OnlineLearnerState,
} from '@bascule/router';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  modelYaml,
  routeDoc,
  startStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/stack.js';
import { easyPrompt, hardPrompt, writeLabels } from './learning-fixture.js';

const WEAK = 'weak-llm';
const STRONG = 'strong-llm';
const ADMIN_KEY = 'bsc-e2e-learning-admin-key-0000';
const NS = 'default';

const model = (name: string, labels: string, tier: 'weak' | 'strong') =>
  modelYaml(name, {
    source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxContextLength: 8192,
    maxConcurrency: 16,
    replicas: 1,
    capabilities: ['chat', 'completions'],
    cost: { gpuHourUSD: 0.71 },
    extraArgs: ['--judge-labels', labels, '--quality-tier', tier],
  });

/** Threshold 1: while the Routes learn every request goes to the simple tier (timing-proof). */
const publicTargets = [
  { model: WEAK, tier: 'simple' },
  { provider: 'openai', model: 'gpt-5', tier: 'complex' },
];

describe.skipIf(!hasKubectl)('scenario: the router learns from its own traffic', () => {
  let stack: Stack;
  let serve: Serve;
  let redis: Redis;
  let gateway = '';
  let api = '';

  beforeAll(async () => {
    const labels = writeLabels();
    stack = await startStack({
      nodes: 'l4:2x1',
      providers: { openai: { judgeLabels: labels, qualityTier: 'strong' } },
    });
    await stack.apply([
      model(WEAK, labels, 'weak'),
      model(STRONG, labels, 'strong'),
      routeDoc('learn', {
        strategy: 'complexity',
        complexityThreshold: 1,
        targets: publicTargets,
        learning: {
          shadowRate: 1,
          judge: { provider: 'openai', model: 'gpt-5-mini' },
          maxSpendPerDay: 5,
        },
      }),
      routeDoc('learn-private', {
        strategy: 'complexity',
        complexityThreshold: 1,
        allowExternal: false,
        targets: [
          { model: WEAK, tier: 'simple' },
          { model: STRONG, tier: 'complex' },
        ],
        learning: { shadowRate: 1, judge: { model: STRONG }, maxSpendPerDay: 5 },
      }),
      routeDoc('learn-capped', {
        strategy: 'complexity',
        complexityThreshold: 1,
        targets: publicTargets,
        learning: {
          shadowRate: 1,
          judge: { provider: 'openai', model: 'gpt-5-mini' },
          maxSpendPerDay: 0.01,
        },
      }),
      // Thresholds 1 and 0: every request to the weak tier, or every one to the strong tier.
      routeDoc('feedback', {
        strategy: 'complexity',
        complexityThreshold: 1,
        targets: publicTargets,
        learning: {},
      }),
      routeDoc('feedback-strong', {
        strategy: 'complexity',
        complexityThreshold: 0,
        targets: publicTargets,
        learning: {},
      }),
    ]);
    serve = await stack.serve({
      roles: 'controller,gateway,api,worker',
      env: { BASCULE_AUTH: 'keys', BASCULE_ADMIN_KEY: ADMIN_KEY },
    });
    gateway = serve.gateway!;
    api = serve.api!;
    redis = new Redis(stack.redis.url);
    for (const m of [WEAK, STRONG])
      await stack.h.kubectl(['wait', '--for=condition=Ready', `model/${m}`, '--timeout=90s']);
    const client = stack.openai(gateway, ADMIN_KEY);
    await waitFor(
      'the gateway routes to both Models',
      async () => {
        for (const m of [WEAK, STRONG]) {
          const r = await client.chat.completions
            .create({ model: m, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 })
            .withResponse()
            .catch(() => undefined);
          if (r?.response.headers.get('x-bascule-target') !== m) return false;
        }
        return true;
      },
      90_000,
    );
    stack.sims.openai!.resetStats();
  }, 180_000);

  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  const stats = async (route: string) =>
    Object.fromEntries(
      Object.entries(await redis.hgetall(learnStatsKey(`${NS}/${route}`))).map(([k, v]) => [
        k,
        Number(v),
      ]),
    ) as Record<string, number>;
  const settled = (s: Record<string, number>) =>
    Object.entries(s)
      .filter(([k]) => k === 'learned' || k === 'failed' || k.startsWith('skipped_'))
      .reduce((n, [, v]) => n + v, 0);
  const weights = async (route: string) => {
    const h = await redis.hgetall(learnWeightsKey(`${NS}/${route}`));
    return {
      version: Number(h.version ?? 0),
      state: JSON.parse(h.state ?? 'null') as OnlineLearnerState | null,
    };
  };
  const spentToday = async (route: string) =>
    Number(
      (await redis.get(learnSpendKey(`${NS}/${route}`, new Date().toISOString().slice(0, 10)))) ??
        0,
    );
  const ask = (client: OpenAI, route: string, prompt: string) =>
    client.chat.completions
      .create({ model: route, messages: [{ role: 'user', content: prompt }], max_tokens: 16 })
      .withResponse();
  const meanScore = (state: OnlineLearnerState | null, prompts: string[]) => {
    const s = createDefaultComplexityScorer(state ? { online: state } : {});
    return (
      prompts.reduce((n, p) => n + s.score(samplePrompt([{ role: 'user', content: p }])), 0) /
      prompts.length
    );
  };

  it('shadow evaluation on a public Route moves the weights the right way, metered as shadow', async () => {
    const client = stack.openai(gateway, ADMIN_KEY);
    const N = 30;
    for (let i = 0; i < N; i++) {
      await ask(client, 'learn', hardPrompt(i));
      await ask(client, 'learn', easyPrompt(i));
    }
    const s = await waitFor(
      'every shadow evaluation of learn settled',
      async () => {
        const x = await stats('learn');
        return settled(x) >= 2 * N ? x : undefined;
      },
      180_000,
    );
    expect(s).toEqual({ learned: 2 * N, verdict_strong: N, verdict_tie: N });
    const w = await weights('learn');
    expect(w.version).toBe(2 * N);
    // Held-out prompts (never sent) of each kind, scored by the router's own code.
    const heldHard = Array.from({ length: 20 }, (_, i) => hardPrompt(100 + i));
    const heldEasy = Array.from({ length: 20 }, (_, i) => easyPrompt(100 + i));
    const before = { hard: meanScore(null, heldHard), easy: meanScore(null, heldEasy) };
    const after = { hard: meanScore(w.state, heldHard), easy: meanScore(w.state, heldEasy) };
    expect(after.hard - before.hard).toBeGreaterThan(0.1);
    expect(before.easy - after.easy).toBeGreaterThan(0.1);
    expect(after.hard).toBeGreaterThan(after.easy);
    // Every evaluation asked gpt-5 (the other tier) and gpt-5-mini (the judge) once; those calls
    // are metered under the Route's shadow usage, apart from the Route's own traffic.
    expect(stack.sims.openai!.stats().requests).toBe(2 * 2 * N);
    const day = new Date().toISOString().slice(0, 10);
    await waitFor(
      'shadow usage flushed',
      async () =>
        Number(await redis.hget(usageKey(day, 'shadow', `${NS}/learn`), 'requests')) === 2 * 2 * N,
      10_000,
    );
    expect(await spentToday('learn')).toBeGreaterThan(0);

    // `route explain` scores with the Route's learned weights, exactly as the router's code does.
    const probe = hardPrompt(150);
    const explained = (await (
      await fetch(`${api}/api/v1/routes/learn/explain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: probe }),
      })
    ).json()) as { request: { complexity: number; learnedWeightsVersion: number } };
    expect(explained.request.learnedWeightsVersion).toBe(2 * N);
    expect(explained.request.complexity).toBeCloseTo(meanScore(w.state, [probe]), 9);

    // The gateway routes with the learned weights: at threshold 0.7 (shadowing off) held-out
    // derivations now go to gpt-5 and greetings stay on the weak Model; with the prior both kinds
    // score 0.5 to 0.62 and would both have stayed.
    await stack.apply(
      routeDoc('learn', {
        strategy: 'complexity',
        complexityThreshold: 0.7,
        targets: publicTargets,
        learning: { shadowRate: 0 },
      }),
    );
    await waitFor(
      'the gateway routes with the new threshold',
      async () =>
        (await ask(client, 'learn', hardPrompt(120))).response.headers.get('x-bascule-target') ===
        'openai/gpt-5',
      20_000,
    );
    for (let i = 121; i < 126; i++) {
      expect(
        (await ask(client, 'learn', hardPrompt(i))).response.headers.get('x-bascule-target'),
      ).toBe('openai/gpt-5');
      expect(
        (await ask(client, 'learn', easyPrompt(i))).response.headers.get('x-bascule-target'),
      ).toBe(WEAK);
    }

    // The CLI shows the versions and rolls back; the rollback is a new version.
    const shown = await bascule(api, ADMIN_KEY, ['route', 'weights', 'learn']);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain(`version in force: ${2 * N}`);
    expect(shown.stdout).toMatch(/verdict_strong=30/);
    // 50 versions are kept: the newest 60 - 50 = 10 are gone, version 20 is there.
    const back = await bascule(api, ADMIN_KEY, ['route', 'rollback', 'learn', '--to', '20']);
    expect(back).toMatchObject({ code: 0, stderr: '' });
    expect(back.stdout).toContain(`version ${2 * N + 1} now in force (the weights of version 20)`);
    const rolled = await weights('learn');
    expect(rolled.version).toBe(2 * N + 1);
    expect(rolled.state?.version).toBe(20);
    const missing = await bascule(api, ADMIN_KEY, ['route', 'rollback', 'learn', '--to', '5']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('has no stored version 5 (versions kept: the last 50)');
  }, 300_000);

  it('a private Route shadows and learns in the cluster, and never calls the closed model', async () => {
    stack.sims.openai!.resetStats();
    const client = stack.openai(gateway, ADMIN_KEY);
    const N = 10;
    for (let i = 0; i < N; i++) {
      const { response } = await ask(client, 'learn-private', hardPrompt(i));
      expect(response.headers.get('x-bascule-target')).toBe(WEAK);
    }
    const s = await waitFor(
      'every shadow evaluation of learn-private settled',
      async () => {
        const x = await stats('learn-private');
        return settled(x) >= N ? x : undefined;
      },
      120_000,
    );
    expect(s).toEqual({ learned: N, verdict_strong: N });
    expect((await weights('learn-private')).version).toBe(N);
    expect(stack.sims.openai!.stats().requests).toBe(0);
  }, 200_000);

  it('shadowing stops at the Route cap; the spend counter never passes it', async () => {
    stack.sims.openai!.resetStats();
    const client = stack.openai(gateway, ADMIN_KEY);
    const N = 40;
    let peak = 0;
    for (let i = 0; i < N; i++) {
      await ask(client, 'learn-capped', hardPrompt(i));
      peak = Math.max(peak, await spentToday('learn-capped'));
    }
    const s = await waitFor(
      'every sampled request of learn-capped settled',
      async () => {
        const x = await stats('learn-capped');
        peak = Math.max(peak, await spentToday('learn-capped'));
        return settled(x) >= N ? x : undefined;
      },
      120_000,
    );
    const spent = await spentToday('learn-capped');
    expect(peak).toBeLessThanOrEqual(0.01);
    expect(spent).toBeLessThanOrEqual(0.01);
    expect(s.learned).toBeGreaterThan(0);
    expect(s.skipped_cap).toBeGreaterThan(0);
    expect((s.learned ?? 0) + (s.skipped_cap ?? 0)).toBe(N);
    // Once capped, nothing more reached the closed API: two calls per learned evaluation only.
    expect(stack.sims.openai!.stats().requests).toBe(2 * s.learned!);
  }, 200_000);

  it('feedback: the SDK request id, graded by its own key only, once; strong-tier grades teach nothing', async () => {
    const post = async (path: string, key: string, body: unknown) => {
      const r = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const keyA = (await post('/api/v1/keys', ADMIN_KEY, { name: 'app-a', tenant: 'team-a' })).body
      .key as string;
    const keyB = (await post('/api/v1/keys', ADMIN_KEY, { name: 'app-b', tenant: 'team-b' })).body
      .key as string;
    const client = stack.openai(gateway, keyA);
    const weak = await ask(client, 'feedback', 'Hi there! How are you?');
    const id = weak.response.headers.get('x-request-id')!;
    expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    // The SDK's own reading of the header: what an application would store with the answer.
    expect(weak.request_id).toBe(id);
    expect(weak.response.headers.get('x-bascule-target')).toBe(WEAK);

    expect(await post('/api/v1/feedback', keyB, { requestId: id, grade: 'bad' })).toMatchObject({
      status: 404,
    });
    const bad = await post('/api/v1/feedback', keyA, { requestId: id, grade: 2 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('grade');
    const graded = await post('/api/v1/feedback', keyA, { requestId: id, grade: 'bad' });
    expect(graded).toMatchObject({
      status: 200,
      body: { route: `${NS}/feedback`, tier: 'simple', label: 1, learned: true, version: 1 },
    });
    expect(await post('/api/v1/feedback', keyA, { requestId: id, grade: 'good' })).toMatchObject({
      status: 409,
      body: { error: { code: 'already_graded' } },
    });
    expect((await weights('feedback')).version).toBe(1);

    const hard = await ask(
      client,
      'feedback-strong',
      'Prove that the sum of the reciprocals of the primes diverges, then derive the growth rate of the partial sums with an explicit error term.',
    );
    expect(hard.response.headers.get('x-bascule-target')).toBe('openai/gpt-5');
    const strong = await post('/api/v1/feedback', keyA, {
      requestId: hard.response.headers.get('x-request-id'),
      grade: 'good',
    });
    expect(strong).toMatchObject({
      status: 200,
      body: { tier: 'complex', label: null, learned: false },
    });
    expect((await weights('feedback')).version).toBe(1);
    expect(
      await post('/api/v1/feedback', keyA, { requestId: 'req_000000000000000000000000', grade: 1 }),
    ).toMatchObject({ status: 404, body: { error: { code: 'request_not_found' } } });
    // Errors carry a request id too, and a client's own x-request-id is never taken.
    const missing = await fetch(`${gateway}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keyA}`,
        'content-type': 'application/json',
        'x-request-id': id,
      },
      body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    expect(missing.headers.get('x-request-id')).not.toBe(id);
  }, 120_000);
});
