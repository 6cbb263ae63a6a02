// Observability end to end (issue 24): one `bascule-server --roles controller,gateway,api` with
// keys, the access log at its defaults and tracing on through the standard OTEL_* variables,
// exporting to a real OTLP/HTTP receiver on loopback; kube-sim with one L4 node, an OpenAI
// provider-sim. Model `small` (L4) serves Route `chat`; Route `cold` names Model `big` (H100, no
// such node: unschedulable) first, so its requests overflow to openai/gpt-5-mini.
// (1) Requests of every endpoint family and outcome (chat, stream, completions, embeddings,
//     /v1/messages, /v1/responses, 401, 400, 404, an overflow, a cancelled stream) each leave
//     exactly one access line with their request id, key id, tenant, route, target, reason and
//     status, and no line holds the key or any prompt text.
// (2) The spans of one request, sent with a client traceparent, arrive at the receiver as one
//     tree in the client's trace: request → auth, route decision (target, reason) and upstream
//     attempt → engine request; an overflowed one has its provider call under its attempt; the
//     controller's reconciles are traced too.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../../support/otlp-receiver.js';
import { batchJsonl, submitBatch, waitForBatchEnd } from '../batch-window/batch-support.js';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  llamaOnL4,
  modelYaml,
  routeDoc,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/served-stack.js';

const ADMIN = 'bsc-e2e-observability-bootstrap-admin-0123456789';
/** Every prompt carries it: no access line may. */
const MARK = 'zebra-quartz-prompt';

interface AccessLine {
  msg: string;
  requestId: string;
  endpoint: string;
  keyId: string;
  tenant: string;
  route: string;
  target: string;
  reason: string;
  status: number;
  promptTokens: number;
  completionTokens: number;
  costUSD: number;
  latencyMs: number;
  ttftMs?: number;
  cancelled?: boolean;
}

