// Scenario 5, privacy: a private Route under the same burst never calls a provider.
// One Model, `private-llm`, runs two L4 replicas of 2 slots each (maxConcurrency 2, min = max =
// 2 replicas: 4 slots in all; every answer is max_tokens long, ~0.1 s). Three Routes share it:
// `private-chat` (allowExternal: false, waits up to 30 s), `private-quick` (allowExternal: false,
// waits up to 250 ms) and the control group `chat` (the Model, then openai/gpt-5-mini on
// noCapacity/queueWait after 200 ms). `bascule-server --roles controller,gateway,api` runs
// the gateway; every burst is 36 requests in flight at once (9x the cluster's slots), half of
// them streamed, through the official openai SDK.
// (1) private-chat: every request waits for a slot and is served by the Model; the OpenAI
//     provider-sim sees nothing.
// (2) private-quick: requests that find no slot within 250 ms fail closed with a documented
//     503 privacy_no_self_hosted_capacity whose message says why; none hangs, none is a 500,
//     and the provider-sim still sees nothing.
// (3) The control group: the same burst on `chat` does overflow to the provider-sim, so the burst
//     really exceeds the cluster; the same burst on `chat` with `x-bascule-privacy: strict`
//     does not (served or 503 as above); a bad header value is a 400 naming the header, and
//     /v1/models under strict privacy lists no provider models.
// (4) A private Route that lists a provider target: `bascule apply` rejects it naming the field;
//     applied with kubectl (the API server does not run cross-field rules) the gateway ignores
//     it, logs why, and fails closed (404): the provider is still never called.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst, tally, type BurstOutcome } from '../support/burst.js';
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

const MODEL = 'private-llm';
const CLOSED = 'openai/gpt-5-mini';
const ADMIN_KEY = 'bsc-e2e-privacy-admin-key-000';
const BURST = 36;
/** The documented fail-closed answer: it names the Model, what is short, and what was left out. */
const FAIL_CLOSED =
  /^503 no self-hosted target can serve this request and privacy keeps it in the cluster \(failing closed\): private-llm: all 2 endpoint\(s\) are at maxConcurrency; (waited 2[05]0ms|a slot is expected in ~\d+ ms)(; openai\/gpt-5-mini: x-bascule-privacy: strict; openai\/gpt-5-mini is outside the cluster)?$/;
const NOT_ALLOWED =
  'spec.targets[1].provider: allowExternal is false, so provider target openai/gpt-5-mini is not allowed (requests must stay in the cluster)';

