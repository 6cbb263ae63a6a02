import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import {
  createFixedCapacityGate,
  createLocalFileStorage,
  createQueueHandler,
  derivedWebhookSecrets,
  QueueContext,
  QueueWorker,
  verifyWebhook,
  type JobExecutor,
  type JobObject,
} from '@bascule/queue';
import { buildCatalog } from '@bascule/router';
import type { RunningEngine } from '@bascule/engine-sim';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchCompleted, fileLines, submitBatch } from './support/batch-client.js';
import { startLlamaQueue, type QueueStack } from './support/queue-stack.js';

const line = (id: string, body: Record<string, unknown>): string =>
  JSON.stringify({
    custom_id: id,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'chat', ...body },
  }) + '\n';
const hi = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };

interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('final errors, dead letters and signed webhooks (real gateway and engine)', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  let stack: QueueStack;
  let receiver: Server;
  let hookUrl: string;
  const deliveries: Delivery[] = [];
  let failFirst = 2;

  beforeAll(async () => {
    redis = await startRedisServer();
    ({ engine, stack } = await startLlamaQueue(redis, {
      slots: 16,
      outputTokens: 'uniform:1-3',
      timeScale: 1000,
    }));
    await stack.startWorker();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.writeHead(failFirst-- > 0 ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    receiver?.close();
    await redis?.stop();
  });

  it('4xx answers are final: they land in the error file and the dead-letter view', async () => {
    const text =
      line('ok-1', hi) + line('bad-1', { messages: 'nope' }) + line('ok-2', hi) + line('bad-2', {});
    const b = await submitBatch(stack.client, text, 'e.jsonl');
    const done = await batchCompleted(stack.client, b.id, 30_000);
    expect(done.request_counts).toEqual({ total: 4, completed: 2, failed: 2 });
    const errors = (await fileLines(stack.client, done.error_file_id!)).map(
      (l) =>
        JSON.parse(l) as {
          custom_id: string;
          response: { status_code: number; body: { error: { message: string } } };
        },
    );
    expect(errors.map((e) => e.custom_id).sort()).toEqual(['bad-1', 'bad-2']);
    for (const e of errors) {
      expect(e.response.status_code).toBe(400);
      expect(e.response.body.error.message).toMatch(/messages/);
    }
    const out = await fileLines(stack.client, done.output_file_id!);
    expect(out.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id).sort()).toEqual([
      'ok-1',
      'ok-2',
    ]);
    const dead = (await (await fetch(`${stack.url}/api/v1/dead-letter?model=chat`)).json()) as {
      data: { custom_id: string; batch_id: string; failed_reason: string; attempts: number }[];
    };
    const mine = dead.data.filter((d) => d.batch_id === b.id);
    expect(mine.map((d) => d.custom_id).sort()).toEqual(['bad-1', 'bad-2']);
    for (const d of mine) {
      expect(d.failed_reason).toMatch(/upstream answered 400/);
      expect(d.attempts).toBe(1);
    }
  });

  it('sends a signed, timestamped webhook and retries it until the receiver takes it', async () => {
    const r = await fetch(`${stack.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'chat', body: hi, webhook_url: hookUrl }),
    });
    const job = (await r.json()) as JobObject;
    await waitFor('three deliveries', () => deliveries.length >= 3, 30_000);
    const last = deliveries[2]!;
    const id = String(last.headers['webhook-id']);
    const ts = Number(last.headers['webhook-timestamp']);
    const sig = String(last.headers['webhook-signature']);
    const secret = await derivedWebhookSecrets('test-signing-key')('anonymous');
    expect(verifyWebhook({ secret, id, timestamp: ts, body: last.body, signature: sig })).toBe(
      true,
    );
    expect(
      verifyWebhook({ secret: `${secret}x`, id, timestamp: ts, body: last.body, signature: sig }),
    ).toBe(false);
    expect(
      verifyWebhook({
        secret,
        id,
        timestamp: ts,
        body: last.body.replace('succeeded', 'failed'),
        signature: sig,
      }),
    ).toBe(false);
    expect(
      verifyWebhook({ secret, id, timestamp: ts - 3600, body: last.body, signature: sig }),
    ).toBe(false);
    const event = JSON.parse(last.body) as { type: string; data: JobObject };
    expect(event.type).toBe('job.succeeded');
    expect(event.data.id).toBe(job.id);
    expect(event.data.response?.status_code).toBe(200);
    // The same event id on every attempt, so receivers can deduplicate.
    expect(new Set(deliveries.map((d) => d.headers['webhook-id'])).size).toBe(1);
    expect(deliveries).toHaveLength(3);
  });
});

describe('retryable failures back off and retry; exhausted ones are recorded once', () => {
  let redis: RunningRedisServer;
  let ctx: QueueContext;
  let worker: QueueWorker;
  let dir: string;
  let client: OpenAI;
  let server: Server;
  const attempts = new Map<string, number>();

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = await mkdtemp(join(tmpdir(), 'bsc-retry-'));
    ctx = new QueueContext({
      redisUrl: redis.url,
      storage: createLocalFileStorage(dir),
      attempts: 4,
      backoffMs: 20,
    });
    const handler = createQueueHandler({ context: ctx });
    server = createServer((req, res) => {
      if (!handler.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new OpenAI({
      baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
      apiKey: 'x',
      maxRetries: 0,
    });
    // An injected executor standing in for an upstream that is briefly unavailable.
    const executor: JobExecutor = {
      execute({ body }) {
        const id = String((body.messages as { content: string }[])[0]?.content);
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        const ok = id.startsWith('flaky') && n >= 3;
        return Promise.resolve(
          ok
            ? {
                status: 200,
                body: '{"object":"chat.completion","choices":[]}',
                requestId: `req_${id}`,
              }
            : { status: 503, body: '{"error":{"message":"busy"}}', requestId: `req_${id}_${n}` },
        );
      },
    };
    worker = new QueueWorker({
      context: ctx,
      executor,
      gate: createFixedCapacityGate(4),
      catalog: () => buildCatalog({}),
      webhookSecrets: derivedWebhookSecrets('k'),
      discoverMs: 50,
    });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.close();
    server?.close();
    await ctx?.close();
    await rm(dir, { recursive: true, force: true });
    await redis?.stop();
  });

  it('a flaky line succeeds on its third attempt, a dead one fails after all four', async () => {
    const text =
      line('flaky', { messages: [{ role: 'user', content: 'flaky' }] }) +
      line('dead', { messages: [{ role: 'user', content: 'dead' }] });
    const b = await submitBatch(client, text, 'r.jsonl');
    const done = await batchCompleted(client, b.id, 30_000);
    expect(attempts.get('flaky')).toBe(3);
    expect(attempts.get('dead')).toBe(4);
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    const err = JSON.parse(
      (await (await client.files.content(done.error_file_id!)).text()).trim(),
    ) as {
      custom_id: string;
      response: { status_code: number };
    };
    expect(err).toMatchObject({ custom_id: 'dead', response: { status_code: 503 } });
    const failed = await ctx.queue('chat').getFailed();
    expect(failed.map((j) => [j.data.customId, j.attemptsMade])).toEqual([['dead', 4]]);
  });
});