describe.skipIf(!hasKubectl)('observability: access log and traces', () => {
  let stack: Stack;
  let serve: Serve;
  let otlp: OtlpReceiver;
  let key = '';
  let keyId = '';
  let client: OpenAI;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:1x1',
      providers: { openai: {} },
      roles: 'controller,gateway,api,worker',
      adminKey: ADMIN,
      env: {
        BASCULE_AUTH: 'keys',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_SERVICE_NAME: 'bascule-e2e',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      docs: [
        llamaOnL4('small', {
          replicas: 1,
          maxConcurrency: 8,
          capabilities: ['chat', 'completions', 'embeddings'],
          // The autoscaler reads this Model's engines (KV-cache use) and holds it at one replica.
          autoscaling: { minReplicas: 1, maxReplicas: 1 },
        }),
        modelYaml('big', {
          source: 'hf://Qwen/Qwen3-32B',
          engine: 'vllm',
          gpus: 'nvidia-h100:1',
          replicas: 1,
        }),
        routeDoc('chat', {
          strategy: 'priority',
          targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '2s' },
        }),
        routeDoc('cold', {
          strategy: 'priority',
          targets: [{ model: 'big' }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'coldStart', 'queueWait'], maxQueueWait: '100ms' },
          budgets: { dailyUSD: 5, onExceeded: 'self-hosted-only' },
        }),
      ],
    }));
    const created = await fetch(`${serve.api}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'observer',
        tenant: 'team-obs',
        budget: { usd: 10, period: 'day' },
      }),
    });
    expect(created.status).toBe(201);
    ({ key, id: keyId } = (await created.json()) as { key: string; id: string });
    client = new OpenAI({ baseURL: `${serve.gateway}/v1`, apiKey: key, maxRetries: 0 });
    await waitFor(
      'Model small serving',
      async () => {
        const m = await stack.h.kubectlJson<{ status?: { endpoints?: { ready: boolean }[] } }>([
          'get',
          'model',
          'small',
        ]);
        return m.status?.endpoints?.some((e) => e.ready) || undefined;
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await otlp?.close();
  });

  const accessLines = (): AccessLine[] =>
    serve
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"access"'))
      .map((l) => JSON.parse(l) as AccessLine);
  const lineOf = (id: string) =>
    waitFor(`access line of ${id}`, () => accessLines().find((l) => l.requestId === id), 10_000);

  it('writes exactly one line per request, of every endpoint family and outcome, with no key or prompt text', async () => {
    const ids: Record<string, string> = {};
    const msg = (i: string) => [{ role: 'user' as const, content: `${MARK} ${i}: say hi` }];

    const chat = await client.chat.completions
      .create({ model: 'chat', messages: msg('chat'), max_tokens: 8 })
      .withResponse();
    ids.chat = chat.response.headers.get('x-request-id')!;

    const streamed = await client.chat.completions
      .create({ model: 'chat', messages: msg('stream'), max_tokens: 8, stream: true })
      .withResponse();
    for await (const chunk of streamed.data) void chunk;
    ids.stream = streamed.response.headers.get('x-request-id')!;

    const completion = await client.completions
      .create({ model: 'chat', prompt: `${MARK} completion`, max_tokens: 8 })
      .withResponse();
    ids.completion = completion.response.headers.get('x-request-id')!;

    const embedding = await client.embeddings
      .create({ model: 'small', input: `${MARK} embedding` })
      .withResponse();
    ids.embedding = embedding.response.headers.get('x-request-id')!;

    const anthropic = new Anthropic({ baseURL: serve.gateway!, apiKey: key, maxRetries: 0 });
    const message = await anthropic.messages
      .create({ model: 'chat', max_tokens: 8, messages: msg('messages') })
      .withResponse();
    ids.messages = message.response.headers.get('x-request-id')!;

    const response = await client.responses
      .create({ model: 'chat', input: `${MARK} responses`, max_output_tokens: 16 })
      .withResponse();
    ids.responses = response.response.headers.get('x-request-id')!;

    const overflow = await client.chat.completions
      .create({ model: 'cold', messages: msg('overflow'), max_tokens: 8 })
      .withResponse();
    expect(overflow.response.headers.get('x-bascule-route-reason')).toMatch(/^overflow:/);
    ids.overflow = overflow.response.headers.get('x-request-id')!;

    const refused = async (p: Promise<unknown>): Promise<string> => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpenAI.APIError);
      return (err as InstanceType<typeof OpenAI.APIError>).requestID!;
    };
    const badKey = new OpenAI({
      baseURL: `${serve.gateway}/v1`,
      apiKey: 'bsc-wrong',
      maxRetries: 0,
    });
    ids.unauthorized = await refused(
      badKey.chat.completions.create({ model: 'chat', messages: msg('401') }),
    );
    ids.notFound = await refused(
      client.chat.completions.create({ model: 'no-such-route', messages: msg('404') }),
    );
    const bad = await fetch(`${serve.gateway}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: `${MARK} not a list` }),
    });
    expect(bad.status).toBe(400);
    ids.badRequest = bad.headers.get('x-request-id')!;

    // A stream the client walks away from after its first chunk.
    const ctl = new AbortController();
    const cancelled = await client.chat.completions
      .create(
        { model: 'chat', messages: msg('cancel'), max_tokens: 4000, stream: true },
        { signal: ctl.signal },
      )
      .withResponse();
    ids.cancelled = cancelled.response.headers.get('x-request-id')!;
    const it = cancelled.data[Symbol.asyncIterator]();
    await it.next();
    ctl.abort();
    await it.next().catch(() => undefined);

    for (const id of Object.values(ids)) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    const lines: Record<string, AccessLine> = {};
    for (const [name, id] of Object.entries(ids)) lines[name] = await lineOf(id);

    // A last request: once its line is out, every earlier one is too; nothing is doubled.
    const last = await client.chat.completions
      .create({ model: 'chat', messages: msg('last'), max_tokens: 4 })
      .withResponse();
    await lineOf(last.response.headers.get('x-request-id')!);
    const all = accessLines();
    expect(all).toHaveLength(Object.keys(ids).length + 1);
    expect(new Set(all.map((l) => l.requestId)).size).toBe(all.length);

    for (const name of ['chat', 'stream', 'completion', 'messages', 'responses'])
      expect(lines[name], name).toMatchObject({
        keyId,
        tenant: 'team-obs',
        route: 'chat',
        target: 'small',
        reason: 'priority',
        status: 200,
      });
    expect(lines.chat!.promptTokens).toBeGreaterThan(0);
    expect(lines.chat!.completionTokens).toBeGreaterThan(0);
    expect(lines.stream!.ttftMs).toBeGreaterThan(0);
    expect(lines.stream!.latencyMs).toBeGreaterThanOrEqual(lines.stream!.ttftMs!);
    expect(lines.chat!.endpoint).toBe('/v1/chat/completions');
    expect(lines.completion!.endpoint).toBe('/v1/completions');
    expect(lines.messages!.endpoint).toBe('/v1/messages');
    expect(lines.responses!.endpoint).toBe('/v1/responses');
    expect(lines.embedding).toMatchObject({
      endpoint: '/v1/embeddings',
      status: 200,
      target: 'small',
    });
    expect(lines.overflow).toMatchObject({
      route: 'cold',
      target: 'openai/gpt-5-mini',
      status: 200,
    });
    expect(lines.overflow!.reason).toMatch(/^overflow:/);
    expect(lines.overflow!.costUSD).toBeGreaterThan(0);
    expect(lines.unauthorized).toMatchObject({ keyId: 'anonymous', status: 401, target: 'none' });
    // A name no Route, Model or Provider has is recorded as 'unknown' (a bounded label set).
    expect(lines.notFound).toMatchObject({ keyId, status: 404, route: 'unknown' });
    expect(lines.badRequest).toMatchObject({ keyId, status: 400 });
    // The 200 had gone out before the client left: the line says it was cancelled.
    expect(lines.cancelled).toMatchObject({ keyId, status: 200, target: 'small', cancelled: true });
    expect(lines.cancelled!.completionTokens).toBeLessThan(4000);
    for (const name of Object.keys(ids))
      if (name !== 'cancelled') expect(lines[name]!.cancelled, name).toBeUndefined();

    const text = all.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(MARK);
    expect(text).not.toContain(key);
    expect(text).not.toContain('bsc-wrong');
    expect(text).not.toContain(ADMIN);
  });

  it('exports the spans of one request to the OTLP receiver as one tree in the client trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const send = (model: string, span: string) =>
      client.chat.completions
        .create(
          { model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 8 },
          { headers: { traceparent: `00-${traceId}-${span}-01` } },
        )
        .withResponse();
    const served = await send('chat', parent);
    const requestId = served.response.headers.get('x-request-id')!;
    const tree = await waitFor(
      'the request spans',
      () => {
        const spans = otlp.spans.filter((s) => s.traceId === traceId);
        const root = spans.find((s) => s.attributes['bascule.request_id'] === requestId);
        if (!root) return undefined;
        const under = (p: ReceivedSpan, name: string) =>
          spans.filter((s) => s.parentSpanId === p.spanId && s.name === name);
        const attempts = under(root, 'bascule.upstream_attempt');
        const engine = attempts.flatMap((a) => under(a, 'bascule.engine_request'));
        return engine.length > 0 ? { spans, root, under, attempts, engine } : undefined;
      },
      15_000,
    );
    const { root, under, attempts, engine } = tree;
    expect(root.parentSpanId).toBe(parent);
    expect(root.name).toBe('POST /v1/chat/completions');
    expect(root.service).toBe('bascule-e2e');
    expect(root.attributes).toMatchObject({
      'http.response.status_code': 200,
      'bascule.route': 'chat',
      'bascule.target': 'small',
      'bascule.key_id': keyId,
    });
    const auth = under(root, 'bascule.auth');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.attributes['bascule.key_id']).toBe(keyId);
    const decisions = under(root, 'bascule.route_decision');
    expect(decisions.length).toBeGreaterThanOrEqual(1);
    expect(decisions.at(-1)!.attributes).toMatchObject({
      'bascule.route.action': 'send',
      'bascule.target': 'small',
      'bascule.reason': 'priority',
    });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.attributes['bascule.target']).toBe('small');
    expect(engine[0]!.kind).toBe(3); // CLIENT: its context went to the engine as traceparent
    expect(JSON.stringify(tree.spans)).not.toContain(key);

    // An overflowed request: the decision names what it overflowed past; the provider call is
    // the attempt's child.
    const overflowParent = '1111111111111111';
    const overflowed = await send('cold', overflowParent);
    const oid = overflowed.response.headers.get('x-request-id')!;
    const call = await waitFor(
      'the overflow spans',
      () => {
        const spans = otlp.spans.filter((s) => s.traceId === traceId);
        const root = spans.find((s) => s.attributes['bascule.request_id'] === oid);
        const attempt = spans.find(
          (s) => s.parentSpanId === root?.spanId && s.name === 'bascule.upstream_attempt',
        );
        const provider = spans.find(
          (s) => s.parentSpanId === attempt?.spanId && s.name === 'bascule.provider_call',
        );
        const decision = spans.find(
          (s) => s.parentSpanId === root?.spanId && s.name === 'bascule.route_decision',
        );
        return provider && decision ? { root: root!, provider, decision } : undefined;
      },
      15_000,
    );
    expect(call.root.parentSpanId).toBe(overflowParent);
    expect(call.decision.attributes['bascule.reason']).toMatch(/^overflow:/);
    expect(String(call.decision.attributes['bascule.overflowed'])).toContain('big:');
    expect(call.provider.attributes['bascule.target']).toBe('openai/gpt-5-mini');
    // The provider received the call's context: the client's trace, the provider call's span.
    const sent = stack.sims.openai!.received().at(-1)!;
    expect(sent.traceparent).toBe(`00-${traceId}-${call.provider.spanId}-01`);

    // The controller's reconciles are traced by the same process.
    expect(
      otlp.spans.some((s) => s.name === 'bascule.reconcile' && s.attributes['bascule.model']),
    ).toBe(true);
    expect(otlp.rejected).toBe(0);
  });

  it('describe model counts the requests that overflowed away from a Model, and why', async () => {
    // One request to Route `cold` in each test above: both overflowed away from Model `big`.
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

    const metricsUrl =
      /"url":"(http:[^"]+)"[^\n]*"msg":"metrics and health endpoints listening"/.exec(
        serve.output(),
      )![1]!;
    const sample = async (name: string, labels: Record<string, string>) => {
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      for (const line of text.split('\n')) {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const have = new Map<string, string>();
        for (const x of (m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)) have.set(x[1]!, x[2]!);
        if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[3]);
      }
      return undefined;
    };
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
