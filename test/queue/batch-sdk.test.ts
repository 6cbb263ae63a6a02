import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type { RunningEngine } from '@bascule/engine-sim';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchCompleted, fileLines, submitBatch } from './support/batch-client.js';
import { batchLines, startLlamaQueue, type QueueStack } from './support/queue-stack.js';

describe('Batch API through the openai SDK', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  let stack: QueueStack;

  beforeAll(async () => {
    redis = await startRedisServer();
    ({ engine, stack } = await startLlamaQueue(redis, {
      slots: 256,
      outputTokens: 'uniform:1-3',
      timeScale: 1_000_000,
    }));
    await stack.startWorker();
  });

  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    await redis?.stop();
  });

  it('completes a 10,000-line batch with exactly one output line per custom_id', async () => {
    const n = 10_000;
    const file = await stack.client.files.create({
      file: await toFile(Buffer.from(batchLines(n, 'chat')), 'big.jsonl'),
      purpose: 'batch',
    });
    expect(file.purpose).toBe('batch');
    expect(file.bytes).toBeGreaterThan(n * 50);
    const created = await stack.client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { run: 'sdk-10k' },
    });
    expect(created.status).toBe('validating');
    expect(created.request_counts?.total).toBe(n);
    const done = await batchCompleted(stack.client, created.id, 90_000, 'batch completed');
    expect(done.request_counts).toEqual({ total: n, completed: n, failed: 0 });
    expect(done.output_file_id).toBeTruthy();
    expect(done.error_file_id).toBeNull();
    expect(done.in_progress_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.completed_at).toBeGreaterThanOrEqual(done.finalizing_at ?? 0);
    const out = await (await stack.client.files.content(done.output_file_id!)).text();
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(n);
    const ids = new Set<string>();
    for (const l of lines) {
      const row = JSON.parse(l) as {
        id: string;
        custom_id: string;
        response: {
          status_code: number;
          request_id: string;
          body: { object: string; choices: unknown[] };
        };
        error: null;
      };
      ids.add(row.custom_id);
      expect(row.id).toMatch(/^batch_req_/);
      expect(row.response.status_code).toBe(200);
      expect(row.response.body.object).toBe('chat.completion');
      expect(row.error).toBeNull();
    }
    expect(ids.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(ids.has(`req-${i}`)).toBe(true);
    const meta = await stack.client.files.retrieve(done.output_file_id!);
    expect(meta.purpose).toBe('batch_output');
    expect(meta.bytes).toBe(Buffer.byteLength(out));
  });

  it('lists batches newest first with after/limit paging, and cancels one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const b = await submitBatch(stack.client, batchLines(2, 'chat', `p${i}`), 'p.jsonl');
      ids.push(b.id);
    }
    const first = await stack.client.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const next = await stack.client.batches.list({ limit: 2, after: ids[1] });
    expect(next.data[0]?.id).toBe(ids[0]);
    const all: string[] = [];
    for await (const b of stack.client.batches.list({ limit: 2 })) all.push(b.id);
    expect(all.slice(0, 3)).toEqual([ids[2], ids[1], ids[0]]);
    expect(all.length).toBeGreaterThanOrEqual(4);

    const b = await submitBatch(stack.client, batchLines(5, 'chat', 'c'), 'c.jsonl');
    const c = await stack.client.batches.cancel(b.id).catch((e: unknown) => e as Error);
    if (c instanceof Error) {
      // It finished before the cancel: a 409 that says so.
      expect(c.message).toMatch(/can no longer be cancelled/);
      return;
    }
    expect(['cancelling', 'cancelled']).toContain(c.status);
    const end = await waitFor(
      'cancelled',
      async () => {
        const x = await stack.client.batches.retrieve(b.id);
        return x.status === 'cancelled' ? x : undefined;
      },
      20_000,
    );
    expect(end.cancelled_at).toBeGreaterThan(0);
    const counts = end.request_counts!;
    let errLines = 0;
    if (end.error_file_id) errLines = (await fileLines(stack.client, end.error_file_id)).length;
    let outLines = 0;
    if (end.output_file_id) outLines = (await fileLines(stack.client, end.output_file_id)).length;
    expect(outLines).toBe(counts.completed);
    expect(outLines + errLines).toBe(5);
  });
});
