import { describe, expect, it } from 'vitest';
import type { Model } from '@bascule/spec';
import type { RouteDecision } from '../decide/route-decision.js';
import type { Target } from '../targets/target.js';
import {
  endpointToEject,
  MAX_ATTEMPTS,
  nextStep,
  routingFor,
  START,
  type AttemptOutcome,
  type AttemptSession,
  type EndpointFacts,
  type LoopEnv,
  type Step,
} from './next-step.js';

const model = (name: string, adapter?: string): Target => ({
  kind: 'model',
  name,
  model: {} as Model,
  ...(adapter ? { adapter } : {}),
});
const provider: Target = {
  kind: 'provider',
  name: 'openai/gpt-5',
  provider: {} as never,
  providerModel: {} as never,
};
const explanation = { model: 'chat', resolvedAs: 'route' as const, targets: [] };

function send(target: Target, remaining: string[] = [], overflowOnError = true): RouteDecision {
  return { action: 'send', target, reason: 'priority', remaining, overflowOnError, explanation };
}
function wait(name: string, remaining: string[] = [], shortage = 'saturated'): RouteDecision {
  return {
    action: 'wait',
    target: model(name) as Extract<Target, { kind: 'model' }>,
    shortage: shortage as 'saturated',
    maxWaitMs: 500,
    remaining,
    explanation,
  };
}
const reject = (code: string, status = 503): RouteDecision => ({
  action: 'reject',
  status,
  code,
  message: `refused: ${code}`,
  explanation,
});

/** Endpoint facts and a clock as plain values. */
function env(
  opts: { now?: number; allEjected?: boolean; healthy?: boolean; loading?: boolean } = {},
): LoopEnv {
  const endpoints: EndpointFacts = {
    allEjected: () => opts.allEjected ?? false,
    hasHealthy: () => opts.healthy ?? false,
    adapterLoading: () => opts.loading ?? false,
  };
  return { now: () => opts.now ?? 1000, endpoints };
}

const upstream = new Error('upstream said no');
const status = (code: number, endpoint = 'ep-1'): AttemptOutcome => ({
  kind: 'endpoint-status',
  endpoint,
  status: code,
  error: upstream,
});
const dead = (endpoint = 'ep-1'): AttemptOutcome => ({
  kind: 'endpoint-unreachable',
  endpoint,
  error: upstream,
});
const tried: AttemptSession = { ...START, attempts: 1 };

/** A step as one line: kind, what it acts on, and what it changes. */
function summary(step: Step): string {
  const parts: string[] = [step.kind];
  if (step.kind === 'try') parts.push(step.target.name, `exclude=${step.exclude.join(',')}`);
  if (step.kind === 'wait') parts.push(step.model, `${step.waitMs}ms`);
  if (step.kind === 'decide' && step.readmit) parts.push(`readmit=${step.readmit}`);
  if (step.kind === 'fail') {
    const e = step.error as { code?: string; message: string };
    parts.push(e.code ?? e.message);
  }
  const s = step.session;
  if (s.failed.length > 0) parts.push(`failed=${s.failed.join(',')}`);
  if (s.waitExpired) parts.push('expired');
  if (s.panicked) parts.push('panicked');
  if (s.modelRetries > 0) parts.push(`retries=${s.modelRetries}`);
  return parts.join(' ');
}

