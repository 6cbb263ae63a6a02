// Scenario 7, first half: an engine pod crashes and a GPU node goes down while users send
// requests. `bascule-server --roles controller,gateway` runs against kube-sim (4 nodes with one
// L4 each), a private redis-server and an OpenAI provider-sim. The Model crash-chat runs 2
// replicas behind two Routes: crash-only (the Model alone) and crash-or-closed (the Model, then
// GPT-5 mini on no capacity or an upstream error).
// (1) `kubectl annotate pod ... sim.bascule.dev/crash=now` kills one engine while 4 streams are
//     open: exactly the streams that engine held end with the documented "failed mid-stream"
//     error event, every request sent afterwards succeeds, the kubelet restarts the container
//     (restartCount 1, exit 1), 2/2 replicas are ready again and the gateway uses the restarted
//     engine again.
// (2) The engine process dies on its own under a burst on crash-or-closed (engine-sim's
//     crashAfterRequests fault: it exits 1 on a request, dropping every connection): not one
//     request fails (retried on the other replica, or overflowed).
// (3) A node hosting a replica goes down (`kubectl annotate node ... sim.bascule.dev/state=down`):
//     the node turns NotReady, its pod is evicted and rescheduled on a spare node (kubectl get
//     pods -o wide), the Model says Degraded meanwhile, the other replica serves every request,
//     and the Model is Ready with 2/2 again.
// (4) No spare GPU: the replacement stays Pending and the Model says CapacityAvailable=False
//     InsufficientGPU; with no replica left crash-only answers a clear 503 and crash-or-closed
//     overflows (reason overflow:unschedulable); nodes back up, the Model returns to 2/2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst, type BurstOutcome } from '../support/burst.js';
import {
  hasKubectl,
  modelYaml,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
  routeDoc,
} from '../support/served-stack.js';
import { clusterViews, engineFaults } from './support/cluster-views.js';

const MODEL = 'crash-chat';
const ONLY = 'crash-only';
const OVERFLOW = 'crash-or-closed';
const CLOSED = 'openai/gpt-5-mini';
const DEGRADED = '.status.conditions[?(@.type=="Degraded")]';

/** A message a user can read: one line of text, not a stack trace. */
const expectClear = (message: string | undefined) => {
  expect(message).toBeTruthy();
  expect(message).not.toMatch(/\n\s+at /);
};

