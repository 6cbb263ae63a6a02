// Scenario 8, governance across two gateway replicas. An operator runs two `modelplane serve`
// processes on one Redis and one cluster (kube-sim): replica A with roles controller,gateway,api
// and replica B with roles gateway,api, both with MODELPLANE_AUTH=keys and a bootstrap admin key.
// There is a self-hosted Model behind Route "local" and an OpenAI Provider (provider-sim) behind
// Route "frontier". With `mpctl keys create` the operator issues keys for three teams:
//   - team-a: 6 requests per minute;
//   - team-b: a daily USD budget worth 2.5 closed-API requests;
//   - team-c: only Route "local".
// Then, with the official openai SDK against both gateways:
//   (1) a key issued on A works on B at once; its secret is printed once, never listed again,
//       and Redis holds only its SHA-256 (every Redis key and value is searched);
//   (2) team-a's rpm is shared: a burst split over A and B passes exactly 6 in one minute
//       window, the rest get 429 rate_limit_requests with retry-after;
//   (3) team-b's budget is shared: closed-API spend through A and B adds up, self-hosted
//       traffic costs nothing, and once spent the key gets 402 budget_exceeded on both replicas
//       and the closed API is not called again;
//   (4) Route budgets are shared as well: a Route capped at 2.5 closed-API requests a day sends
//       the next requests from either replica to the self-hosted Model (onExceeded:
//       self-hosted-only), or answers 429 route_budget_exceeded (onExceeded: reject);
//   (5) team-c's key may not use "frontier" (403) and, revoked with mpctl on B, is refused by
//       both gateways within a short deadline;
//   (6) a missing, malformed or unknown key gets 401 with an OpenAI-style body and no stack;
// and every request (refused ones as errors) shows up in `mpctl usage --by key` under its key,
// with its cost.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@modelplane/gateway';
import {
  hasKubectl,
  modelYaml,
  startStack,
  waitFor,
  type Stack,
  routeDoc,
} from '../support/stack.js';
import { mpctl, mpctlJson } from './support/mpctl.js';
import { dumpRedis } from './support/redis-dump.js';

const ADMIN = 'mp-e2e-governance-bootstrap-admin-0123456789';
const MODEL = 'team-chat';
const PROMPT = 'Summarise our quarterly planning notes in one line.';
const OUTPUT_TOKENS = 8;
// gpt-5-mini as the stack registers it: USD per 1M tokens.
const PRICE = { in: 0.25, out: 2 };

interface KeyCreated {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  key: string;
  rpm?: number;
  budget?: { usd: number; period: string };
  routes?: string[];
}
interface UsageRow {
  name: string;
  keyName?: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
  errors: number;
}
/** What a client sees of one request through the SDK. */
interface Outcome {
  status: number;
  target?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number };
  error?: {
    code: string | undefined;
    type: string | undefined;
    message: string;
    retryAfter: string | null;
    /** The SDK's error class, e.g. AuthenticationError. */
    sdkClass: string;
  };
}
interface Replica {
  name: 'A' | 'B';
  gateway: string;
  api: string;
}