const LEAKY = routeDoc('leaky-private', {
  allowExternal: false,
  targets: [{ model: MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
});

describe.skipIf(!hasKubectl)(
  'scenario 5: a private Route under a burst never calls a provider',
  () => {
    let stack: Stack;
    let serve: Serve;
    let gateway = '';

    beforeAll(async () => {
      ({ stack, serve } = await startServedStack({
        nodes: 'l4:2x1',
        providers: { openai: { latency: { firstTokenMs: 100, perTokenMs: 1 } } },
        adminKey: ADMIN_KEY,
        docs: [
          llamaOnL4(MODEL, {
            maxConcurrency: 2,
            replicas: 2,
            autoscaling: { minReplicas: 2, maxReplicas: 2 },
            // Every answer is max_tokens long, so a request holds its slot for a while.
            extraArgs: ['--output-tokens', 'max'],
          }),
          routeDoc('private-chat', {
            allowExternal: false,
            targets: [{ model: MODEL }],
            fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '30s' },
          }),
          routeDoc('private-quick', {
            allowExternal: false,
            targets: [{ model: MODEL }],
            fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '250ms' },
          }),
          routeDoc('chat', {
            targets: [{ model: MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
            fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '200ms' },
          }),
        ],
      }));
      gateway = serve.gateway!;
      await stack.h.kubectl(['wait', '--for=condition=Ready', `model/${MODEL}`, '--timeout=60s']);
      // Both replicas ready and known to the gateway: 4 requests at once all stay on the Model.
      const client = stack.openai(gateway);
      await waitFor(
        'the gateway routing to both replicas',
        async () => {
          const r = await burst({ client, route: 'chat', requests: 4, maxTokens: 4 });
          return r.every((o) => o.target === MODEL);
        },
        60_000,
      );
      stack.sims.openai!.resetStats();
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
    });

    const closed = () => stack.sims.openai!.stats().requests;

    /** 36 requests in flight at once, half streamed, each 100 tokens long on the Model. */
    const fullBurst = async (routeName: string, client = stack.openai(gateway)) => {
      const common = { client, route: routeName, requests: BURST / 2, maxTokens: 100 };
      const [streamed, whole] = await Promise.all([
        burst({ ...common, stream: true, prompt: (i) => `private streamed ${i}` }),
        burst({ ...common, prompt: (i) => `private request ${i}` }),
      ]);
      const all = [...streamed, ...whole];
      console.log(
        `[privacy] ${routeName}: ${JSON.stringify([...tally(all, (o) => `${o.status} ${o.target} ${o.reason}`)])}`,
      );
      return all;
    };

    /** Every outcome is served by the Model or failed closed with the documented 503. */
    const servedOrFailedClosed = (outcomes: BurstOutcome[]) => {
      const served = outcomes.filter((o) => o.status === 200);
      const refused = outcomes.filter((o) => o.status !== 200);
      for (const o of served) expect([o.target, o.error]).toEqual([MODEL, undefined]);
      for (const o of refused) {
        expect(o.status).toBe(503);
        expect(o.error).toMatch(FAIL_CLOSED);
      }
      return { served: served.length, refused: refused.length };
    };

    it('a patient private Route: the whole burst waits for the Model and is served by it', async () => {
      const outcomes = await fullBurst('private-chat');
      expect(outcomes.map((o) => [o.status, o.target, o.error])).toEqual(
        outcomes.map(() => [200, MODEL, undefined]),
      );
      expect(closed()).toBe(0);
    }, 120_000);

    it('an impatient private Route: whatever finds no slot in time fails closed with a clear 503', async () => {
      const outcomes = await fullBurst('private-quick');
      const { served, refused } = servedOrFailedClosed(outcomes);
      expect(served).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      // Nothing hung: a refusal comes after the 250 ms wait, not after a client timeout.
      for (const o of outcomes) expect(o.ms).toBeLessThan(30_000);
      expect(closed()).toBe(0);
    }, 120_000);

    it('the control group: the same burst on an overflow Route does reach the provider', async () => {
      const outcomes = await fullBurst('chat');
      const overflowed = outcomes.filter((o) => o.target === CLOSED);
      expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
      expect(overflowed.length).toBeGreaterThan(0);
      for (const o of overflowed) expect(o.reason).toMatch(/^overflow:(saturated)$/);
      expect(closed()).toBe(overflowed.length);
    }, 120_000);

    it('x-bascule-privacy: strict keeps the same overflow Route in the cluster', async () => {
      const strict = new OpenAI({
        baseURL: `${gateway}/v1`,
        apiKey: 'unused',
        maxRetries: 0,
        defaultHeaders: { 'x-bascule-privacy': 'strict' },
      });
      const before = closed();
      const outcomes = await fullBurst('chat', strict);
      const { served, refused } = servedOrFailedClosed(outcomes);
      expect(served).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      expect(closed()).toBe(before);

      // Any other value is the client's mistake, named as such.
      const bad = await fetch(`${gateway}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bascule-privacy': 'private' },
        body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(bad.status).toBe(400);
      expect(
        ((await bad.json()) as { error: { message: string; param: string } }).error,
      ).toMatchObject({
        message: 'header x-bascule-privacy must be "strict" or "standard" (got "private")',
        param: 'x-bascule-privacy',
      });
      // Under strict privacy the model list offers no closed models.
      const list = async (headers: Record<string, string>) =>
        (
          (await (await fetch(`${gateway}/v1/models`, { headers })).json()) as {
            data: { id: string }[];
          }
        ).data.map((m) => m.id);
      expect(await list({})).toContain(CLOSED);
      const strictList = await list({ 'x-bascule-privacy': 'strict' });
      expect(strictList).toContain('private-chat');
      expect(strictList.filter((id) => id.startsWith('openai/'))).toEqual([]);
      expect(closed()).toBe(before);
    }, 120_000);

    it('a private Route listing a provider is rejected by bascule apply, and ignored by the gateway if applied anyway', async () => {
      const yaml = JSON.stringify(LEAKY);
      const r = await bascule(serve.api!, ADMIN_KEY, ['apply', '-f', '-'], yaml);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Route/leaky-private .${NOT_ALLOWED}`);
      // The REST API behind it validates the same way (a client that skips bascule's own check).
      const api = await fetch(`${serve.api}/api/v1/apply`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml', authorization: `Bearer ${ADMIN_KEY}` },
        body: yaml,
      });
      const apiText = await api.text();
      expect(api.status, apiText).toBe(422);
      expect(apiText).toContain(
        'allowExternal is false, so provider target openai/gpt-5-mini is not allowed',
      );
      await expect(stack.h.kubectl(['get', 'route', 'leaky-private'])).rejects.toThrow(/NotFound/);

      // kubectl goes around the cross-field rules; the gateway still never uses the Route.
      await stack.apply(LEAKY);
      await waitFor(
        'the gateway logging the invalid Route and why',
        () =>
          serve
            .output()
            .split('\n')
            .some(
              (l) =>
                l.includes('"msg":"ignoring invalid Route"') &&
                l.includes('"name":"leaky-private"') &&
                l.includes(NOT_ALLOWED),
            ),
        30_000,
      );
      const before = closed();
      const outcomes = await burst({
        client: stack.openai(gateway),
        route: 'leaky-private',
        requests: 4,
      });
      // Not "does not exist": the Route is there and invalid, which an operator must fix (503).
      for (const o of outcomes) {
        expect(o.status).toBe(503);
        expect(o.error).toContain(`Route 'leaky-private' is invalid: ${NOT_ALLOWED}`);
      }
      expect(closed()).toBe(before);
    }, 120_000);
  },
);
