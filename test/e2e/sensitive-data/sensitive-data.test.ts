// Scenario 11, sensitive data stays in the cluster: three Routes put a closed model first
// (openai/gpt-5-mini, then the self-hosted Model), so without detection every request goes to
// the provider-sim. Each Route runs every detector class and a custom pattern, with one action:
// keep (guard-keep), redact (guard-redact) or refuse (guard-refuse). Through the official openai
// SDK, one prompt per class (the sensitive value placed in turn in a user turn, the system
// prompt, a tool call's arguments and a tool result):
// (1) keep: served by the Model (reason privacy), and the provider-sim's own counters do not move;
// (2) redact: served by the provider, which received `[REDACTED:<class>]` and never the value;
// (3) refuse: 400 sensitive_data_refused naming the class, nothing sent anywhere;
// (4) audit: /metrics counts each class and action, the log has one `privacy detection` line per
//     request, `route explain` names the class and action, and no log line, header, error or
//     explanation carries a sensitive value.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  llamaOnL4,
  routeDoc,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/served-stack.js';
import { delta, scrape, total } from '../hybrid-routing/gateway-client.js';

const MODEL = 'private-llm';
const CLOSED = 'openai/gpt-5-mini';
const ADMIN_KEY = 'bsc-e2e-sensitive-admin-key-000';

/** One prompt per detector class; `value` is what must never leave (or be logged). */
const CASES = [
  { cls: 'payment-card', value: '4111 1111 1111 1111', say: 'Refund the card {} please.' },
  { cls: 'iban', value: 'GB82 WEST 1234 5698 7654 32', say: 'Wire the deposit to {} today.' },
  { cls: 'national-id', value: '123-45-6789', say: 'My SSN is {} for the form.' },
  { cls: 'email', value: 'jane.doe@example.com', say: 'Write to {} about the order.' },
  { cls: 'phone', value: '+44 20 7946 0958', say: 'Call me back on {} tomorrow.' },
  { cls: 'ip-address', value: '203.0.113.77', say: 'The server at {} is down again.' },
  { cls: 'secret', value: 'AKIAIOSFODNN7EXAMPLE', say: 'Why does key {} get a 403?' },
  { cls: 'custom:employee-id', value: 'EMP-482913', say: 'Employee {} asked for leave.' },
] as const;
const PLACES = ['user', 'system', 'tool-arguments', 'tool-result'] as const;
type Place = (typeof PLACES)[number];

const CLASSES = CASES.filter((c) => !c.cls.startsWith('custom:')).map((c) => c.cls);
const guard = (name: string, action: string) =>
  routeDoc(name, {
    targets: [{ provider: 'openai', model: 'gpt-5-mini' }, { model: MODEL }],
    privacy: {
      detect: CLASSES.map((c) => ({ class: c, action })),
      patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}', action }],
      // The bound itself is unit-tested with an injected clock; here it must never be what fires.
      scanTimeout: '2s',
    },
  });

/** A conversation carrying `text` in the given place. */
function messages(
  text: string,
  place: Place,
): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  const call = { id: 'call_1', type: 'function' as const };
  switch (place) {
    case 'user':
      return [{ role: 'user', content: text }];
    case 'system':
      return [
        { role: 'system', content: `Context for this ticket: ${text}` },
        { role: 'user', content: 'Summarise the ticket.' },
      ];
    case 'tool-arguments':
      return [
        { role: 'user', content: 'Look the customer up.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { ...call, function: { name: 'lookup', arguments: JSON.stringify({ note: text }) } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"found":true}' },
      ];
    case 'tool-result':
      return [
        { role: 'user', content: 'Look the customer up.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ ...call, function: { name: 'lookup', arguments: '{"id":7}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ note: text }) },
      ];
  }
}

interface Outcome {
  status: number;
  target: string | null;
  reason: string | null;
  detected: string | null;
  error?: { code?: string | null; message: string };
}

async function send(
  client: OpenAI,
  route: string,
  msgs: OpenAI.Chat.Completions.ChatCompletionMessageParam[],
  stream = false,
): Promise<Outcome> {
  const head = (r: Response) => ({
    status: r.status,
    target: r.headers.get('x-bascule-target'),
    reason: r.headers.get('x-bascule-route-reason'),
    detected: r.headers.get('x-bascule-privacy-detected'),
  });
  try {
    if (stream) {
      const { data, response } = await client.chat.completions
        .create({ model: route, messages: msgs, max_tokens: 8, stream: true })
        .withResponse();
      for await (const chunk of data) void chunk;
      return head(response);
    }
    const { response } = await client.chat.completions
      .create({ model: route, messages: msgs, max_tokens: 8 })
      .withResponse();
    return head(response);
  } catch (err) {
    if (!(err instanceof OpenAI.APIError)) throw err;
    const h = err.headers as Headers | undefined;
    return {
      status: (err.status as number | undefined) ?? 0,
      target: h?.get('x-bascule-target') ?? null,
      reason: h?.get('x-bascule-route-reason') ?? null,
      detected: h?.get('x-bascule-privacy-detected') ?? null,
      error: { code: err.code ?? null, message: err.message },
    };
  }
}

