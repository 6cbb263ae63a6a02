import { describe, expect, it } from 'vitest';
import type { ModelCapacity } from '../capacity/model-capacity.js';
import type { RoutingRequest } from '../request/routing-request.js';
import {
  catalog,
  COLD,
  HEALTHY,
  NO_ENDPOINTS,
  SATURATED,
  UNSCHEDULABLE,
  ZERO,
} from '../testing/fixtures.js';
import { decideRoute } from './decide-route.js';

const chat = (model: string, extra: Partial<RoutingRequest> = {}): RoutingRequest => ({
  model,
  kind: 'chat',
  promptTokens: 100,
  ...extra,
});

function decide(request: RoutingRequest, caps: Record<string, ModelCapacity> = {}) {
  return decideRoute({ catalog: catalog(), request, capacity: (m) => caps[m] ?? HEALTHY });
}

/** "send <target> <reason>", "wait <target> <shortage>" or "reject <status> <code>". */
function summary(d: ReturnType<typeof decide>): string {
  if (d.action === 'send') return `send ${d.target.name} ${d.reason}`;
  if (d.action === 'wait') return `wait ${d.target.name} ${d.shortage} ${d.maxWaitMs}`;
  return `reject ${d.status} ${d.code}`;
}

describe('decideRoute', () => {
  const cases: [string, RoutingRequest, Record<string, ModelCapacity>, string][] = [
    ['route, healthy model', chat('chat'), {}, 'send small priority'],
    ['route alias', chat('gpt-4o'), {}, 'send small priority'],
    ['model by alias', chat('llama-small'), {}, 'send small direct'],
    ['provider/model', chat('openai/gpt-5'), {}, 'send openai/gpt-5 direct'],
    [
      'saturated overflows',
      chat('chat'),
      { small: SATURATED },
      'send openai/gpt-5-mini overflow:saturated',
    ],
    [
      'saturated but a slot within maxQueueWait waits',
      chat('chat'),
      { small: { ...SATURATED, expectedWaitMs: 200 } },
      'wait small saturated 500',
    ],
    [
      'slot expected after maxQueueWait overflows',
      chat('chat'),
      { small: { ...SATURATED, expectedWaitMs: 900 } },
      'send openai/gpt-5-mini overflow:saturated',
    ],
    [
      'cold start overflows',
      chat('chat'),
      { small: COLD },
      'send openai/gpt-5-mini overflow:cold-start',
    ],
    [
      'scaled to zero overflows as cold start',
      chat('chat'),
      { small: ZERO },
      'send openai/gpt-5-mini overflow:cold-start',
    ],
    [
      'unschedulable overflows',
      chat('chat'),
      { small: UNSCHEDULABLE },
      'send openai/gpt-5-mini overflow:unschedulable',
    ],
    [
      'ready replicas but no endpoints',
      chat('chat'),
      { small: NO_ENDPOINTS },
      'send openai/gpt-5-mini overflow:no-endpoints',
    ],
    [
      'route without coldStart trigger waits for a cold model',
      chat('patient'),
      { small: COLD },
      'wait small cold-start 1000',
    ],
    [
      '...and overflows once the wait expired (queueWait)',
      chat('patient', { waitExpired: true }),
      { small: COLD },
      'send openai/gpt-5-mini overflow:cold-start',
    ],
    [
      'privacy strict never overflows: waits',
      chat('chat', { privacyStrict: true }),
      { small: SATURATED },
      'wait small saturated 500',
    ],
    [
      'privacy strict after the wait fails closed',
      chat('chat', { privacyStrict: true, waitExpired: true }),
      { small: SATURATED },
      'reject 503 privacy_no_self_hosted_capacity',
    ],
    [
      'privacy strict, unschedulable: waits then fails closed',
      chat('chat', { privacyStrict: true, waitExpired: true }),
      { small: UNSCHEDULABLE },
      'reject 503 privacy_no_self_hosted_capacity',
    ],
    ['privacy strict healthy', chat('chat', { privacyStrict: true }), {}, 'send small privacy'],
    // Queued work before its deadline stays in the cluster, and says so: not "privacy".
    ['deferred (queued work) healthy', chat('chat', { deferred: true }), {}, 'send small deferred'],
    [
      'deferred on a Route with no closed target: the strategy, nothing was kept in',
      chat('private', { deferred: true }),
      {},
      'send small priority',
    ],
    [
      'deferred, saturated, wait expired: no capacity, and not called privacy',
      chat('chat', { deferred: true, waitExpired: true }),
      { small: SATURATED },
      'reject 503 no_capacity',
    ],
    [
      'privacy strict on provider/model',
      chat('openai/gpt-5', { privacyStrict: true }),
      {},
      'reject 503 privacy_no_self_hosted_capacity',
    ],
    [
      'budget self-hosted-only: no capacity, and not called privacy',
      chat('chat', { externalForbiddenByBudget: true, waitExpired: true }),
      { small: COLD },
      'reject 503 no_capacity',
    ],
    [
      'allowExternal false overflows between models',
      chat('private'),
      { small: SATURATED },
      'send big overflow:saturated',
    ],
    [
      'allowExternal false, all saturated, wait expired',
      chat('private', { waitExpired: true }),
      { small: SATURATED, big: SATURATED },
      'reject 503 privacy_no_self_hosted_capacity',
    ],
    [
      'a Route that may leave the cluster, all saturated, nothing after',
      chat('cheap', { waitExpired: true, needs: ['vision'] }),
      {},
      'send openai/gpt-5 cost',
    ],
    [
      'no capacity anywhere without privacy',
      chat('llama-small', { waitExpired: true }),
      { small: SATURATED },
      'reject 503 no_capacity',
    ],
    [
      'upstream error moves on',
      chat('chat', { failedTargets: ['small'] }),
      {},
      'send openai/gpt-5-mini overflow:upstream-error',
    ],
    [
      'context too long for the small model',
      chat('chat', { promptTokens: 9000 }),
      {},
      'send openai/gpt-5-mini overflow:context-length',
    ],

    [
      'context too long, and the Route has no contextLength trigger',
      chat('patient', { promptTokens: 9000 }),
      {},
      'reject 400 context_length_exceeded',
    ],
    [
      'cost: the cheapest target cannot hold it, the next cheapest that can serves it',
      chat('cheap', { promptTokens: 9000 }),
      {},
      'send openai/gpt-5-mini overflow:context-length',
    ],
    [
      'tools: big (no tools) is no overflow for a saturated small',
      chat('private', { needs: ['tools'] }),
      { small: SATURATED },
      'wait small saturated 2000',
    ],
    [
      'vision only on gpt-5',
      chat('chat', { needs: ['vision'] }),
      {},
      'reject 400 no_eligible_target',
    ],
    [
      'embeddings on a chat route',
      { model: 'chat', kind: 'embeddings', promptTokens: 3 },
      {},
      'reject 400 no_eligible_target',
    ],
    ['unknown model', chat('nope'), {}, 'reject 404 model_not_found'],
    ['unknown provider model', chat('openai/gpt-9'), {}, 'reject 404 model_not_found'],
    [
      'route with a missing Model still routes',
      chat('ghost'),
      {},
      'send openai/gpt-5-mini priority',
    ],
    ['cost strategy picks the cheapest', chat('cheap'), {}, 'send small cost'],
    [
      'cost strategy overflows to the next cheapest',
      chat('cheap'),
      { small: SATURATED },
      'send openai/gpt-5-mini overflow:saturated',
    ],
    [
      'simple prompt to the small model',
      chat('smart', { complexity: 0.2 }),
      {},
      'send small complexity',
    ],
    [
      'hard prompt to the frontier model',
      chat('smart', { complexity: 0.8 }),
      {},
      'send openai/gpt-5 complexity',
    ],
    [
      'simple prompt overflows to the untiered target first',
      chat('smart', { complexity: 0.2 }),
      { small: SATURATED },
      'send openai/gpt-5-mini overflow:saturated',
    ],
  ];
  it.each(cases)('%s', (_name, request, caps, expected) => {
    expect(summary(decide(request, caps))).toBe(expected);
  });

  it('says a spent Route budget kept the request in the cluster, naming the Route', () => {
    const d = decide(chat('chat', { externalForbiddenByBudget: true, waitExpired: true }), {
      small: COLD,
    });
    expect(d.action === 'reject' && d.message).toMatch(
      /^no self-hosted target can serve this request now, and the closed-API budget is spent \(onExceeded: self-hosted-only\): .*openai\/gpt-5-mini: Route chat's closed-API budget is spent/,
    );
  });

  it('explains why every other target was not chosen', () => {
    const d = decide(chat('chat', { needs: ['tools'], promptTokens: 100 }), { small: SATURATED });
    expect(d.explanation.targets.map((t) => `${t.target}:${t.verdict}:${t.code ?? ''}`)).toEqual([
      'small:overflowed:saturated',
      'openai/gpt-5-mini:chosen:',
    ]);
    const p = decide(chat('chat', { privacyStrict: true, waitExpired: true }), { small: COLD });
    expect(p.explanation.targets.map((t) => `${t.target}:${t.verdict}:${t.code ?? ''}`)).toEqual([
      'openai/gpt-5-mini:dropped:privacy',
      'small:overflowed:cold-start',
    ]);
    expect(p.action === 'reject' && p.message).toMatch(/privacy keeps it in the cluster/);
  });

  it('lists targets after the chosen one as not reached, and unresolved ones', () => {
    const d = decide(chat('ghost'));
    expect(d.explanation.targets.map((t) => `${t.target}:${t.verdict}`)).toEqual([
      'missing:unresolved',
      'openai/gpt-5-mini:chosen',
    ]);
    const s = decide(chat('smart', { complexity: 0.9 }));
    expect(s.explanation.targets.map((t) => `${t.target}:${t.verdict}`)).toEqual([
      'small:dropped',
      'openai/gpt-5:chosen',
      'openai/gpt-5-mini:not-reached',
    ]);
  });

  it('carries what remains to try, and whether an upstream error may overflow', () => {
    const sent = decide(chat('chat'));
    expect(sent).toMatchObject({
      action: 'send',
      remaining: ['openai/gpt-5-mini'],
      overflowOnError: true,
    });
    const waiting = decide(chat('chat'), { small: { ...SATURATED, expectedWaitMs: 200 } });
    expect(waiting).toMatchObject({ action: 'wait', remaining: ['openai/gpt-5-mini'] });
    const last = decide(chat('chat', { failedTargets: ['small'] }));
    expect(last).toMatchObject({ action: 'send', remaining: [] });
    expect(decide(chat('llama-small'))).toMatchObject({
      action: 'send',
      remaining: [],
      overflowOnError: false,
    });
  });

  it('never chooses a provider when privacy applies, whatever the capacity', () => {
    const states = [HEALTHY, SATURATED, COLD, ZERO, UNSCHEDULABLE, NO_ENDPOINTS];
    for (const small of states)
      for (const waitExpired of [false, true])
        for (const model of ['chat', 'cheap', 'smart', 'patient', 'private', 'openai/gpt-5']) {
          const d = decide(chat(model, { privacyStrict: true, waitExpired, complexity: 0.3 }), {
            small,
          });
          if (d.action === 'send') expect(d.target.kind).toBe('model');
        }
  });
});
