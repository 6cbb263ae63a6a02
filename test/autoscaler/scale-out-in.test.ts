// The autoscaler loop with the real controller on kube-sim: a closed-loop load generator (the
// official openai SDK) keeps requests running on the engine-sim pods, the loop reads their
// /metrics and scales the Model out through its scale subresource, the controller rolls the
// Deployment, new pods turn Ready and take traffic; when the load stops the Model goes back
// to zero (minReplicas 0), with Events on the Model.
import { writeGatewayCounts } from '@bascule/autoscaler/io';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  llamaOnL4,
  startHarness,
  waitFor,
  type Harness,
} from '../controller/support/controller-harness.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import {
  startAutoscalerLoop,
  waitForReplicas,
  type ModelView,
} from './support/autoscaler-on-kube.js';

describe.skipIf(!hasKubectl)('autoscaler with the controller on kube-sim', () => {
  let h: Harness;
  let stopLoop: () => Promise<void> = () => Promise.resolve();
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let controller: Awaited<ReturnType<Harness['startController']>> | undefined;

  beforeAll(async () => {
    h = await startHarness('l4:3x1', 50);
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  });
  const coderEvents = () =>
    h.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=coder']);
  afterAll(async () => {
    await stopLoop();
    redis?.disconnect();
    await redisServer?.stop();
    await h?.close();
  });

  it('scales out under load, new pods take traffic, and scales back to zero when idle', async () => {
    stopLoop = startAutoscalerLoop(h, (controller = await h.startController()));
    await h.kubectl(
      ['apply', '-f', '-'],
      llamaOnL4('coder', {
        maxConcurrency: 4,
        replicas: 1,
        autoscaling: {
          minReplicas: 0,
          maxReplicas: 3,
          targetInFlight: 2,
          scaleDownDelay: '5s',
          scaleToZeroDelay: '10s',
        },
      }),
    );
    const model = () => h.kubectlJson<ModelView>(['get', 'model', 'coder']);
    const readyEndpoints = async () =>
      ((await model()).status?.endpoints ?? []).filter((e) => e.ready);
    await waitFor('one ready replica', async () => (await readyEndpoints()).length === 1, 60_000);

    // Closed-loop load: 6 clients, each sending the next request to the least-used ready endpoint.
    const served = new Map<string, number>();
    const busy = new Map<string, number>();
    let endpoints = await readyEndpoints();
    let stop = false;
    let errors = 0;
    const refresher = (async () => {
      while (!stop) {
        endpoints = await readyEndpoints().catch(() => endpoints);
        // Refresh cadence of the background endpoint list while load runs, not synchronisation.
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const deadline = Date.now() + 90_000;
    const client = async () => {
      for (let i = 0; i < 2_000 && !stop && Date.now() < deadline; i++) {
        const e = [...endpoints].sort((a, b) => (busy.get(a.ip) ?? 0) - (busy.get(b.ip) ?? 0))[0];
        if (!e) break;
        busy.set(e.ip, (busy.get(e.ip) ?? 0) + 1);
        try {
          const openai = new OpenAI({
            baseURL: `http://${e.ip}:${e.port}/v1`,
            apiKey: 'none',
            maxRetries: 0,
          });
          await openai.chat.completions.create({
            model: 'coder',
            messages: [{ role: 'user', content: 'Write a long function that sorts a list.' }],
            max_tokens: 256,
          });
          served.set(e.ip, (served.get(e.ip) ?? 0) + 1);
        } catch {
          errors++;
        } finally {
          busy.set(e.ip, (busy.get(e.ip) ?? 1) - 1);
        }
      }
    };
    const clients = Array.from({ length: 6 }, () => client());

    const scaled = await waitForReplicas(model, 3, 'three ready replicas');
    expect(scaled.status!.endpoints!.filter((e) => e.ready)).toHaveLength(3);
    // Every new pod takes traffic.
    await waitFor('traffic on all three pods', () =>
      scaled.status!.endpoints!.every((e) => (served.get(e.ip) ?? 0) > 0),
    );
    stop = true;
    await Promise.all([...clients, refresher]);
    expect(errors).toBe(0);

    const zero = await waitForReplicas(model, 0, 'scaled to zero');
    expect(zero.spec.replicas).toBe(0);
    const deployment = await h.kubectlJson<{ spec: { replicas: number } }>([
      'get',
      'deployment',
      'coder',
    ]);
    expect(deployment.spec.replicas).toBe(0);
    const events = await coderEvents();
    expect(events).toContain('ScaledUp');
    expect(events).toContain('ScaledToZero');
  });

  it('comes back from zero when a gateway reports a waiting request in Redis', async () => {
    await stopLoop();
    stopLoop = startAutoscalerLoop(h, (controller ??= await h.startController()), { redis });
    const model = () => h.kubectlJson<ModelView>(['get', 'model', 'coder']);
    expect((await model()).spec.replicas).toBe(0);
    // A gateway holds one request for the cold Model (waiting, per its Route).
    await writeGatewayCounts(redis, 'gw-1', new Map([['coder', { inFlight: 1, overflow: 0 }]]));
    const back = await waitForReplicas(model, 1, 'one ready replica after zero');
    expect(back.status!.endpoints!.filter((e) => e.ready)).toHaveLength(1);
    const events = await coderEvents();
    expect(events).toContain('ScaledFromZero');
  });
});
