// Truthful counts (issue 24), on the observability stack (support/observability-stack.ts), after
// two requests to Route `cold` have overflowed away from Model `big`: `bascule describe model`
// says how many overflowed and why; batch lines on a Route that allows closed targets are metered
// `deferred`, not `privacy`, each under its worker job span; /metrics has the overflow-away, Route
// and key budget, KV-cache and queue metrics.
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { batchJsonl, submitBatch, waitForBatchEnd } from '../batch-window/batch-support.js';
import { bascule } from '../support/bascule.js';
import {
  ADMIN,
  MARK,
  hasKubectl,
  useObservabilityStack,
  waitFor,
} from './support/observability-stack.js';

/** One chat request to Route `cold`; it must overflow away from Model `big`. */
async function sendOverflow(client: OpenAI, content: string): Promise<void> {
  const sent = await client.chat.completions
    .create({ model: 'cold', messages: [{ role: 'user', content }], max_tokens: 8 })
    .withResponse();
  expect(sent.response.headers.get('x-bascule-route-reason')).toMatch(/^overflow:/);
}

describe.skipIf(!hasKubectl)('observability: overflow counts, batch metering and metrics', () => {
  const obs = useObservabilityStack(async (o) => {
    await sendOverflow(o.client, `${MARK} overflow 1: say hi`);
    await sendOverflow(o.client, `${MARK} overflow 2: say hi`);
  });

  it('describe model counts the requests that overflowed away from a Model, and why', async () => {
    const { serve } = obs();
    // The two requests to Route `cold` sent before the tests: both overflowed away from `big`.
    const out = await waitFor(
      'describe model big with its overflow',
      async () => {
        const r = await bascule(serve.api!, ADMIN, ['describe', 'model', 'big']);
        expect(r.code, r.stderr).toBe(0);
        return /Overflow: +2 overflowed away today/.test(r.stdout) ? r.stdout : undefined;
      },
      15_000,
    );
    expect(out).toMatch(/Overflow: +2 overflowed away today \([a-z-]+ 2\); 0 served as overflow/);
    const small = await bascule(serve.api!, ADMIN, ['describe', 'model', 'small']);
    expect(small.stdout).toMatch(/Overflow: +0 overflowed away today; 0 served as overflow/);
  });

  it('meters batch lines as deferred (not privacy) and exports queue, budget, engine and overflow metrics', async () => {
    const { client, keyId, otlp, accessLines, metric: sample } = obs();
    const jsonl = batchJsonl(['a', 'b', 'c'], 'chat', 4, (id) => `${MARK} ${id}`);
    const batch = await submitBatch(client, jsonl, '24h', 'observe');
    const done = await waitForBatchEnd(client, batch.id, 30_000);
    expect(done.status).toBe('completed');
    // Route `chat` allows closed targets: its batch lines stayed in the cluster because they are
    // queued work before their deadline, and the log says so.
    const lines = await waitFor(
      'the batch lines in the access log',
      () => {
        const l = accessLines().filter((x) => x.reason === 'deferred');
        return l.length === 3 ? l : undefined;
      },
      10_000,
    );
    for (const l of lines)
      expect(l).toMatchObject({ keyId, route: 'chat', target: 'small', status: 200 });
    expect(accessLines().filter((x) => x.reason === 'privacy')).toHaveLength(0);

    // Each line ran in a worker `bascule.job` span, the parent of the gateway request it sent.
    const jobs = await waitFor(
      'the batch lines traced',
      () => {
        const runs = otlp.spans.filter(
          (j) =>
            j.name === 'bascule.job' &&
            ['a', 'b', 'c'].includes(String(j.attributes['bascule.batch.custom_id'])) &&
            otlp.spans.some(
              (r) => r.parentSpanId === j.spanId && r.name === 'POST /v1/chat/completions',
            ),
        );
        return runs.length >= 3 ? runs : undefined;
      },
      15_000,
    );
    expect(jobs.every((j) => j.kind === 5)).toBe(true); // CONSUMER

    expect(await sample('bascule_gateway_overflowed_from_total', { model: 'big' })).toBe(2);
    const routeLeft = await sample('bascule_route_budget_remaining_usd', {
      route: 'default/cold',
      period: 'day',
    });
    expect(routeLeft).toBeGreaterThan(0);
    expect(routeLeft).toBeLessThan(5);
    const keyLeft = await sample('bascule_key_budget_remaining_usd', {
      key: keyId,
      tenant: 'team-obs',
    });
    expect(keyLeft).toBeGreaterThan(0);
    expect(keyLeft).toBeLessThan(10);
    const kv = await waitFor(
      'KV-cache use of small',
      async () => {
        const v = await sample('bascule_engine_kv_cache_usage_ratio', {
          model: 'small',
          stat: 'mean',
        });
        return v === undefined ? undefined : { v };
      },
      15_000,
    ).then((x) => x.v);
    expect(kv).toBeGreaterThanOrEqual(0);
    expect(kv).toBeLessThanOrEqual(1);
    expect(await sample('bascule_queue_depth', { target: 'chat', state: 'wait' })).toBe(0);
    expect(await sample('bascule_queue_oldest_job_age_seconds', { target: 'chat' })).toBe(0);
    expect(await sample('bascule_queue_batch_lines_per_second', { batch: batch.id })).toBeCloseTo(
      3 / 60,
      5,
    );
  });
});