describe.skipIf(!hasKubectl)('scenario 11: sensitive data stays in the cluster', () => {
  let stack: Stack;
  let serve: Serve;
  let gateway = '';
  const provider = () => stack.sims.openai!;

  beforeAll(async () => {
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:1x1',
      providers: { openai: {} },
      adminKey: ADMIN_KEY,
      docs: [
        llamaOnL4(MODEL, { maxConcurrency: 8, replicas: 1 }),
        guard('guard-keep', 'keep'),
        guard('guard-redact', 'redact'),
        guard('guard-refuse', 'refuse'),
      ],
    }));
    gateway = serve.gateway!;
    await stack.h.kubectl(['wait', '--for=condition=Ready', `model/${MODEL}`, '--timeout=60s']);
    // The Model and the Provider are known to the gateway: a kept request is served by the
    // Model, an ordinary one by the provider.
    const client = stack.openai(gateway);
    const first = CASES[0];
    await waitFor(
      'the gateway routing kept requests to the Model and others to the provider',
      async () =>
        (await send(client, 'guard-keep', messages(first.say.replace('{}', first.value), 'user')))
          .target === MODEL &&
        (await send(client, 'guard-keep', messages('Hello', 'user'))).target === CLOSED,
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('without sensitive data each Route sends to the closed model first (the control)', async () => {
    const before = provider().stats().requests;
    for (const route of ['guard-keep', 'guard-redact']) {
      const o = await send(stack.openai(gateway), route, messages('Say hello politely.', 'user'));
      expect([o.status, o.target, o.detected]).toEqual([200, CLOSED, null]);
    }
    expect(provider().stats().requests).toBe(before + 2);
  }, 60_000);

  it('keep: every class is served in the cluster and the provider sees no call', async () => {
    const client = stack.openai(gateway);
    const metricsBefore = await scrape(serve);
    const before = provider().stats().requests;
    for (const [i, c] of CASES.entries()) {
      const o = await send(
        client,
        'guard-keep',
        messages(c.say.replace('{}', c.value), PLACES[i % 4]!),
        i % 2 === 1,
      );
      expect([c.cls, o.status, o.target, o.reason, o.detected]).toEqual([
        c.cls,
        200,
        MODEL,
        'privacy',
        `classes=${c.cls}; action=keep`,
      ]);
    }
    expect(provider().stats().requests).toBe(before);
    const d = delta(metricsBefore, await scrape(serve));
    for (const c of CASES)
      expect([
        c.cls,
        total(d, 'bascule_gateway_privacy_detections_total', {
          route: 'guard-keep',
          class: c.cls,
          action: 'keep',
        }),
      ]).toEqual([c.cls, 1]);
  }, 120_000);

  it('redact: every class reaches the provider as [REDACTED:<class>], never as the value', async () => {
    const client = stack.openai(gateway);
    provider().resetStats();
    for (const [i, c] of CASES.entries()) {
      const o = await send(
        client,
        'guard-redact',
        messages(c.say.replace('{}', c.value), PLACES[i % 4]!),
        i % 2 === 1,
      );
      expect([c.cls, o.status, o.target, o.detected]).toEqual([
        c.cls,
        200,
        CLOSED,
        `classes=${c.cls}; action=redact`,
      ]);
      const got = JSON.stringify(provider().received().at(-1)?.body);
      expect(got).toContain(`[REDACTED:${c.cls}]`);
      expect(got).not.toContain(c.value);
      // The rest of the conversation arrives intact.
      expect(got).toContain(c.say.split('{}')[0]!.trim());
    }
    expect(provider().stats().requests).toBe(CASES.length);
  }, 120_000);

  it('refuse: every class is a 400 naming the class, and nothing is sent', async () => {
    const client = stack.openai(gateway);
    const before = provider().stats().requests;
    for (const [i, c] of CASES.entries()) {
      const o = await send(
        client,
        'guard-refuse',
        messages(c.say.replace('{}', c.value), PLACES[i % 4]!),
        i % 2 === 1,
      );
      expect([c.cls, o.status, o.error?.code, o.detected]).toEqual([
        c.cls,
        400,
        'sensitive_data_refused',
        `classes=${c.cls}; action=refuse`,
      ]);
      expect(o.error?.message).toContain(
        `the request carries ${c.cls}, which Route guard-refuse refuses`,
      );
      expect(o.error?.message).not.toContain(c.value);
    }
    expect(provider().stats().requests).toBe(before);
  }, 120_000);

  it('audit names classes and actions, never the text: log lines and route explain', async () => {
    const logged = (action: string, cls: string) =>
      serve
        .output()
        .split('\n')
        .some(
          (l) =>
            l.includes('"msg":"privacy detection"') &&
            l.includes(`"route":"guard-${action}"`) &&
            l.includes(`"classes":["${cls}"]`) &&
            l.includes(`"action":"${action}"`),
        );
    // One access-log line per request (the logger writes asynchronously: wait for the last).
    await waitFor(
      'a privacy detection line for every request',
      () => ['keep', 'redact', 'refuse'].every((a) => CASES.every((c) => logged(a, c.cls))),
      10_000,
    );
    const explained = async (prompt: string) => {
      const r = await bascule(serve.api!, ADMIN_KEY, [
        'route',
        'explain',
        'guard-keep',
        '--prompt',
        prompt,
        '-o',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const out = await explained(
      'Refund the card 4111 1111 1111 1111 and mail jane.doe@example.com',
    );
    const e = JSON.parse(out) as {
      decision: { target: string; reason: string };
      explanation: { privacy: { classes: string[]; action: string } };
    };
    expect(e.decision).toMatchObject({ target: MODEL, reason: 'privacy' });
    expect(e.explanation.privacy).toEqual({ classes: ['email', 'payment-card'], action: 'keep' });
    const text = await bascule(serve.api!, ADMIN_KEY, [
      'route',
      'explain',
      'guard-keep',
      '--prompt',
      'card 4111 1111 1111 1111',
    ]);
    expect(text.stdout).toContain('privacy: payment-card detected: keep');
    // Not one sensitive value in anything the gateway logged or explain printed.
    for (const c of CASES) {
      expect(serve.output()).not.toContain(c.value);
      expect(out + text.stdout).not.toContain(c.value);
    }
  }, 60_000);
});
