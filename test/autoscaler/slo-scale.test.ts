// The SLO-driven autoscaler with the real controller on kube-sim and engine-sim pods:
// 1. Long prompts fill one replica's KV cache with two requests, so the next ones wait in the
//    engine's queue and their time to first token goes over the Model's objective while only 4
//    requests are in flight (today's in-flight target is 6): the loop reads the queue wait and
//    TTFT from the engines' histograms and scales the Model out before that target is reached.
// 2. A Model over-provisioned at 3 replicas with no load scales in to minReplicas within its
//    scaleDownDelay (plus a decision interval or two), not before.
import type { ModelRef, ScaleDecision } from '@bascule/autoscaler';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  llamaOnL4,
  startHarness,
  waitFor,
  type Harness,
} from '../controller/support/controller-harness.js';
import { startAutoscalerLoop, type ModelView } from './support/autoscaler-on-kube.js';

describe.skipIf(!hasKubectl)('SLO-driven autoscaling on kube-sim', () => {
  let h: Harness;
  let stopLoop: () => Promise<void> = () => Promise.resolve();
  const decisions: { at: number; ref: ModelRef; d: ScaleDecision }[] = [];

  beforeAll(async () => {
    h = await startHarness('l4:3x1', 50);
    stopLoop = startAutoscalerLoop(h, await h.startController(), {
      observer: { observe: (ref, d) => decisions.push({ at: Date.now(), ref, d }) },
      // Windows shortened for a test that runs in seconds; the rules are the defaults', but for
      // the KV-cache rule, off (a target of 1): the long prompts fill the cache, and this file
      // tests the SLO rule alone (decide-scale.test covers the KV rule).
      tuning: { sloWindowMs: 3_000, sloMinRequests: 3, kvCacheTarget: 1 },
    });
  });
  afterAll(async () => {
    await stopLoop();
    await h?.close();
  });

  it('scales out on queue wait and TTFT before in-flight reaches the target', async () => {
    await h.kubectl(
      ['apply', '-f', '-'],
      llamaOnL4('longctx', {
        maxConcurrency: 8,
        maxContextLength: 32768,
        replicas: 1,
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 2,
          scaleDownDelay: '10m',
          slo: { ttftSeconds: 2 },
        },
      }),
    );
    const model = () => h.kubectlJson<ModelView>(['get', 'model', 'longctx']);
    const ready = async () => ((await model()).status?.endpoints ?? []).filter((e) => e.ready);
    await waitFor('one ready replica', async () => (await ready()).length === 1, 60_000);
    const [e] = await ready();

    // 4 clients, each a ~16k-token prompt: the L4's KV cache (~42k tokens) holds two at once.
    // Each prompt starts with its own words, so the prefix cache cannot share their blocks.
    const filler = 'lorem ipsum '.repeat(8_000);
    let stop = false;
    let errors = 0;
    let lastError = '';
    const openai = new OpenAI({
      baseURL: `http://${e!.ip}:${e!.port}/v1`,
      apiKey: 'none',
      maxRetries: 0,
    });
    const client = async (c: number) => {
      for (let i = 0; i < 500 && !stop; i++) {
        try {
          await openai.chat.completions.create({
            model: 'longctx',
            messages: [{ role: 'user', content: `client ${c} request ${i}: ${filler}` }],
            max_tokens: 64,
          });
        } catch (err) {
          errors++;
          lastError = err instanceof Error ? err.message : String(err);
        }
      }
    };
    const clients = Array.from({ length: 4 }, (_, c) => client(c));
    // Polled every 500 ms: each look is a kubectl process, and a tight loop of them takes the CPU
    // the engines need. A look that is not yet there says why, for the timeout message.
    const out = await waitFor(
      'scaled out to 2',
      async () => {
        if ((await model()).spec.replicas === 2) return true;
        const last = decisions.filter((x) => x.ref.name === 'longctx').at(-1);
        throw new Error(
          `last decision: ${last?.d.message ?? 'none'}; client errors ${errors} ${lastError}`,
        );
      },
      60_000,
      500,
    );
    stop = true;
    await Promise.all(clients);
    expect(out).toBe(true);
    expect(errors).toBe(0);
    const up = decisions.find((x) => x.ref.name === 'longctx' && x.d.desired === 2)!;
    expect(up.d.reason).toBe('scale-up-slo');
    expect(up.d.sloPressure).toBe(true);
    // In flight never reached today's target (75% of maxConcurrency 8 = 6) before the scale-out.
    const before = decisions.filter((x) => x.ref.name === 'longctx' && x.at <= up.at);
    expect(Math.max(...before.map((x) => x.d.load))).toBeLessThan(6);
  }, 150_000); // two waits of up to 60 s each, on a loaded CI machine

  it('scales an over-provisioned Model in within its scaleDownDelay', async () => {
    await h.kubectl(['delete', 'model', 'longctx', '--wait=true']);
    // Over-provisioned: 3 replicas set by a person while autoscaling is off, then it is turned on.
    await h.kubectl(
      ['apply', '-f', '-'],
      llamaOnL4('idle', {
        maxConcurrency: 8,
        replicas: 3,
        autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 3, scaleDownDelay: '10s' },
      }),
    );
    const model = () => h.kubectlJson<ModelView>(['get', 'model', 'idle']);
    await waitFor(
      'three ready replicas',
      async () => ((await model()).status?.replicas?.ready ?? 0) === 3,
      60_000,
    );
    const enabledAt = Date.now();
    await h.kubectl([
      'patch',
      'model',
      'idle',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { autoscaling: { enabled: true } } }),
    ]);
    const down = await waitFor(
      'scaled in to 1',
      async () => ((await model()).spec.replicas === 1 ? Date.now() : undefined),
      60_000,
      250,
    );
    const first = decisions.find((x) => x.ref.name === 'idle' && x.d.desired < 3)!;
    expect(first.d.reason).toBe('scale-down');
    // Not before the delay (the policy holds a full window from its first look at the Model),
    // and within it plus a few decision intervals.
    expect(first.at - enabledAt).toBeGreaterThanOrEqual(10_000);
    expect(down - enabledAt).toBeLessThanOrEqual(10_000 + 5_000);
  });
});
