import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchLines, startQueueStack, type QueueStack } from './support/queue-stack.js';

interface ErrorBody {
  error: {
    message: string;
    param: string | null;
    code: string;
    details?: { line: number; param: string }[];
  };
}

describe('bad input gets a clear 4xx', () => {
  let redis: RunningRedisServer;
  let stack: QueueStack;

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startQueueStack({
      redis,
      models: [modelResource('llama', { maxConcurrency: 8 })],
      routes: [routeResource('chat', { targets: [{ model: 'llama' }] })],
      handler: {
        limits: { maxFileBytes: 4096, maxLines: 1000 },
        webhooks: {},
        authenticate: (req) => ({ tenant: String(req.headers['x-tenant'] ?? 'a') }),
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  const upload = async (
    text: string,
    purpose = 'batch',
  ): Promise<{ status: number; body: ErrorBody }> => {
    const form = new FormData();
    form.append('purpose', purpose);
    form.append('file', new Blob([text]), 'in.jsonl');
    const r = await fetch(`${stack.url}/v1/files`, { method: 'POST', body: form });
    return { status: r.status, body: (await r.json()) as ErrorBody };
  };

  const line = (o: Record<string, unknown>): string =>
    JSON.stringify({
      custom_id: 'x',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'chat' },
      ...o,
    });

  it.each([
    [
      'not JSON',
      `${line({ custom_id: 'a' })}\n{"custom_id": nope}\n`,
      2,
      null,
      /line 2: is not valid JSON/,
    ],
    [
      'missing custom_id',
      `${line({ custom_id: undefined })}\n`,
      1,
      'custom_id',
      /custom_id must be a string/,
    ],
    ['duplicate custom_id', `${line({})}\n${line({})}\n`, 2, 'custom_id', /'x' is not unique/],
    [
      'unknown endpoint',
      `${line({ url: '/v1/images/generations' })}\n`,
      1,
      'url',
      /url must be one of/,
    ],
    ['GET method', `${line({ method: 'GET' })}\n`, 1, 'method', /method must be "POST"/],
    ['no model', `${line({ body: { messages: [] } })}\n`, 1, 'body.model', /body\.model/],
  ])('rejects a file with %s, naming the line and field', async (_n, text, lineNo, param, msg) => {
    const r = await upload(text);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_file');
    expect(r.body.error.message).toMatch(msg);
    expect(r.body.error.details?.[0]).toMatchObject({ line: lineNo, param });
  });

  it('rejects an oversize file with 413 and keeps nothing', async () => {
    const r = await upload(batchLines(100, 'chat'));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('file_too_large');
    expect(r.body.error.message).toMatch(/4096 bytes/);
  });

  it('rejects a wrong purpose, an empty file and a non-multipart body', async () => {
    const p = await upload(batchLines(1, 'chat'), 'fine-tune');
    expect(p.status).toBe(400);
    expect(p.body.error.param).toBe('purpose');
    const e = await upload('\n\n');
    expect(e.status).toBe(400);
    expect(e.body.error.message).toMatch(/no lines/);
    const j = await fetch(`${stack.url}/v1/files`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(j.status).toBe(415);
  });

  it('rejects bad batch requests through the openai SDK', async () => {
    const client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const f = await client.files.create({
      file: await toFile(Buffer.from(batchLines(2, 'chat')), 'ok.jsonl'),
      purpose: 'batch',
    });
    const bad = async (
      body: Record<string, unknown>,
    ): Promise<InstanceType<typeof OpenAI.APIError>> => {
      const err = await client.batches
        .create({
          input_file_id: f.id,
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
          ...body,
        } as never)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      return err as InstanceType<typeof OpenAI.APIError>;
    };
    const e1 = await bad({ endpoint: '/v1/moderations' });
    expect([e1.status, e1.param]).toEqual([400, 'endpoint']);
    const e2 = await bad({ endpoint: '/v1/embeddings' });
    expect(e2.message).toMatch(/one batch calls one endpoint/);
    const e3 = await bad({ completion_window: 'soon' });
    expect([e3.status, e3.param]).toEqual([400, 'completion_window']);
    const e4 = await bad({ input_file_id: 'file-nope' });
    expect([e4.status, e4.param]).toEqual([400, 'input_file_id']);
    const nf = await client.batches
      .retrieve('batch_missing')
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect((nf as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    const other = new OpenAI({
      baseURL: `${stack.url}/v1`,
      apiKey: 'x',
      maxRetries: 0,
      defaultHeaders: { 'x-tenant': 'b' },
    });
    const hidden = await other.files
      .retrieve(f.id)
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect((hidden as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });

  const job = async (
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: ErrorBody }> => {
    const r = await fetch(`${stack.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as ErrorBody };
  };
  const req = { route: 'chat', body: { messages: [{ role: 'user', content: 'hi' }] } };

  it.each([
    ['ftp://example.com/hook', /must use http or https/],
    ['http://127.0.0.1:8080/hook', /loopback/],
    ['http://localhost/hook', /loopback/],
    ['http://169.254.169.254/latest/meta-data', /metadata/],
    ['http://[fe80::1]/hook', /link-local/],
    ['http://10.1.2.3/hook', /private/],
    ['http://api.default.svc.cluster.local/hook', /cluster-internal/],
    ['http://my-service/hook', /cluster-internal/],
    ['https://user:pw@example.com/hook', /credentials/],
    ['not a url', /not a valid URL/],
  ])('refuses webhook %s', async (url, msg) => {
    const r = await job({ ...req, webhook_url: url });
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe('webhook_url');
    expect(r.body.error.message).toMatch(msg);
  });

  it('refuses bad job bodies, naming the field', async () => {
    expect((await job('{oops')).status).toBe(400);
    const unknown = await job({ ...req, colour: 'red' });
    expect([unknown.status, unknown.body.error.param]).toEqual([400, 'colour']);
    const noTarget = await job({ body: { messages: [] } });
    expect([noTarget.status, noTarget.body.error.param]).toEqual([400, 'route']);
    const missing = await job({ ...req, route: 'nope' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'model_not_found']);
    const prio = await job({ ...req, priority: 'urgent' });
    expect(prio.body.error.param).toBe('priority');
    const past = await job({ ...req, deadline: '2001-01-01T00:00:00Z' });
    expect([past.status, past.body.error.param]).toEqual([400, 'deadline']);
    const stream = await job({ ...req, body: { stream: true } });
    expect(stream.body.error.param).toBe('body.stream');
    const endpoint = await job({ ...req, endpoint: '/v1/audio' });
    expect(endpoint.body.error.param).toBe('endpoint');
    const none = await fetch(`${stack.url}/api/v1/jobs/job_missing`);
    expect(none.status).toBe(404);
  });

  it('an Idempotency-Key returns the same job, and other tenants cannot see it', async () => {
    const a = await job(req, { 'idempotency-key': 'k-1' });
    const b = await job(req, { 'idempotency-key': 'k-1' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(200);
    const idA = (a.body as unknown as { id: string }).id;
    expect((b.body as unknown as { id: string }).id).toBe(idA);
    const c = await job(req, { 'idempotency-key': 'k-1', 'x-tenant': 'b' });
    expect((c.body as unknown as { id: string }).id).not.toBe(idA);
    const peek = await fetch(`${stack.url}/api/v1/jobs/${idA}`, { headers: { 'x-tenant': 'b' } });
    expect(peek.status).toBe(404);
    const del = await fetch(`${stack.url}/api/v1/jobs/${idA}`, { method: 'DELETE' });
    expect(((await del.json()) as { status: string }).status).toBe('cancelled');
  });
});
