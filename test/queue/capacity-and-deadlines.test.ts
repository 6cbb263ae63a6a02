import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import type { JobObject } from '@bascule/queue';
import type { RunningEngine } from '@bascule/engine-sim';
import type { RunningProviderSim } from '@bascule/provider-sim';
import { modelResource, providerResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine, startProviders } from '../gateway/support/harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { batchLines, startQueueStack, type QueueStack } from './support/queue-stack.js';

const CAPACITY = 4;

describe('queued work only uses headroom; deadlines go external unless the Route is private', () => {
  let redis: RunningRedisServer;
  let engine: RunningEngine;
  let providers: { openai: RunningProviderSim };
  let stack: QueueStack;

  beforeAll(async () => {
    redis = await startRedisServer();
    engine = await startEngine({
      served: 'llama',
      maxNumSeqs: CAPACITY,
      outputTokens: 'uniform:8-12',
      timeScale: 1,
    });
    providers = await startProviders(['openai']);
    stack = await startQueueStack({
      redis,
      models: [modelResource('llama', { maxConcurrency: CAPACITY, servedNames: ['llama'] })],
      providers: [providerResource('oa', 'openai', providers.openai.url, ['gpt-5-mini'])],
      routes: [
        routeResource('open', {
          targets: [{ model: 'llama' }, { model: 'gpt-5-mini', provider: 'oa' }],
        }),
        routeResource('private', { targets: [{ model: 'llama' }], allowExternal: false }),
      ],
      endpoints: { llama: [engine] },
    });
    await stack.startWorker({ defaultEstimateMs: 300, deadlineMarginMs: 200 });
  });

  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    await providers?.openai.close();
    await redis?.stop();
  });

  /** Closed-loop interactive clients on the private Route (never overflow), more than the slots. */
  async function interactiveLoad(
    until: () => boolean,
    maxRequests: number,
  ): Promise<{ latencies: number[]; maxInFlight: number }> {
    const latencies: number[] = [];
    let maxInFlight = 0;
    let sent = 0;
    const deadline = Date.now() + 30_000;
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, stack.gateway.tracker.modelInFlightCount('llama'));
    }, 2);
    await Promise.all(
      Array.from({ length: CAPACITY * 2 }, async () => {
        while (!until() && sent < maxRequests && Date.now() < deadline) {
          sent++;
          const t0 = performance.now();
          const r = await stack.client.chat.completions.create({
            model: 'private',
            messages: [{ role: 'user', content: 'hello there' }],
          });
          expect(r.choices[0]?.message.content).toBeTruthy();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    clearInterval(sampler);
    return { latencies, maxInFlight };
  }

  const submit = async (body: Record<string, unknown>): Promise<JobObject> => {
    const r = await fetch(`${stack.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(202);
    return (await r.json()) as JobObject;
  };
  const get = async (id: string): Promise<JobObject> =>
    (await (await fetch(`${stack.url}/api/v1/jobs/${id}`)).json()) as JobObject;
  const msgs = { messages: [{ role: 'user', content: 'summarise this' }], max_tokens: 4 };

  it('waits while interactive load saturates the Model, meets deadlines externally, fails private ones clearly', async () => {
    const baseline = await interactiveLoad(() => false, 40);
    providers.openai.resetStats();

    let stop = false;
    const load = interactiveLoad(() => stop, 5000);
    await waitFor(
      'saturation',
      () =>
        stack.gateway.tracker.modelInFlightCount('llama') === CAPACITY &&
        stack.gateway.tracker.waitingCount('llama') > 0,
      10_000,
    );
    const patient = await submit({ route: 'open', body: msgs });
    const inAHurry = await submit({
      route: 'open',
      body: msgs,
      deadline: new Date(Date.now() + 2500).toISOString(),
    });
    const privateHurry = await submit({
      route: 'private',
      body: msgs,
      deadline: new Date(Date.now() + 2500).toISOString(),
    });
    const f = await stack.client.files.create({
      file: await toFile(Buffer.from(batchLines(20, 'private', 'sat')), 'sat.jsonl'),
      purpose: 'batch',
    });
    const batch = await stack.client.batches.create({
      input_file_id: f.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });

    const terminal = (j: JobObject): boolean =>
      ['succeeded', 'failed', 'cancelled'].includes(j.status);
    const hurried = await waitFor(
      'hurried job',
      async () => {
        const j = await get(inAHurry.id);
        return terminal(j) ? j : undefined;
      },
      20_000,
    );
    const privateDone = await waitFor(
      'private job',
      async () => {
        const j = await get(privateHurry.id);
        return terminal(j) ? j : undefined;
      },
      20_000,
    );
    // Still under load: the patient job and the batch have not run.
    const patientDuringLoad = await get(patient.id);
    const batchDuringLoad = await stack.client.batches.retrieve(batch.id);
    stop = true;
    const loaded = await load;

    expect(hurried, JSON.stringify(hurried.error)).toMatchObject({ status: 'succeeded' });
    expect(hurried.served_by).toBe('external');
    expect((hurried.response?.body as { model: string }).model).toBe('gpt-5-mini');
    expect(privateDone.status).toBe('failed');
    expect(privateDone.error?.code).toBe('deadline_exceeded');
    expect(privateDone.error?.message).toMatch(
      /Route 'private' is private \(allowExternal: false\)/,
    );
    expect(patientDuringLoad.status).toBe('queued');
    expect(batchDuringLoad.request_counts?.completed).toBe(0);
    // Exactly one request reached the provider: the hurried job. The private one never did.
    expect(providers.openai.stats().requests).toBe(1);
    // Queued work never took a slot from interactive traffic: in flight never exceeded capacity.
    expect(loaded.maxInFlight).toBeLessThanOrEqual(CAPACITY);
    expect(baseline.maxInFlight).toBeLessThanOrEqual(CAPACITY);
    const p50 = (xs: number[]): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.log(
      `interactive p50 ${p50(baseline.latencies).toFixed(1)} ms alone, ${p50(loaded.latencies).toFixed(1)} ms with queued work waiting`,
    );

    // Load gone: the patient job and the batch run on the Model.
    const patientAfter = await waitFor(
      'patient job',
      async () => {
        const j = await get(patient.id);
        return terminal(j) ? j : undefined;
      },
      20_000,
    );
    expect(patientAfter.status).toBe('succeeded');
    expect(patientAfter.served_by).toBe('self-hosted');
    const done = await waitFor(
      'batch',
      async () => {
        const b = await stack.client.batches.retrieve(batch.id);
        return b.status === 'completed' ? b : undefined;
      },
      20_000,
    );
    expect(done.request_counts).toEqual({ total: 20, completed: 20, failed: 0 });
    expect(providers.openai.stats().requests).toBe(1);
  });

  it('a private Route batch past its window expires and reports what finished; nothing reaches a provider', async () => {
    providers.openai.resetStats();
    let stop = false;
    const load = interactiveLoad(() => stop, 5000);
    const f = await stack.client.files.create({
      file: await toFile(Buffer.from(batchLines(6, 'private', 'exp')), 'exp.jsonl'),
      purpose: 'batch',
    });
    const b = await stack.client.batches.create({
      input_file_id: f.id,
      endpoint: '/v1/chat/completions',
      // Bascule accepts windows shorter than OpenAI's 24h (the SDK's type only knows 24h).
      completion_window: '2s' as '24h',
    });
    const expired = await waitFor(
      'expired',
      async () => {
        const x = await stack.client.batches.retrieve(b.id);
        return x.status === 'expired' ? x : undefined;
      },
      20_000,
    );
    stop = true;
    await load;
    expect(expired.expired_at).toBeGreaterThan(0);
    expect(expired.request_counts?.total).toBe(6);
    const errors = (await (await stack.client.files.content(expired.error_file_id!)).text())
      .trimEnd()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { custom_id: string; error: { code: string; message: string } | null },
      );
    const finished = expired.request_counts!.completed;
    expect(errors.length + finished).toBe(6);
    expect(new Set(errors.map((e) => e.custom_id)).size).toBe(errors.length);
    for (const e of errors) expect(['batch_expired', 'deadline_exceeded']).toContain(e.error?.code);
    expect(providers.openai.stats().requests).toBe(0);
  });
});
