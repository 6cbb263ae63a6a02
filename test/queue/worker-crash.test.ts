import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@bascule/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEngine } from '@bascule/engine-sim';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchCompleted, fileLines, submitBatch } from './support/batch-client.js';
import { batchLines, startLlamaQueue, type QueueStack } from './support/queue-stack.js';

const MAIN = fileURLToPath(new URL('./support/worker-main.ts', import.meta.url));
const N = 1500;

describe('a worker killed mid-batch loses and duplicates nothing', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  let stack: QueueStack;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    ({ engine, stack } = await startLlamaQueue(redis, {
      slots: 64,
      outputTokens: 'uniform:2-4',
      timeScale: 20,
    }));
  });

  afterEach(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    await redis?.stop();
  });

  async function startWorker(slots = 16, concurrency = 16): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', MAIN], {
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        GATEWAY_URL: stack.url,
        STORAGE_DIR: stack.storageDir,
        LOCK_MS: '1500',
        SLOTS: String(slots),
        CONCURRENCY: String(concurrency),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
    return child;
  }

  it('SIGKILL mid-batch, a new worker finishes it: each custom_id exactly once', async () => {
    const first = await startWorker();
    const b = await submitBatch(stack.client, batchLines(N, 'chat', 'k'), 'k.jsonl');
    await waitFor(
      'a quarter done',
      async () => {
        const x = await stack.client.batches.retrieve(b.id);
        return (x.request_counts?.completed ?? 0) >= N / 4;
      },
      60_000,
    );
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    const atKill = (await stack.client.batches.retrieve(b.id)).request_counts!.completed;
    expect(atKill).toBeLessThan(N);
    await startWorker();
    const done = await batchCompleted(
      stack.client,
      b.id,
      90_000,
      'batch completed after the crash',
    );
    expect(done.request_counts).toEqual({ total: N, completed: N, failed: 0 });
    const lines = await fileLines(stack.client, done.output_file_id!);
    expect(lines).toHaveLength(N);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id));
    expect(ids.size).toBe(N);
    for (let i = 0; i < N; i++) expect(ids.has(`k-${i}`)).toBe(true);
  });

  it('SIGTERM: the worker hands back jobs waiting for capacity, finishes those in flight and exits 0', async () => {
    const n = 400;
    // 4 slots but 16 jobs taken at once: 12 wait at the gate when the signal comes.
    const first = await startWorker(4, 16);
    const b = await submitBatch(stack.client, batchLines(n, 'chat', 'g'), 'g.jsonl');
    await waitFor(
      'some done',
      async () =>
        ((await stack.client.batches.retrieve(b.id)).request_counts?.completed ?? 0) >= 40,
      60_000,
    );
    const code = new Promise<number | null>((r) => first.once('exit', r));
    first.kill('SIGTERM');
    expect(await code).toBe(0);
    const queue = stack.context.queue('chat');
    const counts = await queue.getJobCounts('active', 'failed');
    // Nothing left active (handed back or finished) and nothing failed on the way out.
    expect(counts).toEqual({ active: 0, failed: 0 });
    expect((await stack.client.batches.retrieve(b.id)).request_counts!.completed).toBeLessThan(n);
    await startWorker();
    const done = await batchCompleted(
      stack.client,
      b.id,
      60_000,
      'completed after a graceful stop',
    );
    expect(done.request_counts).toEqual({ total: n, completed: n, failed: 0 });
    const lines = await fileLines(stack.client, done.output_file_id!);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id)).size).toBe(
      n,
    );
  });
});