describe.skipIf(!hasKubectl)('scenario 8: governance across two gateway replicas', () => {
  let stack: Stack;
  let A: Replica;
  let B: Replica;
  /** team-c's key, issued in the first test and revoked in the fourth. */
  let teamC = { id: '', secret: '' };

  beforeAll(async () => {
    // Budgets and usage are per UTC day: a run that crossed midnight would see them reset.
    await waitFor(
      'not the last two minutes of a UTC day',
      () => 86_400_000 - (Date.now() % 86_400_000) > 120_000,
      130_000,
    );
    stack = await startStack({
      nodes: 'l4:1x1',
      providers: { openai: { seed: 8, outputTokens: { min: OUTPUT_TOKENS, max: OUTPUT_TOKENS } } },
    });
    await stack.apply([
      modelYaml(MODEL, {
        source: `hf://example/${MODEL}`,
        engine: 'vllm',
        gpus: 'nvidia-l4:1',
        maxConcurrency: 16,
        replicas: 1,
      }),
      route('local', [{ model: MODEL }], { allowExternal: false }),
      route('frontier', [{ provider: 'openai', model: 'gpt-5-mini' }]),
    ]);
    const env = { MODELPLANE_AUTH: 'keys', MODELPLANE_ADMIN_KEY: ADMIN };
    const [a, b] = await Promise.all([
      stack.serve({ roles: 'controller,gateway,api', env }),
      stack.serve({ roles: 'gateway,api', env }),
    ]);
    A = { name: 'A', gateway: a.gateway!, api: a.api! };
    B = { name: 'B', gateway: b.gateway!, api: b.api! };
    await waitFor(
      'the self-hosted Model Ready',
      async () =>
        (
          await stack.h.kubectlJson<{ status?: { replicas?: { ready?: number } } }>([
            'get',
            'model',
            MODEL,
          ])
        ).status?.replicas?.ready === 1,
      90_000,
    );
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  const createKey = async (on: Replica, name: string, flags: string[]) =>
    mpctlJson<KeyCreated>(on.api, ADMIN, ['keys', 'create', name, ...flags]);

  /** One chat completion through the official SDK; the outcome a client sees. */
  async function ask(on: Replica, key: string, routeName: string): Promise<Outcome> {
    const client = new OpenAI({ baseURL: `${on.gateway}/v1`, apiKey: key, maxRetries: 0 });
    try {
      const { data, response } = await client.chat.completions
        .create(
          {
            model: routeName,
            messages: [{ role: 'user', content: PROMPT }],
            max_tokens: OUTPUT_TOKENS,
          },
          { timeout: 60_000 },
        )
        .withResponse();
      const usage = data.usage as Outcome['usage'];
      return {
        status: response.status,
        target: response.headers.get('x-modelplane-target'),
        ...(usage ? { usage } : {}),
      };
    } catch (err) {
      if (!(err instanceof OpenAI.APIError)) throw err;
      const e = err as unknown as {
        status?: number;
        code?: string | null;
        type?: string;
        message: string;
        headers?: Headers;
      };
      return {
        status: e.status ?? 0,
        error: {
          code: e.code ?? undefined,
          type: e.type,
          message: e.message,
          retryAfter: e.headers?.get('retry-after') ?? null,
          sdkClass: err.constructor.name,
        },
      };
    }
  }

  /** The cost of one closed-API request (fixed prompt, fixed output), learnt once with the admin key. */
  let probed: number | undefined;
  async function closedRequestCost(): Promise<number> {
    if (probed !== undefined) return probed;
    const probe = await ask(A, ADMIN, 'frontier');
    expect(probe.status).toBe(200);
    expect(probe.target).toBe('openai/gpt-5-mini');
    const { prompt_tokens: pt, completion_tokens: ct } = probe.usage!;
    expect(ct).toBe(OUTPUT_TOKENS);
    return (probed = (pt * PRICE.in + ct * PRICE.out) / 1e6);
  }

  /** The key's row of `mpctl usage --by key`, once it counts `requests` (usage is flushed every second). */
  const usageOf = (keyId: string, requests: number) =>
    waitFor(
      `usage of ${keyId} at ${requests} requests`,
      async () => {
        const u = await mpctlJson<{ rows: UsageRow[] }>(A.api, ADMIN, ['usage', '--by', 'key']);
        const row = u.rows.find((r) => r.name === keyId);
        return row && row.requests >= requests ? row : undefined;
      },
      30_000,
    );

  it('a key issued on A works on B at once; its secret is shown once and stored only as a hash', async () => {
    const created = await mpctl(A.api, ADMIN, [
      'keys',
      'create',
      'team-c-app',
      '--tenant',
      'team-c',
      '--routes',
      'local',
    ]);
    expect(created.code).toBe(0);
    const secret = /^(mp-[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    expect(secret, created.stdout).toBeDefined();
    expect(created.stderr).toMatch(/not shown again/);
    const id = /key (key_[0-9a-f]{16}) created/.exec(created.stdout)![1]!;
    teamC = { id, secret: secret! };
    // Straight to the other replica's gateway: no cache, no propagation delay.
    expect((await ask(B, secret!, 'local')).status).toBe(200);
    expect((await ask(A, secret!, 'local')).status).toBe(200);

    // Listed on both replicas, never with the secret or its hash.
    const sha = hashApiKey(secret!);
    for (const r of [A, B]) {
      const table = await mpctl(r.api, ADMIN, ['keys', 'list']);
      expect(table.stdout).toContain(id);
      const raw = await fetch(`${r.api}/api/v1/keys`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      }).then((x) => x.text());
      const one = await fetch(`${r.api}/api/v1/keys/${id}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      }).then((x) => x.text());
      for (const text of [table.stdout, table.stderr, raw, one]) {
        expect(text).not.toContain(secret!);
        expect(text).not.toContain(secret!.slice(3));
        expect(text).not.toContain(sha);
      }
      const listed = (JSON.parse(raw) as { items: Record<string, unknown>[] }).items.find(
        (k) => k.id === id,
      );
      expect(listed).toMatchObject({
        tenant: 'team-c',
        routes: ['local'],
        prefix: secret!.slice(0, 7),
      });
      expect(Object.keys(listed!)).not.toContain('key');
    }

    // Redis: the record is found by the hash; the secret is in no key name and no value.
    const dump = await dumpRedis(stack.redis.url);
    expect(dump.get(`mp:key:${sha}`)).toContain(id);
    expect(JSON.parse(dump.get('mp:keys')!)).toMatchObject({ [id]: sha });
    for (const [k, v] of dump) {
      expect(k).not.toContain(secret!.slice(3));
      expect(v, k).not.toContain(secret!.slice(3));
    }
  }, 60_000);

  it('an rpm limit is shared: a burst split over A and B passes exactly the limit in one minute, then 429 with retry-after', async () => {
    const RPM = 6;
    const SENT = 10;
    // The window is a UTC minute. A burst that straddles a minute boundary could pass up to twice
    // the limit, so such an attempt is discarded and repeated with a fresh key (it is rare: the
    // burst takes well under a second, and one starting in a minute's last 5 s waits it out).
    for (let attempt = 1; ; attempt++) {
      await waitFor(
        'not the last seconds of a minute',
        () => new Date().getUTCSeconds() < 55,
        10_000,
      );
      const key = await createKey(A, `team-a-app-${attempt}`, [
        '--tenant',
        'team-a',
        '--rpm',
        String(RPM),
      ]);
      expect(key.rpm).toBe(RPM);
      const minute = new Date().toISOString().slice(0, 16);
      const outcomes = await Promise.all(
        Array.from({ length: SENT }, (_, i) => ask(i % 2 === 0 ? A : B, key.key, 'local')),
      );
      if (new Date().toISOString().slice(0, 16) !== minute && attempt < 3) continue;
      const ok = outcomes.filter((o) => o.status === 200);
      const limited = outcomes.filter((o) => o.status === 429);
      expect(ok).toHaveLength(RPM);
      expect(limited).toHaveLength(SENT - RPM);
      // Each replica refused some and admitted some: the count is one, not one per replica.
      for (const r of [0, 1]) {
        expect(outcomes.filter((o, i) => i % 2 === r && o.status === 200).length).toBeGreaterThan(
          0,
        );
      }
      for (const o of limited) {
        const err = o.error!;
        expect(err.code).toBe('rate_limit_requests');
        expect(err.type).toBe('rate_limit_error');
        expect(err.message).toMatch(/rpm limit is reached; retry after \d+ s/);
        const retryAfter = Number(err.retryAfter);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      // Usage: every request under the key (the refused ones as errors), over both replicas.
      const row = await usageOf(key.id, SENT);
      expect(row).toMatchObject({
        requests: SENT,
        errors: SENT - RPM,
        keyName: `team-a-app-${attempt}`,
      });
      return;
    }
  }, 90_000);

  it('a budget is shared: closed-API spend through A and B adds up; once spent the key gets 402 on both and the closed API is not called', async () => {
    const cost = await closedRequestCost();
    // Worth 2.5 requests: admitted while spent < budget, so exactly 3 pass.
    const budget = cost * 2.5;
    const key = await createKey(A, 'team-b-app', [
      '--tenant',
      'team-b',
      '--budget',
      String(budget),
      '--period',
      'day',
    ]);
    expect(key.budget).toEqual({ usd: budget, period: 'day' });

    // Self-hosted traffic spends nothing (the Model has no gpuHourUSD): not counted against it.
    for (const r of [A, B]) {
      const o = await ask(r, key.key, 'local');
      expect([o.status, o.target]).toEqual([200, MODEL]);
    }
    // Closed-API requests alternate between the replicas until the budget refuses one.
    const before = stack.sims.openai!.stats().requests;
    const statuses: number[] = [];
    let refused: Outcome['error'];
    for (let i = 0; i < 8 && !refused; i++) {
      const o = await ask(i % 2 === 0 ? A : B, key.key, 'frontier');
      statuses.push(o.status);
      if (o.status === 200) expect(o.target).toBe('openai/gpt-5-mini');
      else refused = o.error;
    }
    expect(statuses).toEqual([200, 200, 200, 402]);
    expect(stack.sims.openai!.stats().requests - before).toBe(3);
    expect(refused!.code).toBe('budget_exceeded');
    expect(refused!.type).toBe('insufficient_quota');
    expect(refused!.message).toMatch(
      /budget of \$[\d.e-]+ for \d{4}-\d{2}-\d{2} is spent \(\$[\d.]+ used\); it resets at the start of the next day \(UTC\)/,
    );
    // ...on both replicas, with retry-after to the next UTC day; nothing more reaches the provider.
    for (const r of [A, B]) {
      const o = await ask(r, key.key, 'frontier');
      expect(o.status).toBe(402);
      expect(o.error!.code).toBe('budget_exceeded');
      const retryAfter = Number(o.error!.retryAfter);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    expect(stack.sims.openai!.stats().requests - before).toBe(3);
    // A key's budget has no self-hosted-only mode (that exists only in the router, unset by the
    // gateway): a spent key is refused for self-hosted Routes too.
    expect((await ask(B, key.key, 'local')).status).toBe(402);

    // Usage: 2 self-hosted + 3 closed requests served, 4 refused (counted under the key as
    // errors, with no tokens), and exactly the closed requests' cost.
    const row = await usageOf(key.id, 9);
    expect(row).toMatchObject({ requests: 9, errors: 4 });
    expect(row.outputTokens).toBe(5 * OUTPUT_TOKENS);
    expect(row.costUSD).toBeCloseTo(3 * cost, 12);
    expect(row.costUSD).toBeGreaterThan(budget);
  }, 90_000);

  it('a Route budget is shared: closed-API spend through A and B stops at the cap, then self-hosted only (or 429 with onExceeded: reject) on both', async () => {
    const cost = await closedRequestCost();
    // Closed API first, the Model second; a daily cap worth 2.5 closed requests.
    await stack.apply([
      route('capped', [{ provider: 'openai', model: 'gpt-5-mini' }, { model: MODEL }], {
        budgets: { dailyUSD: cost * 2.5, onExceeded: 'self-hosted-only' },
      }),
      route('capped-strict', [{ provider: 'openai', model: 'gpt-5-mini' }], {
        budgets: { dailyUSD: cost * 1.5, onExceeded: 'reject' },
      }),
    ]);
    for (const r of [A, B])
      await waitFor(
        `replica ${r.name} serves the capped Routes`,
        async () => {
          const res = await fetch(`${r.gateway}/v1/models`, {
            headers: { authorization: `Bearer ${ADMIN}` },
          });
          const ids = ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
          return ids.includes('capped') && ids.includes('capped-strict');
        },
        30_000,
      );
    // A plain key (no key budget), issued on B this time.
    const key = await createKey(B, 'team-d-app', ['--tenant', 'team-d']);
    const before = stack.sims.openai!.stats().requests;
    const targets: (string | null | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const o = await ask(i % 2 === 0 ? A : B, key.key, 'capped');
      expect(o.status).toBe(200);
      targets.push(o.target);
    }
    const closed = 'openai/gpt-5-mini';
    expect(targets).toEqual([closed, closed, closed, MODEL, MODEL, MODEL]);
    expect(stack.sims.openai!.stats().requests - before).toBe(3);

    // onExceeded: reject: two closed requests fit under 1.5 x cost, then 429 on both replicas.
    const strict = [];
    for (const r of [A, B, A, B]) strict.push(await ask(r, key.key, 'capped-strict'));
    expect(strict.map((o) => o.status)).toEqual([200, 200, 429, 429]);
    for (const o of strict.slice(2)) {
      expect(o.error!.code).toBe('route_budget_exceeded');
      expect(o.error!.message).toMatch(
        /Route 'capped-strict' has spent its daily budget of \$[\d.e-]+ on closed APIs .*resets at the start of the next day \(UTC\)/,
      );
      const retryAfter = Number(o.error!.retryAfter);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    expect(stack.sims.openai!.stats().requests - before).toBe(5);

    // Usage by key: 10 requests (2 refused by the Route budget), 5 of them on the closed API.
    const row = await usageOf(key.id, 10);
    expect(row).toMatchObject({ requests: 10, errors: 2 });
    expect(row.costUSD).toBeCloseTo(5 * cost, 12);
  }, 90_000);

  it('a key limited to a Route is refused elsewhere; revoked with mpctl on B, both gateways refuse it at once', async () => {
    expect(teamC.secret).not.toBe('');
    for (const r of [A, B]) {
      for (const other of ['frontier', 'openai/gpt-5-mini']) {
        const o = await ask(r, teamC.secret, other);
        expect(o.status).toBe(403);
        expect(o.error!.code).toBe('model_not_allowed');
        expect(o.error!.message).toContain(`may not use model '${other}'`);
      }
    }
    const sent = stack.sims.openai!.stats().requests;
    expect((await ask(A, teamC.secret, 'local')).status).toBe(200);

    const revoked = await mpctl(B.api, ADMIN, ['keys', 'revoke', teamC.id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `key ${teamC.id} revoked\n` });
    const at = Date.now();
    // Revocation deletes the record every gateway reads per request: refused on the next one.
    for (const r of [A, B])
      await waitFor(
        `replica ${r.name} refuses the revoked key`,
        async () => (await ask(r, teamC.secret, 'local')).status === 401,
        5_000,
      );
    const seenIn = Date.now() - at;
    for (const r of [A, B]) {
      const o = await ask(r, teamC.secret, 'local');
      expect(o.status).toBe(401);
      expect(o.error!.code).toBe('invalid_api_key');
      expect(o.error!.message).toBe('401 invalid or revoked API key');
    }
    process.stdout.write(`revoked key refused on both replicas within ${seenIn} ms\n`);
    expect((await mpctl(A.api, ADMIN, ['keys', 'list'])).stdout).not.toContain(teamC.id);
    expect(stack.sims.openai!.stats().requests).toBe(sent);
    // Usage: 2 served in the first test, 4 forbidden (errors) and 1 served here.
    expect(await usageOf(teamC.id, 7)).toMatchObject({ requests: 7, errors: 4 });
  }, 60_000);

  it('a missing, malformed or unknown key gets 401 with an OpenAI-style error and no stack, on both replicas', async () => {
    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['not a bearer token', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['not an mp- key', { authorization: 'Bearer sk-proj-0123456789abcdef' }],
      ['too long', { authorization: `Bearer mp-${'x'.repeat(400)}` }],
      ['unknown', { authorization: 'Bearer mp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ];
    for (const r of [A, B]) {
      for (const [what, headers] of cases) {
        for (const [method, path, body] of [
          [
            'POST',
            '/v1/chat/completions',
            { model: 'local', messages: [{ role: 'user', content: 'hi' }] },
          ],
          ['GET', '/v1/models', undefined],
        ] as const) {
          const res = await fetch(`${r.gateway}${path}`, {
            method,
            headers: { ...headers, 'content-type': 'application/json' },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          const label = `${r.name} ${method} ${path} (${what})`;
          expect(res.status, label).toBe(401);
          expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
          const text = await res.text();
          const json = JSON.parse(text) as { error: Record<string, unknown> };
          expect(json.error.type, label).toBe('authentication_error');
          expect(json.error.code, label).toBe('invalid_api_key');
          expect(json.error.message, label).toMatch(/API key/);
          if (what === 'missing') expect(json.error.message).toMatch(/Authorization: Bearer mp-/);
          expect(text, label).not.toMatch(/\bat .*\(|\.[jt]s:\d+|node_modules|Error:/);
        }
      }
    }
    // The SDK surfaces it as its AuthenticationError, as it would for OpenAI itself.
    const o = await ask(B, 'mp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'local');
    expect(o.error?.sdkClass).toBe('AuthenticationError');
  }, 60_000);
});

function route(name: string, targets: object[], extra: Record<string, unknown> = {}): object {
  return routeDoc(name, {
    strategy: 'priority',
    targets,
    fallback: { triggers: ['noCapacity'], maxQueueWait: '30s' },
    ...extra,
  });
}
