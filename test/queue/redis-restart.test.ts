import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobObject } from '@bascule/queue';
import type { RunningEngine } from '@bascule/engine-sim';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { fileLines, submitBatch } from './support/batch-client.js';
import { batchLines, startLlamaQueue, type QueueStack } from './support/queue-stack.js';

const N = 1000;
const JOBS = 20;

/** Like waitFor, but a failed call (Redis restarting) just means "not yet". */
const settle =
  <T>(f: () => Promise<T | undefined>): (() => Promise<T | undefined>) =>
  () =>
    f().catch(() => undefined);

describe('restarting redis-server (AOF) mid-batch loses no accepted job', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  let stack: QueueStack;

  beforeAll(async () => {
    redis = await startRedisServer({ aof: true, appendfsync: 'always' });
    ({ engine, stack } = await startLlamaQueue(redis, {
      slots: 32,
      outputTokens: 'uniform:2-4',
      timeScale: 20,
    }));
    await stack.startWorker({ concurrency: 32 });
  });

  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    await redis?.stop();
  });

  it('finishes the batch and every accepted job after the restart', async () => {
    const b = await submitBatch(stack.client, batchLines(N, 'chat', 'r'), 'r.jsonl');
    const accepted: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const r = await fetch(`${stack.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          route: 'chat',
          priority: 'low',
          body: { messages: [{ role: 'user', content: `job ${i}` }], max_tokens: 2 },
        }),
      });
      expect(r.status).toBe(202);
      accepted.push(((await r.json()) as JobObject).id);
    }
    await waitFor(
      'a fifth done',
      async () =>
        ((await stack.client.batches.retrieve(b.id)).request_counts?.completed ?? 0) >= N / 5,
      60_000,
    );
    await redis.restart();
    const before = (await stack.client.batches.retrieve(b.id)).request_counts!.completed;
    expect(before).toBeLessThan(N);

    const done = await waitFor(
      'batch completed after the restart',
      settle(async () => {
        const x = await stack.client.batches.retrieve(b.id);
        return x.status === 'completed' ? x : undefined;
      }),
      90_000,
    );
    expect(done.request_counts).toEqual({ total: N, completed: N, failed: 0 });
    const lines = await fileLines(stack.client, done.output_file_id!);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id));
    expect(lines).toHaveLength(N);
    expect(ids.size).toBe(N);
    for (const id of accepted) {
      const j = await waitFor(
        `job ${id}`,
        settle(async () => {
          const x = (await (await fetch(`${stack.url}/api/v1/jobs/${id}`)).json()) as JobObject;
          return x.status === 'succeeded' || x.status === 'failed' ? x : undefined;
        }),
        60_000,
      );
      expect(j.status).toBe('succeeded');
    }
  });
});
