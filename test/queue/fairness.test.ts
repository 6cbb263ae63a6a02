import { createServer, type Server } from 'node:http';
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
  type JobExecutor,
} from '@bascule/queue';
import { buildCatalog } from '@bascule/router';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchCompleted, submitBatch } from './support/batch-client.js';

/** Lines whose message is their custom_id, so the executor can tell them apart. */
const lines = (n: number, prefix: string): string =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      custom_id: `${prefix}-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'chat', messages: [{ role: 'user', content: `${prefix}-${i}` }] },
    }),
  ).join('\n');

describe('priorities and fairness across tenants', () => {
  let redis: RunningRedisServer;
  let ctx: QueueContext;
  let worker: QueueWorker;
  let server: Server;
  let dir: string;
  let base: string;
  const order: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = await mkdtemp(join(tmpdir(), 'bsc-fair-'));
    ctx = new QueueContext({ redisUrl: redis.url, storage: createLocalFileStorage(dir) });
    const handler = createQueueHandler({
      context: ctx,
      authenticate: (req) => ({ tenant: String(req.headers['x-tenant']) }),
    });
    server = createServer((req, res) => {
      if (!handler.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // One slot, a few ms per request: the order of execution is the queue's order.
    const executor: JobExecutor = {
      async execute({ body }) {
        order.push(String((body.messages as { content: string }[])[0]?.content));
        // Simulated service time (keeps a backlog queued), not synchronisation: waits are waitFor.
        await new Promise((r) => setTimeout(r, 3));
        return {
          status: 200,
          body: '{"object":"chat.completion","choices":[]}',
          requestId: 'req_x',
        };
      },
    };
    worker = new QueueWorker({
      context: ctx,
      executor,
      gate: createFixedCapacityGate(1),
      catalog: () => buildCatalog({}),
      webhookSecrets: derivedWebhookSecrets('k'),
      concurrency: 1,
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

  const client = (tenant: string): OpenAI =>
    new OpenAI({
      baseURL: `${base}/v1`,
      apiKey: 'x',
      maxRetries: 0,
      defaultHeaders: { 'x-tenant': tenant },
    });

  it("a tenant's small batch and a high-priority job do not wait behind another tenant's backlog", async () => {
    const a = client('a');
    const ba = await submitBatch(a, lines(400, 'a'), 'a.jsonl');
    await waitFor(
      'backlog running',
      async () => (await a.batches.retrieve(ba.id)).status === 'in_progress' && order.length > 20,
      30_000,
    );

    const startB = order.length;
    const b = client('b');
    const bb = await submitBatch(b, lines(3, 'b'), 'b.jsonl');
    const startU = order.length;
    const r = await fetch(`${base}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'a' },
      body: JSON.stringify({
        model: 'chat',
        priority: 'high',
        body: { messages: [{ role: 'user', content: 'urgent' }] },
      }),
    });
    expect(r.status).toBe(202);
    await batchCompleted(b, bb.id, 30_000, "b's batch");
    const bIdx = ['b-0', 'b-1', 'b-2'].map((id) => order.indexOf(id));
    const urgent = order.indexOf('urgent');
    expect(Math.min(...bIdx)).toBeGreaterThanOrEqual(startB);
    expect(urgent).toBeGreaterThanOrEqual(startU);
    // b's lines alternate with a's: each runs within a few turns, long before a's backlog ends.
    expect(Math.max(...bIdx) - startB).toBeLessThan(40);
    expect(urgent - startU).toBeLessThan(8);
    const aCounts = (await a.batches.retrieve(ba.id)).request_counts!;
    expect(aCounts.completed).toBeLessThan(400);
    await batchCompleted(a, ba.id, 60_000, "a's batch");
    expect(new Set(order).size).toBe(order.length);
  });
});