describe.skipIf(!hasKubectl)('scenario 7: an engine pod crashes, a node goes down', () => {
  let stack: Stack;
  let gateway = '';
  let v: ReturnType<typeof clusterViews>;

  beforeAll(async () => {
    let serve: Serve;
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:4x1',
      providers: { openai: {} },
      roles: 'controller,gateway',
      docs: [
        modelYaml(MODEL, {
          source: `hf://example/${MODEL}`,
          engine: 'vllm',
          gpus: 'nvidia-l4:1',
          maxConcurrency: 4,
          replicas: 2,
          // A person owns the replica count here: the autoscaler would scale an idle Model down.
          autoscaling: { enabled: false },
        }),
        routeDoc(ONLY, {
          strategy: 'priority',
          targets: [{ model: MODEL }],
          fallback: { maxQueueWait: '3s' },
        }),
        routeDoc(OVERFLOW, {
          strategy: 'priority',
          targets: [{ model: MODEL }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'upstreamError'], maxQueueWait: '0s' },
        }),
      ],
    }));
    v = clusterViews(stack, MODEL);
    gateway = serve.gateway!;
    await waitFor('2 ready replicas', () => v.whole(2), 90_000);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const served = (outcomes: BurstOutcome[]) => {
    expect(outcomes.length).toBeGreaterThan(0);
    for (const o of outcomes)
      expect([o.status, o.target, o.error]).toEqual([200, MODEL, undefined]);
  };
  const setNode = (node: string, state: 'up' | 'down') =>
    stack.h.kubectl(['annotate', 'node', node, `sim.bascule.dev/state=${state}`, '--overwrite']);

  it('an engine pod crashes mid-stream: its streams end with a clear error, later requests succeed, the container restarts', async () => {
    const [victim, survivor] = await v.pods();
    // Slow streams (300 ms per event) so every stream is still open when the engine dies.
    for (const p of [victim!, survivor!]) await engineFaults(p, { slowStreamMs: 300 });
    const sentBefore = (await engineFaults(victim!)).requests;
    const client = stack.openai(gateway);
    const streams = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const stream = await client.chat.completions.create(
          {
            model: ONLY,
            messages: [{ role: 'user', content: `stream ${i}` }],
            max_tokens: 16,
            stream: true,
          },
          { timeout: 30_000 },
        );
        const it = stream[Symbol.asyncIterator]();
        await it.next(); // past the first byte: from here on nothing can be retried
        return it;
      }),
    );
    const onVictim = (await engineFaults(victim!)).requests - sentBefore;
    expect(onVictim).toBeGreaterThanOrEqual(1);
    await stack.h.kubectl(['annotate', 'pod', victim!.metadata.name, 'sim.bascule.dev/crash=now']);
    const ends = await Promise.all(
      streams.map(async (it) => {
        try {
          while (!(await it.next()).done);
          return 'ok';
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
      }),
    );
    // Exactly the streams the dead engine held broke, each with the documented error event.
    const broken = ends.filter((e) => e !== 'ok');
    expect(broken.length).toBe(onVictim);
    for (const e of broken) {
      expect(e).toMatch(/^the upstream crash-chat endpoint failed mid-stream: /);
      expectClear(e);
    }
    await engineFaults(survivor!, { slowStreamMs: 0 });
    // Requests sent after the crash all succeed (retried on the survivor if they hit the dead one).
    served(await burst({ client, route: ONLY, requests: 12, concurrency: 3, maxTokens: 8 }));

    // The kubelet restarted the engine in the same pod; the Deployment is whole again.
    const restarted = await waitFor(
      'the victim restarted and ready',
      async () => {
        const p = await v.pod(victim!.metadata.name);
        const c = p.status?.containerStatuses?.[0];
        return c?.restartCount === 1 && c.ready ? p : undefined;
      },
      60_000,
    );
    expect(restarted.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({
      exitCode: 1,
      message: 'crashed by sim.bascule.dev',
    });
    await waitFor('2 ready replicas again', () => v.whole(2), 60_000);
    // The gateway uses the restarted engine again (a fresh process: its count starts at 0).
    await waitFor(
      'traffic on the restarted engine',
      async () => {
        served(await burst({ client, route: ONLY, requests: 2, maxTokens: 4 }));
        return (await engineFaults(restarted)).requests > 0;
      },
      60_000,
    );
  }, 150_000);

  it('an engine process dies under traffic on a Route with an overflow target: no request fails', async () => {
    const victim = (await v.pods())[1]!;
    const restarts = victim.status!.containerStatuses![0]!.restartCount;
    // The engine exits 1 on its 3rd request from now, dropping every connection it holds.
    await engineFaults(victim, { crashAfterRequests: (await engineFaults(victim)).requests + 2 });
    const outcomes = await burst({
      client: stack.openai(gateway),
      route: OVERFLOW,
      requests: 24,
      concurrency: 6,
      maxTokens: 12,
      timeoutMs: 30_000,
    });
    expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
    for (const o of outcomes) {
      expect(o.status).toBe(200);
      expect([MODEL, CLOSED]).toContain(o.target);
    }
    const died = await waitFor(
      'the victim restarted',
      async () => {
        const c = (await v.pod(victim.metadata.name)).status?.containerStatuses?.[0];
        return c && c.restartCount > restarts ? c : undefined;
      },
      60_000,
    );
    expect(died.lastState?.terminated).toMatchObject({
      exitCode: 1,
      message: 'vLLM server exited with code 1',
    });
    await waitFor('2 ready replicas again', () => v.whole(2), 60_000);
  }, 150_000);

  it('a node goes down: its replica moves to a spare node, the other replica serves meanwhile, the Model is Ready again', async () => {
    const before = await v.pods();
    const lost = before[0]!;
    const lostNode = lost.spec.nodeName!;
    // Every status change arrives as a watch event, however short the Degraded window is.
    const watch = stack.h.spawnKubectl([
      'get',
      'model',
      MODEL,
      '-w',
      '-o',
      `jsonpath={${DEGRADED}.status}|{${DEGRADED}.reason}|{${DEGRADED}.message}{"\\n"}`,
    ]);
    await waitFor('the watch started', () => watch.output().includes('|'));
    // Traffic in small bounded bursts for as long as the outage lasts (at most 300 requests).
    let outage = true;
    const traffic = (async () => {
      const out: BurstOutcome[] = [];
      while (outage && out.length < 300)
        out.push(
          ...(await burst({
            client: stack.openai(gateway),
            route: ONLY,
            requests: 3,
            maxTokens: 8,
          })),
        );
      return out;
    })();
    await setNode(lostNode, 'down');
    try {
      const moved = await waitFor(
        'the lost replica rescheduled',
        async () => {
          const ps = await v.pods();
          if (ps.some((p) => p.metadata.name === lost.metadata.name)) return undefined;
          return (await v.whole(2)) ? ps : undefined;
        },
        90_000,
      );
      const fresh = moved.find((p) => !before.some((b) => b.metadata.name === p.metadata.name))!;
      expect(before.map((p) => p.spec.nodeName)).not.toContain(fresh.spec.nodeName);
      // What a user sees: the new pod on another node, the lost node NotReady, the eviction.
      const wide = await stack.h.kubectl(['get', 'pods', '-o', 'wide']);
      expect(wide).toMatch(
        new RegExp(`${fresh.metadata.name}\\s+1/1\\s+Running.*${fresh.spec.nodeName}`),
      );
      // As on a real cluster, the lost pod stays Terminating on its unreachable node (its GPU
      // still held there) until the node comes back or the pod is force-deleted.
      expect(wide).toMatch(new RegExp(`${lost.metadata.name}\\s+\\S+\\s+Terminating.*${lostNode}`));
      expect(await stack.h.kubectl(['get', 'node', lostNode])).toMatch(/NotReady/);
      expect(await stack.h.kubectl(['get', 'events'])).toMatch(
        new RegExp(`TaintManagerEviction\\s+pod/${lost.metadata.name}`),
      );
    } finally {
      outage = false;
    }
    served(await traffic);
    // While degraded the Model said so, with a reason and a message saying what happened.
    const degraded = await waitFor('Degraded seen', () =>
      watch
        .output()
        .split('\n')
        .find((l) => l.startsWith('True|')),
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the watch saw:\n${watch.output()}`);
    });
    const [, reason, message] = degraded.split('|');
    expect(['NodeNotReady', 'ReplicasUnavailable']).toContain(reason);
    expect(message).toMatch(/NotReady|1\/2 replicas ready/);
    expectClear(message);
    await waitFor(
      'Degraded cleared',
      async () => (await v.cond('Degraded'))?.status === 'False',
      60_000,
    );
    expect((await v.cond('Ready'))?.status).toBe('True');
  }, 150_000);

  it('no spare GPU: the replacement stays Pending with a clear capacity condition; with no replica left crash-only fails clearly and crash-or-closed overflows; nodes back, the Model is whole', async () => {
    const client = stack.openai(gateway);
    const nodes = (
      await stack.h.kubectlJson<{ items: { metadata: { name: string } }[] }>(['get', 'nodes'])
    ).items.map((n) => n.metadata.name);
    const used = (await v.pods()).map((p) => p.spec.nodeName!);
    // Every node without a replica goes down (the one lost in the last test already is), then
    // a node with one: its replacement has nowhere to go.
    for (const n of nodes.filter((n) => !used.includes(n))) await setNode(n, 'down');
    await setNode(used[0]!, 'down');
    const capacity = await waitFor(
      'CapacityAvailable=False',
      async () => {
        const c = await v.cond('CapacityAvailable');
        return c?.status === 'False' ? c : undefined;
      },
      60_000,
    );
    expect(capacity.reason).toBe('InsufficientGPU');
    expect(capacity.message).toMatch(/nvidia-l4/);
    expectClear(capacity.message);
    expect(await v.cond('Ready')).toMatchObject({ status: 'True', message: '1/2 replicas ready' });
    expect((await v.cond('Degraded'))?.status).toBe('True');
    expect(await stack.h.kubectl(['get', 'pods'])).toMatch(/crash-chat-\S+\s+0\/1\s+Pending/);
    // The last replica serves everything meanwhile.
    served(await burst({ client, route: ONLY, requests: 6, concurrency: 3, maxTokens: 8 }));

    // The last replica's node goes too: nothing serves, nothing can be scheduled.
    await setNode(used[1]!, 'down');
    const notReady = await waitFor(
      'Ready=False',
      async () => {
        const c = await v.cond('Ready');
        return c?.status === 'False' ? c : undefined;
      },
      60_000,
    );
    expect(notReady.reason).toBe('InsufficientGPU');
    // crash-only has nowhere to go: after maxQueueWait, a 503 that says why.
    const [failed] = await burst({ client, route: ONLY, requests: 1, maxTokens: 8 });
    expect(failed!.status).toBe(503);
    expect(failed!.error).toMatch(/no target can serve this request: crash-chat: /);
    expectClear(failed!.error);
    // crash-or-closed overflows to the closed API instead.
    const [over] = await burst({ client, route: OVERFLOW, requests: 1, maxTokens: 8 });
    expect([over!.status, over!.target, over!.reason]).toEqual([
      200,
      CLOSED,
      'overflow:unschedulable',
    ]);

    for (const n of nodes) await setNode(n, 'up');
    await waitFor(
      'the Model whole again',
      async () => {
        if (!(await v.whole(2))) return false;
        return (
          (await v.cond('Degraded'))?.status === 'False' &&
          (await v.cond('CapacityAvailable'))?.status === 'True'
        );
      },
      90_000,
    );
    const [back] = await burst({ client, route: OVERFLOW, requests: 1, maxTokens: 8 });
    expect([back!.status, back!.target, back!.reason]).toEqual([200, MODEL, 'priority']);
  }, 150_000);
});
