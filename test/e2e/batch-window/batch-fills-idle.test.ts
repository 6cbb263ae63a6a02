// Scenario 6, batch: a batch fills idle capacity and meets its window.
// `bascule-server --roles controller,gateway,worker,api` (keys on, autoscaler on) against
// kube-sim and a private redis-server; a Model `batch-chat` of 8 slots per replica, 1 to 2
// replicas, idle at 1.
// (1) A user uploads a few hundred short lines with the official openai SDK (files.create +
//     batches.create) while the cluster is idle. The queued lines count as demand, so the
//     autoscaler takes the Model to its 2 replicas, and the worker keeps every slot busy but the
//     one reserved for interactive bursts: the engines' own `vllm:num_requests_running`, sampled
//     while the batch runs, climbs past what one replica holds and never beyond 2 x 8 - 1. The
//     batch completes inside its window with one output line per custom_id, all served by the
//     Model.
// (2) A second batch is filling the Model again when a burst of interactive requests arrives:
//     they are served by the Model ahead of the batch's queued lines (the worker takes no slot
//     while an interactive request waits), so the burst is over while most of the batch is still
//     to run; then the batch completes too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst } from '../support/burst.js';
import {
  hasKubectl,
  modelYaml,
  startServedStack,
  waitFor,
  type ModelView,
  type Serve,
  type Stack,
  routeDoc,
} from '../support/served-stack.js';
import {
  batchJsonl,
  readOutput,
  sampleRunning,
  submitBatch,
  waitForBatchEnd,
} from './batch-support.js';

const ADMIN = 'bsc-batch-window-admin-key-000000000';
const MODEL = 'batch-chat';
const ROUTE = 'chat';
const SLOTS = 8; // maxConcurrency per replica
const REPLICAS = 2;
const RESERVED = 1; // the worker leaves one slot per Model to interactive traffic
const MAX_TOKENS = 128; // ~170 ms a line on engine-sim at timeScale 50: slots fill up
const WINDOW_S = 24 * 3600;

