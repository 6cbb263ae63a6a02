// Scenario 6, batch: a short completion window that self-hosted capacity alone cannot meet.
// `bascule-server --roles controller,gateway,worker,api` (keys on) against kube-sim, a private
// redis-server and an OpenAI provider-sim; a Model `rush-chat` held at one replica of 2 slots
// (the worker may use 1, the other is kept for interactive traffic), far too few for the batch
// in its window.
// (1) Through a Route that allows the closed API, the worker runs lines on the Model while it
//     can, and sends the rest to the Route's closed target once waiting any longer would miss
//     the window (each line's deadline is the end of the window): the batch completes before its
//     window ends, no line fails, some lines were served by the Model and the rest by the closed
//     API, which was called exactly once for each of them.
// (2) Through a private Route the same batch never leaves the cluster: the window ends first,
//     the batch is `expired`, every custom_id appears exactly once in the output file (served)
//     or the error file (deadline_exceeded / batch_expired), and the closed API is not called.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  modelYaml,
  routeDoc,
  startServedStack,
  type Serve,
  type Stack,
} from '../support/served-stack.js';
import { batchJsonl, readOutput, submitBatch, waitForBatchEnd } from './batch-support.js';

const ADMIN = 'bsc-batch-window-admin-key-111111111';
const MODEL = 'rush-chat';
const OPEN_ROUTE = 'rush';
const PRIVATE_ROUTE = 'rush-private';
const CLOSED = 'gpt-5-mini';
const LINES = 120; // 1 slot x ~170 ms a line: ~20 s of self-hosted work for an 8 s window
const WINDOW_S = 8;
const MAX_TOKENS = 128;

describe.skipIf(!hasKubectl)('scenario 6: a batch meets a short window by overflowing', () => {
  let stack: Stack;
  let gateway = '';

  beforeAll(async () => {
    // The closed API answers at once: lines sent there late still end inside the window.
    const route = (name: string, allowExternal: boolean) =>
      routeDoc(name, {
        allowExternal,
        strategy: 'priority',
        targets: allowExternal
          ? [{ model: MODEL }, { provider: 'openai', model: CLOSED }]
          : [{ model: MODEL }],
        fallback: { triggers: ['noCapacity'], maxQueueWait: '10s' },
      });
    let serve: Serve;
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:1x1',
      providers: {
        openai: { latency: { firstTokenMs: 0, perTokenMs: 0 }, outputTokens: { min: 8, max: 8 } },
      },
      roles: 'controller,gateway,worker,api',
      adminKey: ADMIN,
      env: {
        BASCULE_AUTH: 'keys',
        BASCULE_WEBHOOK_SIGNING_KEY: 'batch-window-test-signing-key',
        BASCULE_AUTOSCALER: 'off',
      },
      docs: [
        modelYaml(MODEL, {
          source: 'hf://example/rush-chat-8b',
          engine: 'vllm',
          gpus: 'nvidia-l4:1',
          maxConcurrency: 2,
          extraArgs: ['--output-tokens', 'max'],
          autoscaling: { minReplicas: 1, maxReplicas: 1 },
        }),
        route(OPEN_ROUTE, true),
        route(PRIVATE_ROUTE, false),
      ],
    }));
    gateway = serve.gateway!;
    await stack.h.kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `model/${MODEL}`]);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('lines that cannot start on the Model in time go to the Route’s closed API; the batch completes inside its window', async () => {
    const client = stack.openai(gateway, ADMIN);
    const ids = Array.from({ length: LINES }, (_, i) => `rush-${i}`);
    const created = await submitBatch(
      client,
      batchJsonl(ids, OPEN_ROUTE, MAX_TOKENS),
      `${WINDOW_S}s`,
      'rush',
    );
    expect(created.expires_at! - created.created_at).toBe(WINDOW_S);

    const done = await waitForBatchEnd(client, created.id, 60_000);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
    expect(done.completed_at!).toBeLessThanOrEqual(done.expires_at!);
    expect(done.completed_at! - done.created_at).toBeLessThanOrEqual(WINDOW_S);

    const out = await readOutput(client, done.output_file_id!);
    expect(out.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    const by = (m: string) => out.filter((l) => l.response?.body.model === m).length;
    const selfHosted = by(MODEL);
    const closed = by(CLOSED);
    expect(selfHosted + closed).toBe(LINES);
    // Self-hosted first (many lines ran on the Model), the closed API only for the rest.
    expect(selfHosted).toBeGreaterThanOrEqual(10);
    expect(closed).toBeGreaterThan(0);
    expect(stack.sims.openai!.stats().requests).toBe(closed);
  }, 120_000);

  it('a private Route never overflows: the window ends first, the batch expires and every line is accounted for once', async () => {
    const client = stack.openai(gateway, ADMIN);
    const calls = stack.sims.openai!.stats().requests;
    const ids = Array.from({ length: LINES }, (_, i) => `private-${i}`);
    const created = await submitBatch(
      client,
      batchJsonl(ids, PRIVATE_ROUTE, MAX_TOKENS),
      `${WINDOW_S}s`,
      'private',
    );
    const done = await waitForBatchEnd(client, created.id, 60_000);
    expect(done.status).toBe('expired');
    expect(done.expired_at!).toBeGreaterThanOrEqual(done.expires_at!);

    const out = done.output_file_id ? await readOutput(client, done.output_file_id) : [];
    const errors = done.error_file_id ? await readOutput(client, done.error_file_id) : [];
    expect([...out, ...errors].map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    expect(out.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    for (const l of out) expect(l.response?.body.model).toBe(MODEL);
    for (const l of errors) expect(['deadline_exceeded', 'batch_expired']).toContain(l.error?.code);
    expect(stack.sims.openai!.stats().requests).toBe(calls);
  }, 120_000);
});
