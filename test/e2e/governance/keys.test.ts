// Scenario 8, governance across two gateway replicas: keys (issue, restrict, revoke, refuse).
// The whole story: An operator runs two `bascule-server`
// processes on one Redis and one cluster (kube-sim): replica A with roles controller,gateway,api
// and replica B with roles gateway,api, both with BASCULE_AUTH=keys and a bootstrap admin key.
// There is a self-hosted Model behind Route "local" and an OpenAI Provider (provider-sim) behind
// Route "frontier". With `bascule keys create` the operator issues keys for three teams:
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
//   (5) team-c's key may not use "frontier" (403) and, revoked with bascule on B, is refused by
//       both gateways within a short deadline;
//   (6) a missing, malformed or unknown key gets 401 with an OpenAI-style body and no stack;
// and every request (refused ones as errors) shows up in `bascule usage --by key` under its key,
// with its cost.
import { apiKeyIndexKey, apiKeyRecordKey } from '@bascule/keyspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@bascule/gateway';
import { bascule } from './support/bascule.js';
import { dumpRedis } from './support/redis-dump.js';
import { hasKubectl, waitFor } from '../support/stack.js';
import { ADMIN, startGovernanceStack, type GovernanceStack } from './support/governance-stack.js';

describe.skipIf(!hasKubectl)('scenario 8: API keys across two gateway replicas', () => {
  let g: GovernanceStack;
  /** team-c's key, issued in the first test and revoked in the second. */
  let teamC = { id: '', secret: '' };

  beforeAll(async () => {
    g = await startGovernanceStack();
  }, 240_000);

  afterAll(async () => {
    await g?.close();
  });

  it('a key issued on A works on B at once; its secret is shown once and stored only as a hash', async () => {
    const { ask, stack, A, B } = g;
    const created = await bascule(A.api, ADMIN, [
      'keys',
      'create',
      'team-c-app',
      '--tenant',
      'team-c',
      '--routes',
      'local',
    ]);
    expect(created.code).toBe(0);
    const secret = /^(bsc-[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
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
      const table = await bascule(r.api, ADMIN, ['keys', 'list']);
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
    expect(dump.get(apiKeyRecordKey(sha))).toContain(id);
    expect(JSON.parse(dump.get(apiKeyIndexKey())!)).toMatchObject({ [id]: sha });
    for (const [k, v] of dump) {
      expect(k).not.toContain(secret!.slice(3));
      expect(v, k).not.toContain(secret!.slice(3));
    }
  }, 60_000);

  it('a key limited to a Route is refused elsewhere; revoked with bascule on B, both gateways refuse it at once', async () => {
    const { ask, usageOf, stack, A, B } = g;
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

    const revoked = await bascule(B.api, ADMIN, ['keys', 'revoke', teamC.id]);
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
    expect((await bascule(A.api, ADMIN, ['keys', 'list'])).stdout).not.toContain(teamC.id);
    expect(stack.sims.openai!.stats().requests).toBe(sent);
    // Usage: 2 served in the first test, 4 forbidden (errors) and 1 served here.
    expect(await usageOf(teamC.id, 7)).toMatchObject({ requests: 7, errors: 4 });
  }, 60_000);

  it('a missing, malformed or unknown key gets 401 with an OpenAI-style error and no stack, on both replicas', async () => {
    const { ask, A, B } = g;
    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['not a bearer token', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['not a bsc- key', { authorization: 'Bearer sk-proj-0123456789abcdef' }],
      ['too long', { authorization: `Bearer bsc-${'x'.repeat(400)}` }],
      ['unknown', { authorization: 'Bearer bsc-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
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
          if (what === 'missing') expect(json.error.message).toMatch(/Authorization: Bearer bsc-/);
          expect(text, label).not.toMatch(/\bat .*\(|\.[jt]s:\d+|node_modules|Error:/);
        }
      }
    }
    // The SDK surfaces it as its AuthenticationError, as it would for OpenAI itself.
    const o = await ask(B, 'bsc-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'local');
    expect(o.error?.sdkClass).toBe('AuthenticationError');
  }, 60_000);
});
