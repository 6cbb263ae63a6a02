/**
 * Queue throughput: BullMQ's raw add/process rate against our worker in the same run.
 *
 *   pnpm exec tsx --conditions=source test/bench/queue-throughput.ts [jobs=4000]
 *
 * 1. raw BullMQ: addBulk of N jobs, then a Worker (concurrency 64) with an empty processor.
 * 2. our worker, instant executor: N batch lines through intake, fair priorities, capacity gate,
 *    exactly-once recording and finalisation; the executor answers at once (queue overhead only).
 * 3. our worker through the gateway to a zero-latency engine-sim (the whole path).
 * 4. async jobs: N POST /api/v1/jobs (accepted/s over HTTP, 32 concurrent), completed/s.
 * Prints a table and one JSON line. The like-for-like ratio is ours (2) against raw add-then-
 * process, since (2) also adds every job (intake) before it completes; the goal is >= 0.5. The like-for-like ratio is ours (2) against raw add-then-
 * process, since (2) also adds every job (intake) before it completes; the goal is >= 0.5.
 */
import { waitFor } from '@bascule/test-support';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
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
import OpenAI, { toFile } from 'openai';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine } from '../gateway/support/harness.js';
import { startRedisServer } from '../support/redis-server.js';
import { batchLines, startQueueStack } from '../queue/support/queue-stack.js';

const N = Number(process.argv[2] ?? 4000);
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);

async function rawBullmq(port: number): Promise<{ addPerS: number; processPerS: number }> {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const q = new Queue('raw', { connection });
  let t = performance.now();
  for (let i = 0; i < N; i += 500)
    await q.addBulk(
      Array.from({ length: Math.min(500, N - i) }, (_, j) => ({
        name: 'x',
        data: { i: i + j, body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } },
        opts: { priority: 1 + i + j, attempts: 5, removeOnComplete: { age: 3600 } },
      })),
    );
  const addPerS = rate(N, performance.now() - t);
  let done = 0;
  t = performance.now();
  let w: Worker | undefined;
  await new Promise<void>((resolve) => {
    w = new Worker(
      'raw',
      () => {
        if (++done === N) resolve();
        return Promise.resolve('ok');
      },
      { connection, concurrency: 64 },
    );
  });
  const processPerS = rate(N, performance.now() - t);
  await w?.close();
  await q.close();
  return { addPerS, processPerS };
}

async function ourInstant(url: string): Promise<{ acceptPerS: number; completePerS: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bsc-bench-'));
  const ctx = new QueueContext({ redisUrl: url, storage: createLocalFileStorage(dir) });
  const handler = createQueueHandler({ context: ctx });
  const server = createServer((req, res) => {
    if (!handler.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'x', maxRetries: 0 });
  const body = JSON.stringify({ object: 'chat.completion', choices: [] });
  const executor: JobExecutor = {
    execute: () => Promise.resolve({ status: 200, body, requestId: 'req_x' }),
  };
  const worker = new QueueWorker({
    context: ctx,
    executor,
    gate: createFixedCapacityGate(64),
    catalog: () => buildCatalog({}),
    webhookSecrets: derivedWebhookSecrets('k'),
    discoverMs: 50,
  });
  const t0 = performance.now();
  const f = await client.files.create({
    file: await toFile(Buffer.from(batchLines(N, 'm')), 'b.jsonl'),
    purpose: 'batch',
  });
  const b = await client.batches.create({
    input_file_id: f.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  const acceptMs = performance.now() - t0;
  await worker.start();
  await waitFor(
    'instant batch',
    async () => (await client.batches.retrieve(b.id)).status === 'completed',
    300_000,
  );
  const totalMs = performance.now() - t0;
  await worker.close();
  server.closeAllConnections();
  server.close();
  await ctx.close();
  await rm(dir, { recursive: true, force: true });
  return { acceptPerS: rate(N, acceptMs), completePerS: rate(N, totalMs) };
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const engine = await startEngine({
    served: 'llama',
    maxNumSeqs: 256,
    outputTokens: 'uniform:1-3',
    timeScale: 1_000_000,
  });
  try {
    const raw = await rawBullmq(redis.port);
    const instant = await ourInstant(redis.url);
    const stack = await startQueueStack({
      redis,
      models: [modelResource('llama', { maxConcurrency: 256, servedNames: ['llama'] })],
      routes: [routeResource('chat', { targets: [{ model: 'llama' }] })],
      endpoints: { llama: [engine] },
    });
    await stack.startWorker();
    let t = performance.now();
    const f = await stack.client.files.create({
      file: await toFile(Buffer.from(batchLines(N, 'chat')), 'b.jsonl'),
      purpose: 'batch',
    });
    const b = await stack.client.batches.create({
      input_file_id: f.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await waitFor(
      'batch',
      async () => (await stack.client.batches.retrieve(b.id)).status === 'completed',
      300_000,
    );
    const batchPerS = rate(N, performance.now() - t);
    // Async jobs over HTTP.
    t = performance.now();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < N) {
          next++;
          const r = await fetch(`${stack.url}/api/v1/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              route: 'chat',
              body: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 },
            }),
          });
          ids.push(((await r.json()) as { id: string }).id);
        }
      }),
    );
    const acceptedPerS = rate(ids.length, performance.now() - t);
    const last = ids.at(-1)!;
    await waitFor(
      'jobs',
      async () => (await stack.context.jobs.find(last))?.status === 'succeeded',
      300_000,
    );
    await waitFor(
      'jobs',
      async () => {
        for (let i = 0; i < ids.length; i += 97)
          if ((await stack.context.jobs.find(ids[i]!))?.status !== 'succeeded') return false;
        return true;
      },
      300_000,
    );
    const jobsPerS = rate(ids.length, performance.now() - t);
    await stack.close();
    const out = {
      jobs: N,
      raw_bullmq_add_per_s: raw.addPerS,
      raw_bullmq_process_per_s: raw.processPerS,
      ours_batch_accept_per_s: instant.acceptPerS,
      ours_batch_instant_executor_per_s: instant.completePerS,
      ours_batch_via_gateway_engine_per_s: batchPerS,
      ours_async_jobs_accepted_per_s: acceptedPerS,
      ours_async_jobs_completed_per_s: jobsPerS,
      // Like for like: ours (upload, intake = add, process, finalise) against raw add then process.
      raw_bullmq_add_then_process_per_s: Math.round(1 / (1 / raw.addPerS + 1 / raw.processPerS)),
      overhead_ms_per_job_vs_raw: Number(
        (1000 / instant.completePerS - (1000 / raw.addPerS + 1000 / raw.processPerS)).toFixed(3),
      ),
      ratio_instant_vs_raw_add_then_process: Number(
        (instant.completePerS * (1 / raw.addPerS + 1 / raw.processPerS)).toFixed(2),
      ),
      ratio_instant_vs_raw_process_only: Number(
        (instant.completePerS / raw.processPerS).toFixed(2),
      ),
    };
    for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(40)} ${v}`);
    console.log(JSON.stringify(out));
  } finally {
    await engine.close();
    await redis.stop();
  }
}

await main();
