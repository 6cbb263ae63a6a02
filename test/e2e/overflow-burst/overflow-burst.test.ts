// Scenario 3, overflow: `bascule-server --roles controller,gateway` (autoscaler on, 500 ms
// interval) against kube-sim with room for three L4 replicas, a private redis-server and an
// OpenAI provider-sim. A Model with maxConcurrency 4 starts at one replica (min 1, max 3); the
// Route `chat` tries it first and overflows to openai/gpt-5-mini on noCapacity/queueWait.
// (1) Waves of a burst three times one replica's capacity (12 in flight, half streaming) arrive:
//     the 4 slots fill, the rest overflows to the closed API (overflow:saturated), and the
//     gateways' in-flight and overflow counts in Redis make the autoscaler scale the Model out
//     (ScaledUp Event) until three replicas are Ready. Waves continue until then (bounded).
// (2) A follow-up wave of the same size fits the three replicas' 12 slots exactly: every request
//     is served by the cluster and the provider-sim sees none of them.
// No request fails at any point: every outcome is a 200 with content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst, tally, type BurstOutcome } from '../support/burst.js';
import {
  hasKubectl,
  llamaOnL4,
  startServedStack,
  waitFor,
  type ModelView,
  type Serve,
  type Stack,
  routeDoc,
} from '../support/served-stack.js';

const MODEL = 'chat-small';
const ROUTE = 'chat';
const CLOSED = 'openai/gpt-5-mini';
const MAX_CONCURRENCY = 4;
const MAX_REPLICAS = 3;
/** Requests in flight during a wave: exactly what MAX_REPLICAS replicas hold, 3x one replica. */
const LANES = MAX_CONCURRENCY * MAX_REPLICAS;
/** Waves are bounded in count and in time; the scale-out normally ends within a few. */
const MAX_WAVES = 30;
const BURST_BUDGET_MS = 60_000;

interface EventView {
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
}