describe.skipIf(!hasKubectl)('scenario 6: a batch fills idle capacity and meets its window', () => {
  let stack: Stack;
  let gateway = '';

  beforeAll(async () => {
    let serve: Serve;
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:2x1',
      roles: 'controller,gateway,worker,api',
      adminKey: ADMIN,
      env: {
        BASCULE_AUTH: 'keys',
        BASCULE_WEBHOOK_SIGNING_KEY: 'batch-window-test-signing-key',
        BASCULE_AUTOSCALER: 'on',
        BASCULE_AUTOSCALER_INTERVAL: '500ms',
      },
      docs: [
        modelYaml(MODEL, {
          source: 'hf://example/batch-chat-8b',
          engine: 'vllm',
          gpus: 'nvidia-l4:1',
          maxConcurrency: SLOTS,
          // engine-sim writes max_tokens tokens for every request: lines take a steady time.
          extraArgs: ['--output-tokens', 'max'],
          autoscaling: { minReplicas: 1, maxReplicas: REPLICAS, scaleDownDelay: '10m' },
        }),
        routeDoc(ROUTE, {
          allowExternal: false,
          strategy: 'priority',
          targets: [{ model: MODEL }],
          fallback: { triggers: ['noCapacity'], maxQueueWait: '30s' },
        }),
      ],
    }));
    gateway = serve.gateway!;
    await stack.h.kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `model/${MODEL}`]);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  const model = () => stack.h.kubectlJson<ModelView>(['get', 'model', MODEL]);

  it('an idle cluster: the backlog scales the Model up, the lines fill every free slot, and the batch completes in its window', async () => {
    const idle = await model();
    expect(idle.spec.replicas ?? 1).toBe(1);
    expect(idle.status?.replicas?.ready).toBe(1);
    const client = stack.openai(gateway, ADMIN);
    const ids = Array.from({ length: 400 }, (_, i) => `fill-${i}`);
    const running = sampleRunning(stack, MODEL);
    try {
      const created = await submitBatch(client, batchJsonl(ids, MODEL, MAX_TOKENS), '24h', 'fill');
      expect(created.request_counts?.total).toBe(ids.length);

      // Queued lines are demand: the autoscaler adds the second replica while the batch runs.
      await waitFor(
        'the batch to scale the Model up',
        async () => {
          const m = await model();
          return m.status?.replicas?.ready === REPLICAS;
        },
        60_000,
      );
      // ...and the worker fills it: more requests running than one replica holds.
      await running.reach(SLOTS + 1, 60_000);
      expect((await client.batches.retrieve(created.id)).status).toBe('in_progress');

      const done = await waitForBatchEnd(client, created.id, 90_000);
      expect(done.status).toBe('completed');
      expect(done.request_counts).toEqual({ total: ids.length, completed: ids.length, failed: 0 });
      expect(done.completed_at! - done.created_at).toBeLessThan(WINDOW_S);
      expect(done.completed_at!).toBeLessThanOrEqual(done.expires_at!);

      await running.stop();
      // Filled: near every slot of both replicas busy at the peak; never the reserved one.
      const peak = running.max();
      expect(peak.engines).toBe(REPLICAS);
      expect(peak.running).toBeGreaterThanOrEqual(REPLICAS * SLOTS - RESERVED - 3);
      expect(Math.max(...running.samples())).toBeLessThanOrEqual(REPLICAS * SLOTS - RESERVED);

      const out = await readOutput(client, done.output_file_id!);
      expect(out.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
      for (const l of out) {
        expect(l.error).toBeNull();
        expect(l.response?.status_code).toBe(200);
        expect(l.response?.body.model).toBe(MODEL);
      }
    } finally {
      await running.stop();
    }
  }, 180_000);

  it('interactive requests during a second batch are served by the Model ahead of its queued lines; the batch still completes', async () => {
    const client = stack.openai(gateway, ADMIN);
    const ids = Array.from({ length: 500 }, (_, i) => `busy-${i}`);
    const running = sampleRunning(stack, MODEL);
    try {
      const created = await submitBatch(client, batchJsonl(ids, MODEL, MAX_TOKENS), '24h', 'busy');
      // The batch holds (nearly) every slot: fewer free slots than interactive requests coming.
      const busy = await running.reach(REPLICAS * SLOTS - RESERVED - 3, 60_000);
      const BURST = 12;
      expect(REPLICAS * SLOTS - busy).toBeLessThan(BURST);
      const before = await client.batches.retrieve(created.id);
      expect(before.status).toBe('in_progress');

      const outcomes = await burst({
        client,
        route: ROUTE,
        requests: BURST,
        maxTokens: MAX_TOKENS,
        timeoutMs: 60_000,
      });
      const after = await client.batches.retrieve(created.id);

      expect(outcomes.map((o) => o.error ?? o.status)).toEqual(Array(BURST).fill(200));
      expect(outcomes.every((o) => o.target === MODEL)).toBe(true);
      // Not queued behind the batch: while the burst ran the batch finished only the lines
      // already running and the few sharing what the burst left, at most three slot-fulls (about
      // two are typical), never its backlog of hundreds, nor even the 64 lines the worker takes
      // at once. Had the lines kept the freed slots, the burst would end after the backlog.
      const remainingBefore = ids.length - before.request_counts!.completed;
      const ranDuringBurst = after.request_counts!.completed - before.request_counts!.completed;
      expect(ranDuringBurst).toBeLessThanOrEqual(3 * REPLICAS * SLOTS);
      expect(after.status).toBe('in_progress');
      expect(ranDuringBurst).toBeLessThan(remainingBefore / 4);

      const done = await waitForBatchEnd(client, created.id, 90_000);
      expect(done.status).toBe('completed');
      expect(done.request_counts).toEqual({ total: ids.length, completed: ids.length, failed: 0 });
      const out = await readOutput(client, done.output_file_id!);
      expect(new Set(out.map((l) => l.custom_id)).size).toBe(ids.length);
    } finally {
      await running.stop();
    }
  }, 180_000);
});
