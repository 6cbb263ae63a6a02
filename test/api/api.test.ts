import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '@modelplane/cli';
import { queueAuthenticate, startApi, type RunningApi } from '@modelplane/control-plane';
import { QueueContext, createLocalFileStorage, createQueueHandler } from '@modelplane/queue';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type Redis,
} from '@modelplane/gateway';
import { createKubeClient } from '@modelplane/kube';
import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  hasKubectl,
  startHarness,
  waitFor,
  type Harness,
} from '../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const ADMIN = 'mp-bootstrap-admin-key-for-tests-0123456789';

describe.skipIf(!hasKubectl)('control API and mpctl on kube-sim', () => {
  let h: Harness;
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let api: RunningApi;
  let dir: string;
  let queues: QueueContext;

  async function mpctl(args: string[], token = ADMIN) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from(['']),
      env: { MPCTL_SERVER: api.url, MPCTL_TOKEN: token, MPCTL_CONFIG: join(dir, 'config.json') },
    });
    return { code, stdout, stderr };
  }
  const call = (
    method: string,
    path: string,
    body?: unknown,
    token = ADMIN,
    type = 'application/json',
  ) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': type } : {}),
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mp-api-'));
    // Fits every example at one replica (as test/controller/examples-ready.test.ts).
    h = await startHarness('h100:2x8,h200:1x8,l4:2x1,a10g:1x1');
    await h.startController();
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    queues = new QueueContext({
      redisUrl: redisServer.url,
      storage: createLocalFileStorage(join(dir, 'files')),
    });
    const auth = createKeyAuthenticator({ redis, adminKey: ADMIN });
    api = await startApi(
      {
        queue: createQueueHandler({ context: queues, authenticate: queueAuthenticate(auth) }),
        kube: createKubeClient({ kubeconfig: h.kubeconfig }),
        redis,
        keys: createRedisKeyStore(redis),
        auth,
        logger: pino({ level: 'silent' }),
        registry: new Registry(),
        namespace: 'default',
      },
      '127.0.0.1',
      0,
    );
  });
  afterAll(async () => {
    await api?.close();
    await queues?.close();
    redis?.disconnect();
    await redisServer?.stop();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply -> Ready -> describe -> configured -> unchanged -> diff -> delete', async () => {
    const model = join(EXAMPLES, 'model-llama-3-1-8b-instruct.yaml');
    const first = await mpctl(['apply', '-f', EXAMPLES]);
    expect(first.code).toBe(0);
    // Secrets are kubectl's: skipped with a note, one line each.
    for (const l of first.stderr.trimEnd().split('\n'))
      expect(l).toMatch(/^secret\/[a-z0-9-]+ skipped \(not a Modelplane resource; use kubectl\)$/);
    expect(first.stderr).toContain('secret/hf-token skipped');
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const l of lines)
      expect(l).toMatch(/^(model|provider|route)\.modelplane\.io\/[a-z0-9-]+ created$/);
    expect(lines).toContain('model.modelplane.io/llama-3-1-8b-instruct created');
    // Every Model is Ready, or scaled to zero (0/0) until traffic arrives.
    await waitFor(
      'every example Ready or at zero via mpctl get',
      async () => {
        const rows = (await mpctl(['get', 'models'])).stdout.trimEnd().split('\n').slice(1);
        return (
          rows.length >= 7 &&
          rows.every((r) => /\sTrue\s/.test(r) || /\s0\/0\s/.test(r)) &&
          rows.some((r) => /^llama-3-1-8b-instruct\s.*\sTrue\s+1\/1\s/.test(r))
        );
      },
      90_000,
    );
    const described = await mpctl(['describe', 'model', 'llama-3-1-8b-instruct']);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/Ready\s+True/);
    expect(described.stdout).toMatch(/Endpoints:\n {2}POD/);
    expect((await mpctl(['apply', '-f', model])).stdout).toContain('unchanged');
    expect((await mpctl(['diff', '-f', model])).code).toBe(0);
    const changed = join(dir, 'changed.yaml');
    const text = (await import('node:fs')).readFileSync(model, 'utf8');
    writeFileSync(changed, text.replace(/metadata:\n/, 'metadata:\n  labels:\n    team: ml\n'));
    const diff = await mpctl(['diff', '-f', changed]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+    team: ml');
    expect((await mpctl(['apply', '-f', changed])).stdout).toContain(
      'llama-3-1-8b-instruct configured',
    );
    expect((await mpctl(['apply', '-f', changed])).stdout).toContain(
      'llama-3-1-8b-instruct unchanged',
    );
    const json = JSON.parse(
      (await mpctl(['get', 'model', 'llama-3-1-8b-instruct', '-o', 'json'])).stdout,
    ) as { metadata: { labels: Record<string, string> } };
    expect(json.metadata.labels.team).toBe('ml');
    expect(await mpctl(['delete', '-f', changed])).toMatchObject({
      code: 0,
      stdout: 'model.modelplane.io/llama-3-1-8b-instruct deleted\n',
    });
    const rest = await mpctl(['delete', '-f', EXAMPLES]);
    expect(rest.stdout.trimEnd().split('\n').length).toBe(lines.length - 1);
    expect(rest.stderr).toMatch(/llama-3-1-8b-instruct.*not found/); // deleted just before
    const gone = await mpctl(['get', 'model', 'llama-3-1-8b-instruct']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('not found');
  });

  it('mpctl route explain, top, keys and usage against the API', async () => {
    const route = join(EXAMPLES, 'route-private-chat.yaml');
    const model = join(EXAMPLES, 'model-llama-3-1-8b-instruct.yaml');
    expect((await mpctl(['apply', '-f', route, '-f', model])).code).toBe(0);
    await waitFor('Model Ready', async () => /True/.test((await mpctl(['get', 'models'])).stdout));
    const explain = await mpctl([
      'route',
      'explain',
      'private-chat',
      '--prompt',
      'Summarise this contract.',
    ]);
    expect(explain.code).toBe(0);
    // qwen3-32b does not exist here: it is unresolved, and the Ready llama takes the request.
    expect(explain.stdout).toMatch(/^decision: send llama-3-1-8b-instruct \(/);
    expect(explain.stdout).toMatch(/qwen3-32b\s+unresolved/);
    const top = await mpctl(['top', '--once']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/llama-3-1-8b-instruct\s+1\/1\s+1 x nvidia-l4/);
    expect(top.stdout).toMatch(/nvidia-l4\s+2\s+1\s+1\s+0/);
    const created = await mpctl([
      'keys',
      'create',
      'cli-key',
      '--tenant',
      'cli',
      '--budget',
      '5',
      '--period',
      'day',
      '--rpm',
      '60',
    ]);
    expect(created.code).toBe(0);
    const [, id, secret] =
      /^key (key_[0-9a-f]+) created \(tenant cli, role user\)\n(mp-\S+)\n$/.exec(created.stdout) ??
      [];
    expect(secret).toBeDefined();
    const list = await mpctl(['keys', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`${id}\\s+cli-key\\s+mp-\\S+\\.\\.\\.\\s+cli\\s+user\\s+\\$5/day\\s+60`),
    );
    expect(list.stdout).not.toContain(secret);
    const day = new Date().toISOString().slice(0, 10);
    await redis.hset(`mp:usage:${day}:key:${id}`, {
      requests: 4,
      input_tokens: 100,
      output_tokens: 40,
      cost_usd: 0.25,
    });
    const usage = await mpctl(['usage'], secret);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(
      new RegExp(`${day}\\s+cli-key \\(${id}\\)\\s+4\\s+100\\s+40\\s+\\$0\\.2500`),
    );
    expect((await mpctl(['get', 'models'], secret)).stderr).toContain(
      'needs a key with role admin or operator',
    );
    expect((await mpctl(['keys', 'revoke', id!])).stdout).toBe(`key ${id} revoked\n`);
    expect((await mpctl(['usage'], secret)).stderr).toContain('invalid or revoked API key');
    await mpctl(['delete', 'route', 'private-chat']);
    await mpctl(['delete', 'model', 'llama-3-1-8b-instruct']);
  });

  it("mpctl get jobs and batches: the key's tenant only", async () => {
    const mk = async (tenant: string) =>
      (await (await call('POST', '/api/v1/keys', { name: `jobs-${tenant}`, tenant })).json()) as {
        key: string;
      };
    const a = await mk('jobs-a');
    const b = await mk('jobs-b');
    const created = await call(
      'POST',
      '/api/v1/jobs',
      { model: 'some-model', body: { messages: [{ role: 'user', content: 'hi' }] } },
      a.key,
    );
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const mine = await mpctl(['get', 'jobs', id], a.key);
    expect(mine.code).toBe(0);
    expect(mine.stdout).toMatch(
      new RegExp(`^ID\\s+STATUS\\s+MODEL[^\\n]*\\n${id}\\s+queued\\s+some-model\\s+normal`),
    );
    const theirs = await mpctl(['get', 'jobs', id], b.key);
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toMatch(/not found|no job/i);
    expect(await mpctl(['get', 'batches'], b.key)).toMatchObject({
      code: 0,
      stderr: 'No resources found.\n',
    });
    expect((await mpctl(['get', 'jobs'], a.key)).code).toBe(2);
  });

  it('the OpenAPI document validates and every path in it answers', async () => {
    const doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace('{name}', 'nope').replace('{id}', 'key_0000000000000000');
        const res = await call(method.toUpperCase(), url, method === 'post' ? {} : undefined);
        const declared = Object.keys(
          (ops[method] as { responses: Record<string, unknown> }).responses,
        );
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
        expect(
          declared.includes(String(res.status)) || declared.includes('default'),
          `${method} ${path} -> ${res.status}`,
        ).toBe(true);
        expect(res.headers.get('x-request-id')).toBeTruthy();
      }
    }
  });

  it('keys: created once, listed without secrets, revoked at once; user keys cannot use the control API', async () => {
    const created = await call('POST', '/api/v1/keys', {
      name: 'app',
      tenant: 'team-a',
      role: 'user',
      rpm: 10,
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string };
    expect(key.key).toMatch(/^mp-[A-Za-z0-9_-]{43}$/);
    const listed = await (await call('GET', '/api/v1/keys')).text();
    expect(listed).toContain(key.id);
    expect(listed).not.toContain(key.key);
    const denied = await call('GET', '/api/v1/models', undefined, key.key);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await call('GET', '/api/v1/usage', undefined, key.key)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/keys/${key.id}`)).status).toBe(200);
    const revoked = await call('GET', '/api/v1/usage', undefined, key.key);
    expect(revoked.status).toBe(401);
  });

  it("one tenant cannot read another tenant's usage", async () => {
    const mk = async (tenant: string) =>
      (await (
        await call('POST', '/api/v1/keys', { name: `op-${tenant}`, tenant, role: 'operator' })
      ).json()) as { id: string; key: string };
    const a = await mk('tenant-a');
    const b = await mk('tenant-b');
    const day = new Date().toISOString().slice(0, 10);
    await redis.hset(`mp:usage:${day}:key:${a.id}`, { requests: 3, cost_usd: 0.5 });
    await redis.hset(`mp:usage:${day}:key:${b.id}`, { requests: 7, cost_usd: 1.5 });
    const ua = (await (await call('GET', '/api/v1/usage', undefined, a.key)).json()) as {
      rows: { name: string }[];
    };
    expect(ua.rows.map((r) => r.name)).toEqual([a.id]);
    const ub = (await (await call('GET', '/api/v1/usage', undefined, b.key)).json()) as {
      rows: { name: string }[];
    };
    expect(ub.rows.map((r) => r.name)).toEqual([b.id]);
    expect((await call('GET', '/api/v1/usage?by=route', undefined, a.key)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/keys/${b.id}`, undefined, a.key)).status).toBe(404);
    const all = (await (await call('GET', '/api/v1/usage')).json()) as { rows: { name: string }[] };
    expect(all.rows.map((r) => r.name)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it.each([
    ['malformed JSON', 'POST', '/api/v1/keys', '{"name":', 400, 'invalid_json', undefined],
    ['wrong type', 'POST', '/api/v1/keys', { name: 'x', rpm: 'ten' }, 400, 'invalid_field', '.rpm'],
    [
      'unknown field',
      'POST',
      '/api/v1/keys',
      { name: 'x', colour: 'red' },
      400,
      'unknown_field',
      '.colour',
    ],
    [
      'bad role',
      'POST',
      '/api/v1/keys',
      { name: 'x', role: 'root' },
      400,
      'invalid_field',
      '.role',
    ],
    [
      'oversize body',
      'POST',
      '/api/v1/keys',
      { name: 'x'.repeat(2 * 1024 * 1024) },
      413,
      'body_too_large',
      undefined,
    ],
    [
      'bad manifest',
      'POST',
      '/api/v1/apply',
      'apiVersion: modelplane.io/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  gpus: l4\n',
      422,
      'invalid_manifest',
      undefined,
    ],
    ['bad YAML', 'POST', '/api/v1/apply', 'kind: [', 422, 'invalid_manifest', undefined],
    ['empty apply', 'POST', '/api/v1/apply', '', 400, 'empty_body', undefined],
    [
      'foreign kind',
      'POST',
      '/api/v1/apply',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
      422,
      'invalid_manifest',
      '.kind',
    ],
    ['bad dryRun', 'POST', '/api/v1/apply?dryRun=maybe', 'x: 1', 400, 'invalid_query', '?dryRun'],
    [
      'unknown query',
      'GET',
      '/api/v1/models?colour=red',
      undefined,
      400,
      'unknown_query_parameter',
      '?colour',
    ],
    [
      'bad namespace',
      'GET',
      '/api/v1/models?namespace=Not_A_Label',
      undefined,
      400,
      'invalid_query',
      '?namespace',
    ],
    ['bad name', 'GET', '/api/v1/models/Bad_Name', undefined, 400, 'invalid_name', 'name'],
    ['unknown model', 'GET', '/api/v1/models/nope/status', undefined, 404, 'not_found', undefined],
    [
      'explain without prompt',
      'POST',
      '/api/v1/routes/chat/explain',
      {},
      400,
      'invalid_field',
      '.prompt',
    ],
    [
      'explain wrong kind',
      'POST',
      '/api/v1/routes/chat/explain',
      { prompt: 'x', kind: 'image' },
      400,
      'invalid_field',
      '.kind',
    ],
    [
      'usage bad date',
      'GET',
      '/api/v1/usage?from=yesterday',
      undefined,
      400,
      'invalid_query',
      undefined,
    ],
    [
      'usage bad dimension',
      'GET',
      '/api/v1/usage?by=colour',
      undefined,
      400,
      'invalid_query',
      undefined,
    ],
    ['revoke unknown key', 'DELETE', '/api/v1/keys/nope', undefined, 404, 'not_found', undefined],
    ['unknown route', 'GET', '/api/v1/frobnicate', undefined, 404, 'not_found', undefined],
  ] as const)('bad input: %s -> %i %s', async (_what, method, path, body, status, code, field) => {
    const res = await call(
      method,
      path,
      body,
      ADMIN,
      path.includes('apply') ? 'application/yaml' : 'application/json',
    );
    expect(res.status).toBe(status);
    const e = (
      (await res.json()) as {
        error: { code: string; message: string; path?: string; requestId: string };
      }
    ).error;
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(5);
    expect(e.message).not.toMatch(/\n\s+at /);
    expect(e.requestId).toBe(res.headers.get('x-request-id'));
    if (field) expect(e.path).toBe(field);
  });

  it('missing or malformed keys get 401', async () => {
    expect((await fetch(`${api.url}/api/v1/models`)).status).toBe(401);
    expect((await call('GET', '/api/v1/models', undefined, 'mp-not-a-real-key')).status).toBe(401);
    expect((await call('GET', '/api/v1/models', undefined, 'sk-openai-style')).status).toBe(401);
  });

  it.each([
    [['get'], 2, 'name a resource type'],
    [['get', 'pods'], 2, 'unknown resource type "pods"'],
    [['get', 'models', '-o', 'xml'], 2, 'unknown output format "xml"'],
    [['apply'], 2, 'flag -f is required'],
    [['describe', 'route', 'x'], 2, 'describe supports: model NAME'],
    [['keys', 'frob'], 2, 'unknown keys command "frob"'],
    [['keys', 'create', 'x', '--rpm', 'lots'], 2, '--rpm must be a positive number'],
    [['usage', '--from', 'monday'], 2, '--from must be a date'],
    [['route', 'explain', 'chat'], 2, '--prompt TEXT is required'],
    [['login', '--server', 'ftp://x'], 2, '--server URL'],
    [['completion', 'fish'], 2, 'bash or zsh'],
    [['delete', 'model'], 2, 'name the model to delete'],
    [['keys', 'create', 'Bad Name'], 1, 'must be a lowercase DNS-style name'],
    [['get', 'model', 'nope'], 1, 'not found'],
  ])('bad command line: mpctl %j -> exit %i', async (args, code, message) => {
    const r = await mpctl(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });

  it('bad YAML through mpctl apply names file:line:col', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: modelplane.io/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  gpus: l4\n',
    );
    const r = await mpctl(['apply', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:6:9: Model/m .spec.gpus: must be`);
    expect(r.stderr).toContain(`${bad}:5:1: Model/m .spec.engine: required field is missing`);
  });
});