describe.skipIf(!hasKubectl)(
  'scenario 3: a burst overflows, the Model scales out, traffic returns',
  () => {
    let stack: Stack;
    let gateway = '';
    let metricsUrl = '';

    beforeAll(async () => {
      let serve: Serve;
      ({ stack, serve } = await startServedStack({
        nodes: `l4:${MAX_REPLICAS}x1`,
        // The closed API takes about as long as a replica (~0.4 s), so overflowed lanes do not
        // spin through many more requests than the cluster serves.
        providers: { openai: { latency: { firstTokenMs: 300, perTokenMs: 2 } } },
        roles: 'controller,gateway',
        env: { BASCULE_AUTOSCALER: 'on', BASCULE_AUTOSCALER_INTERVAL: '500ms' },
        docs: [
          llamaOnL4(MODEL, {
            maxConcurrency: MAX_CONCURRENCY,
            replicas: 1,
            // Every answer is max_tokens long: ~64 ms of L4 decode per token in model time, i.e.
            // ~0.4 s per request at kube-sim's timeScale 50, so a wave lasts about a second.
            extraArgs: ['--output-tokens', 'max'],
            autoscaling: {
              minReplicas: 1,
              maxReplicas: MAX_REPLICAS,
              // No scale-down while the scenario runs.
              scaleDownDelay: '10m',
            },
          }),
          routeDoc(ROUTE, {
            strategy: 'priority',
            targets: [{ model: MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
            fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '200ms' },
          }),
        ],
      }));
      gateway = serve.gateway!;
      metricsUrl = await waitFor(
        'metrics endpoint',
        () =>
          /"url":"(http:[^"]+)"[^\n]*"msg":"metrics and health endpoints listening"/.exec(
            serve.output(),
          )?.[1],
        10_000,
      );
    }, 90_000);

    afterAll(async () => {
      await stack?.close();
    });

    const model = () => stack.h.kubectlJson<ModelView>(['get', 'model', MODEL]);
    const readyEndpoints = (m: ModelView) => (m.status?.endpoints ?? []).filter((e) => e.ready);
    const openaiRequests = () => stack.sims.openai!.stats().requests;

    /** One wave: LANES requests in flight at once, half of them streaming, 2 x LANES in all. */
    const wave = async (): Promise<BurstOutcome[]> => {
      const client = stack.openai(gateway);
      const common = {
        client,
        route: ROUTE,
        concurrency: LANES / 2,
        requests: LANES,
        maxTokens: 300,
      };
      const [streamed, whole] = await Promise.all([
        burst({ ...common, stream: true, prompt: (i) => `streamed request ${i}` }),
        burst({ ...common, stream: false, prompt: (i) => `request ${i}` }),
      ]);
      return [...streamed, ...whole];
    };

    /** bascule_gateway_overflow_total for the Route, by reason label. */
    const overflowCounted = async (): Promise<Map<string, number>> => {
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      const out = new Map<string, number>();
      for (const m of text.matchAll(/^bascule_gateway_overflow_total\{([^}]*)\} (\d+)/gm)) {
        if (!m[1]!.includes(`route="${ROUTE}"`)) continue;
        const reason = /reason="([^"]*)"/.exec(m[1]!)?.[1] ?? '';
        out.set(reason, (out.get(reason) ?? 0) + Number(m[2]));
      }
      return out;
    };

    const expectAllServed = (outcomes: BurstOutcome[]) => {
      const failed = outcomes.filter((o) => o.status !== 200 || o.error !== undefined);
      expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    };

    it('overflows the burst, scales out, and serves the next wave on the cluster with no failed request', async () => {
      // One replica up and known to the gateway before the burst.
      await waitFor(
        'one ready replica',
        async () => readyEndpoints(await model()).length === 1,
        60_000,
      );
      expect((await model()).spec.replicas).toBe(1);
      const client = stack.openai(gateway);
      await waitFor(
        'the gateway routing to the Model',
        async () => {
          const { response } = await client.chat.completions
            .create({ model: ROUTE, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 })
            .withResponse();
          return response.headers.get('x-bascule-target') === MODEL;
        },
        30_000,
      );
      const closedBefore = openaiRequests();
      const overflowCountedBefore = await overflowCounted();

      // (1) Waves until three replicas are Ready (bounded), watching the Model meanwhile.
      const started = Date.now();
      let scaledAt: number | undefined; // spec.replicas > 1
      let readyAt: number | undefined; // all MAX_REPLICAS ready with endpoints
      let watching = true;
      // An observer that notes when the Model scaled and when all replicas were ready; the
      // waves run regardless (the loop below checks readyAt).
      const watcher = waitFor(
        'the Model watched until ready or the burst ends',
        async () => {
          if (!watching) return true;
          const m = await model().catch(() => undefined);
          if (m && (m.spec.replicas ?? 0) > 1) scaledAt ??= Date.now();
          if (m && readyEndpoints(m).length === MAX_REPLICAS) readyAt = Date.now();
          return readyAt !== undefined;
        },
        BURST_BUDGET_MS + 60_000,
      );
      const burstOutcomes: BurstOutcome[] = [];
      let waves = 0;
      try {
        while (
          readyAt === undefined &&
          waves < MAX_WAVES &&
          Date.now() - started < BURST_BUDGET_MS
        ) {
          burstOutcomes.push(...(await wave()));
          waves++;
        }
      } finally {
        watching = false;
        await watcher;
      }
      const closedDuringBurst = openaiRequests() - closedBefore;
      const overflowed = burstOutcomes.filter((o) => o.target === CLOSED);
      console.log(
        `[overflow-burst] burst: ${burstOutcomes.length} requests in ${waves} wave(s) over ` +
          `${Date.now() - started} ms; overflowed ${overflowed.length} ` +
          `(${((100 * overflowed.length) / burstOutcomes.length).toFixed(1)}%); ` +
          `spec.replicas > 1 after ${scaledAt === undefined ? '-' : scaledAt - started} ms, ` +
          `${MAX_REPLICAS} ready after ${readyAt === undefined ? '-' : readyAt - started} ms; ` +
          `reasons ${JSON.stringify([...tally(burstOutcomes, (o) => `${o.target} ${o.reason}`)])}`,
      );

      expectAllServed(burstOutcomes);
      // Some of the burst overflowed to the closed API, saying why, and the sim really saw them.
      expect(overflowed.length).toBeGreaterThan(0);
      for (const o of overflowed) expect(o.reason).toMatch(/^overflow:/);
      expect(closedDuringBurst).toBe(overflowed.length);
      // Everything else went to the Model by priority.
      for (const o of burstOutcomes.filter((x) => x.target !== CLOSED)) {
        expect(o.target).toBe(MODEL);
        expect(o.reason).toBe('priority');
      }

      // The Model scaled out, and the autoscaler said why.
      expect(readyAt, 'three ready replicas before the burst budget ran out').toBeDefined();
      const scaled = await model();
      expect(scaled.spec.replicas).toBe(MAX_REPLICAS);
      expect(scaled.status?.replicas?.ready).toBe(MAX_REPLICAS);
      const events = await stack.h.kubectlJson<{ items: EventView[] }>(['get', 'events']);
      const scaledUp = events.items.filter(
        (e) =>
          e.involvedObject.kind === 'Model' &&
          e.involvedObject.name === MODEL &&
          e.reason === 'ScaledUp',
      );
      console.log(`[overflow-burst] events: ${scaledUp.map((e) => e.message).join(' | ')}`);
      expect(
        scaledUp.some((e) => /^scale-up(-panic)?: load .* 1 -> [23] replica\(s\)$/.test(e.message)),
      ).toBe(true);

      // The gateway's metrics count the burst's overflow for the Route, by reason.
      const counted = await overflowCounted();
      const byReason = (reason: string) =>
        (counted.get(reason) ?? 0) - (overflowCountedBefore.get(reason) ?? 0);
      expect(counted.size).toBeGreaterThan(0);
      for (const reason of counted.keys()) expect(reason).toMatch(/^[a-z-]+$/);
      expect([...counted.keys()].reduce((n, r) => n + byReason(r), 0)).toBe(overflowed.length);
      for (const [reason, n] of tally(overflowed, (o) => o.reason!.slice('overflow:'.length)))
        expect(byReason(reason)).toBe(n);

      // (2) The same wave again: three replicas hold all 12 in flight, so the cluster serves every
      //     request and the closed API sees none.
      const closedBeforeFollowUp = openaiRequests();
      const followUp = await wave();
      console.log(
        `[overflow-burst] follow-up: ${JSON.stringify([...tally(followUp, (o) => `${o.target} ${o.reason}`)])}`,
      );
      expectAllServed(followUp);
      expect(followUp.map((o) => o.target)).toEqual(followUp.map(() => MODEL));
      expect(followUp.map((o) => o.reason)).toEqual(followUp.map(() => 'priority'));
      expect(openaiRequests()).toBe(closedBeforeFollowUp);
    }, 180_000);
  },
);
