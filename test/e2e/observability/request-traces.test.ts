// Traces (issue 24), on the observability stack (support/observability-stack.ts), which exports
// to a real OTLP/HTTP receiver: the spans of one request, sent with a client traceparent, arrive
// as one tree in the client's trace: request → auth, route decision (target, reason) and upstream
// attempt → engine request; an overflowed one has its provider call under its attempt; the
// controller's reconciles are traced too.
import { describe, expect, it } from 'vitest';
import type { ReceivedSpan } from '../../support/otlp-receiver.js';
import { hasKubectl, useObservabilityStack, waitFor } from './support/observability-stack.js';

describe.skipIf(!hasKubectl)('observability: request traces', () => {
  const obs = useObservabilityStack();

  it('exports the spans of one request to the OTLP receiver as one tree in the client trace', async () => {
    const { client, key, keyId, stack, otlp } = obs();
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
});