describe('nextStep', () => {
  const rows: [
    string,
    AttemptSession,
    RouteDecision,
    AttemptOutcome | undefined,
    LoopEnv,
    string,
  ][] = [
    [
      'a send decision tries its target',
      START,
      send(model('small')),
      undefined,
      env(),
      'try small exclude=',
    ],
    ['a served answer is done', tried, send(model('small')), { kind: 'served' }, env(), 'done'],
    [
      'a stream that broke after the first byte is done, and its endpoint ejected',
      tried,
      send(model('small')),
      { kind: 'served', broken: 'ep-1' },
      env(),
      'done eject=ep-1',
    ],
    [
      "a router refusal fails with the router's code",
      START,
      reject('no_capacity'),
      undefined,
      env(),
      'fail no_capacity',
    ],
    [
      "a refusal after an upstream failure fails with the upstream's error",
      { ...tried, lastError: upstream },
      reject('no_capacity'),
      undefined,
      env(),
      'fail upstream said no',
    ],
    [
      "privacy's refusal wins over an upstream failure",
      { ...tried, lastError: upstream },
      reject('privacy_no_self_hosted_capacity'),
      undefined,
      env(),
      'fail privacy_no_self_hosted_capacity',
    ],
    ['wait while capacity frees up', START, wait('small'), undefined, env(), 'wait small 500ms'],
    [
      'a later wait has what is left of maxQueueWait',
      { ...START, waitStartMs: 800 },
      wait('small'),
      undefined,
      env({ now: 1000 }),
      'wait small 300ms',
    ],
    [
      'wait expiry: decide again without waiting (the router overflows)',
      { ...START, waitStartMs: 400 },
      wait('small'),
      undefined,
      env({ now: 1000 }),
      'decide expired',
    ],
    [
      'a wait that timed out expires',
      START,
      wait('small'),
      { kind: 'waited', woke: false },
      env(),
      'decide expired',
    ],
    [
      'a woken wait decides again',
      START,
      wait('small'),
      { kind: 'waited', woke: true },
      env(),
      'decide',
    ],
    [
      'panic mode: the last Model, every endpoint ejected: readmit them',
      START,
      wait('small', [], 'no-endpoints'),
      undefined,
      env({ allEjected: true }),
      'decide readmit=small panicked',
    ],
    [
      'panic mode only once per request',
      { ...START, panicked: true },
      wait('small', [], 'no-endpoints'),
      undefined,
      env({ allEjected: true }),
      'wait small 500ms panicked',
    ],
    [
      'no panic mode when a target remains after the Model',
      START,
      wait('small', ['openai/gpt-5'], 'no-endpoints'),
      undefined,
      env({ allEjected: true }),
      'wait small 500ms',
    ],
    [
      'a 500 ejects the endpoint and tries another of the Model',
      tried,
      send(model('small')),
      status(500),
      env(),
      'try small exclude=ep-1 eject=ep-1',
    ],
    [
      'a connection error ejects the endpoint and tries another of the Model',
      tried,
      send(model('small')),
      dead(),
      env(),
      'try small exclude=ep-1 eject=ep-1',
    ],
    [
      'failed target → next target: a 429 is not ejected and overflows',
      tried,
      send(model('small'), ['openai/gpt-5']),
      status(429),
      env(),
      'decide failed=small',
    ],
    [
      'a 503 ejects and overflows without another endpoint',
      tried,
      send(model('small'), ['openai/gpt-5']),
      status(503),
      env(),
      'decide failed=small eject=ep-1',
    ],
    [
      'two endpoints failed: overflow to the next target',
      { ...tried, excluded: ['ep-1'], endpointError: upstream },
      send(model('small'), ['openai/gpt-5']),
      status(502, 'ep-2'),
      env(),
      'decide failed=small eject=ep-2',
    ],
    [
      'no endpoint left to pick: the last endpoint failure overflows',
      { ...tried, excluded: ['ep-1'], endpointError: upstream, unreachable: true },
      send(model('small'), ['openai/gpt-5']),
      { kind: 'no-endpoint' },
      env(),
      'decide failed=small',
    ],
    [
      'no endpoint with headroom at all, no fallback: fail no_capacity',
      tried,
      send(model('small'), [], false),
      { kind: 'no-endpoint' },
      env(),
      'fail no_capacity',
    ],
    [
      'without the upstreamError trigger the failure goes to the client',
      tried,
      send(model('small'), ['openai/gpt-5'], false),
      status(429),
      env(),
      'fail upstream said no',
    ],
    [
      'dead endpoints, nowhere to overflow, healthy ones left: route again',
      { ...tried, excluded: ['ep-1'] },
      send(model('small')),
      dead('ep-2'),
      env({ healthy: true }),
      'decide retries=1 eject=ep-2',
    ],
    [
      'retry budget exhausted → fail with the connection error',
      { ...tried, excluded: ['ep-1'], modelRetries: 2 },
      send(model('small'), [], false),
      dead('ep-2'),
      env({ healthy: true }),
      'fail upstream said no retries=2 eject=ep-2',
    ],
    [
      'a 5xx answer is not retried on the Model (not hammered)',
      { ...tried, excluded: ['ep-1'] },
      send(model('small'), [], false),
      status(500, 'ep-2'),
      env({ healthy: true }),
      'fail upstream said no eject=ep-2',
    ],
    [
      'attempts exhausted → fail with the last failure',
      { ...START, attempts: MAX_ATTEMPTS },
      send(provider, ['small']),
      { kind: 'provider-failed', error: upstream, transient: true },
      env(),
      'fail upstream said no failed=openai/gpt-5',
    ],
    [
      'a transient provider failure overflows',
      tried,
      send(provider, ['small']),
      { kind: 'provider-failed', error: upstream, transient: true },
      env(),
      'decide failed=openai/gpt-5',
    ],
    [
      "a provider's client error (4xx) goes to the client",
      tried,
      send(provider, ['small']),
      { kind: 'provider-failed', error: upstream, transient: false },
      env(),
      'fail upstream said no',
    ],
    [
      'streaming already started → no retry: the client went away',
      tried,
      send(model('small'), ['openai/gpt-5']),
      { kind: 'cancelled', error: upstream },
      env({ healthy: true }),
      'fail upstream said no',
    ],
    [
      'a LoRA adapter not loaded yet overflows before anything is sent',
      START,
      send(model('llama', 'sql'), ['openai/gpt-5']),
      undefined,
      env({ loading: true }),
      'decide failed=llama',
    ],
    [
      'a LoRA adapter not loaded, no fallback: fail adapter_loading',
      START,
      send(model('llama', 'sql'), [], false),
      undefined,
      env({ loading: true }),
      'fail adapter_loading',
    ],
  ];
  it.each(rows)('%s', (_name, session, decision, outcome, e, expected) => {
    const eject = outcome && endpointToEject(outcome);
    const line = summary(nextStep(session, decision, outcome, e));
    expect(eject ? `${line} eject=${eject}` : line).toBe(expected);
  });

  it('counts each target tried, not each endpoint or wait', () => {
    const e = env();
    const first = nextStep(START, send(model('small')), undefined, e);
    expect(first.session.attempts).toBe(1);
    const second = nextStep(first.session, send(model('small')), status(500), e);
    expect(second.kind).toBe('try');
    expect(second.session.attempts).toBe(1);
    const waited = nextStep(START, wait('small'), undefined, e);
    expect(waited.session.attempts).toBe(0);
  });

  it('a 404 refusal names the model field', () => {
    const step = nextStep(START, reject('model_not_found', 404), undefined, env());
    expect(step.kind === 'fail' && step.error).toMatchObject({ status: 404, param: 'model' });
  });
});

describe('routingFor', () => {
  const base = { model: 'chat', kind: 'chat' as const, promptTokens: 10 };
  it('is the base request until something failed or a wait ran out', () => {
    expect(routingFor(base, START)).toBe(base);
    expect(routingFor(base, { ...START, failed: ['small'], waitExpired: true })).toEqual({
      ...base,
      failedTargets: ['small'],
      waitExpired: true,
    });
  });
});
