// `bascule-server --roles controller,gateway,worker,api` as one process against kube-sim and a
// private redis-server, with keys on: the official openai SDK, pointed at the gateway port, runs
// a Batch end to end (the worker sends each line back through the same gateway with a key).
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
} from '../../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../../support/redis-server.js';
import { batchJsonl } from '../batch-window/batch-support.js';

const ADMIN = 'bsc-serve-batch-admin-key-0000000000';
const MODEL = 'tiny-chat';
const LINES = 20;

describe.skipIf(!hasKubectl)('bascule-server: the Batch API on the gateway port', () => {
  let h: Harness;
  let redis: RunningRedisServer;
  let out: () => string = () => '';
  let gateway = '';

  beforeAll(async () => {
    h = await startHarness('l4:1x1');
    redis = await startRedisServer();
    await h.kubectl(
      ['apply', '-f', '-'],
      modelYaml(MODEL, {
        source: 'hf://example/tiny-chat',
        engine: 'vllm',
        gpus: 'nvidia-l4:1',
        maxConcurrency: 8,
        autoscaling: { minReplicas: 1, maxReplicas: 1 },
      }),
    );
    // The worker must find the gateway of its own process, not a configured URL (undefined
    // removes a variable from the inherited environment).
    const serve = h.spawnServe(
      [
        '--roles',
        'controller,gateway,worker,api',
        '--metrics-host',
        '127.0.0.1',
        '--metrics-port',
        '0',
      ],
      {
        BASCULE_GATEWAY_HOST: '127.0.0.1',
        BASCULE_GATEWAY_PORT: '0',
        BASCULE_API_HOST: '127.0.0.1',
        BASCULE_API_PORT: '0',
        BASCULE_REDIS_URL: redis.url,
        BASCULE_AUTH: 'keys',
        BASCULE_ADMIN_KEY: ADMIN,
        // provider-sims and webhook receivers live on loopback (as pnpm start allows it).
        BASCULE_EGRESS_ALLOW: '127.0.0.0/8,::1',
        BASCULE_BATCH_DIR: join(h.dir, 'batches'),
        BASCULE_WEBHOOK_SIGNING_KEY: 'serve-batch-test-signing-key',
        BASCULE_GATEWAY_URL: undefined,
        BASCULE_WORKER_KEY: undefined,
      },
    );
    out = serve.output;
    gateway = await waitFor(
      'gateway listening',
      () => /"url":"(http:[^"]+)"[^\n]*"msg":"gateway listening"/.exec(out())?.[1],
      40_000,
    );
    await waitFor('worker started', () => out().includes('"msg":"worker started"'), 20_000);
    await h.kubectl(['wait', '--for=condition=Ready', '--timeout=30s', `model/${MODEL}`]);
  }, 90_000);

  afterAll(async () => {
    await redis?.stop();
    await h?.close();
  });

  it('uploads, runs and downloads a batch with the openai SDK, one output line per custom_id', async () => {
    // One process: the worker takes the gateway's in-flight gate, URL and (admin) key.
    expect(out()).toMatch(
      /"gate":"gateway in-flight","gatewayUrl":"http:\/\/127\.0\.0\.1:\d+","gatewayKey":true/,
    );
    const client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: ADMIN, maxRetries: 0 });
    const ids = Array.from({ length: LINES }, (_, i) => `line-${i}`);
    const jsonl = batchJsonl(ids, MODEL, 8, (id) => `Say ${id}.`);
    const file = await client.files.create({
      file: await toFile(Buffer.from(jsonl), 'serve-batch.jsonl'),
      purpose: 'batch',
    });
    expect(file.purpose).toBe('batch');
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect(created.request_counts?.total).toBe(LINES);
    const done = await waitFor(
      'batch finished',
      async () => {
        const b = await client.batches.retrieve(created.id);
        return ['completed', 'failed', 'expired', 'cancelled'].includes(b.status) ? b : undefined;
      },
      40_000,
    );
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
    const text = await (await client.files.content(done.output_file_id!)).text();
    const lines = text
      .trimEnd()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            custom_id: string;
            response: { status_code: number; body: { choices: unknown[] } };
          },
      );
    expect(lines.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    for (const l of lines) {
      expect(l.response.status_code).toBe(200);
      expect(l.response.body.choices.length).toBeGreaterThan(0);
    }
    // Keys are on: the Batch API on the gateway port refuses an unknown key.
    const stranger = new OpenAI({
      baseURL: `${gateway}/v1`,
      apiKey: 'bsc-not-a-real-key-00000000000000',
      maxRetries: 0,
    });
    await expect(stranger.batches.retrieve(created.id)).rejects.toMatchObject({ status: 401 });
    // Inference still goes to the gateway's own routes.
    const reply = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4,
    });
    expect(reply.choices.length).toBe(1);
    expect(out()).not.toContain(ADMIN);
    expect(out()).not.toMatch(/queue worker error|autoscaler.*error|role failed/);
  }, 60_000);
});
