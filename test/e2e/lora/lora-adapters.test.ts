// Scenario 12, a fine-tuned adapter as a first-class target: `bascule-server --roles
// controller,gateway,api` against kube-sim (engine-sims as vLLM pods) and a private redis-server.
// A running two-replica vLLM Model gets a LoRA adapter in its spec; the controller loads it on
// both replicas through vLLM's runtime adapter API with no pod restarted; the official openai SDK
// lists it with its base Model and is served by it, directly and through a Route; repeat
// requests for the adapter keep to one replica while its load allows and spill over under a
// concurrent burst; usage by adapter counts them; removing the adapter unloads it and makes
// requests for it fail with a 404 naming it, again without a restart.
import OpenAI, { NotFoundError } from 'openai';
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

const MODEL = 'base-8b';
const ADAPTER = 'sql-expert';
const ROUTE = 'sql';
const ADMIN_KEY = 'bsc-admin-e2e-lora-0123456789';

interface Endpoint {
  pod: string;
  ip: string;
  port: number;
  ready: boolean;
  adapters?: string[];
}
interface ModelView {
  status?: { endpoints?: Endpoint[]; replicas?: { ready?: number } };
}
interface PodList {
  items: {
    metadata: { name: string; uid: string };
    status?: { containerStatuses?: { restartCount: number }[] };
  }[];
}

describe.skipIf(!hasKubectl)('scenario 12: LoRA adapters added and removed at run time', () => {
  let stack: Stack;
  let serve: Serve;
  let client: OpenAI;

  beforeAll(async () => {
    ({ stack, serve } = await startServedStack({
      nodes: 'l4:2x1',
      adminKey: ADMIN_KEY,
      env: { BASCULE_AUTH: 'none' },
      docs: [
        // vllm.maxLoras turns LoRA on before the first adapter, so adding one needs no rollout
        llamaOnL4(MODEL, {
          replicas: 2,
          // two replicas throughout: the adapter's placement is what this story watches
          autoscaling: { minReplicas: 2, maxReplicas: 2 },
          maxConcurrency: 8,
          maxContextLength: 4096,
          vllm: { maxLoras: 2 },
        }),
        routeDoc(ROUTE, { strategy: 'priority', targets: [{ model: ADAPTER }] }),
      ],
    }));
    client = stack.openai(serve.gateway!);
    await waitFor(
      'both replicas ready',
      async () =>
        (await stack.h.kubectlJson<ModelView>(['get', 'model', MODEL])).status?.endpoints?.filter(
          (e) => e.ready,
        ).length === 2,
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const model = () => stack.h.kubectlJson<ModelView>(['get', 'model', MODEL]);
  const pods = async () =>
    (await stack.h.kubectlJson<PodList>(['get', 'pods', '-l', `bascule.dev/model=${MODEL}`])).items
      .map((p) => ({
        name: p.metadata.name,
        uid: p.metadata.uid,
        restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  const deploymentGeneration = async () =>
    (await stack.h.kubectlJson<{ metadata: { generation: number } }>(['get', 'deployment', MODEL]))
      .metadata.generation;
  const setAdapters = (adapters: object[]) =>
    stack.h.kubectl([
      'patch',
      'model',
      MODEL,
      '--type',
      'merge',
      '-p',
      JSON.stringify({ spec: { loraAdapters: adapters } }),
    ]);
  /** Requests each replica's engine finished, read from its own /metrics (vLLM's counter). */
  const served = async (eps: Endpoint[]): Promise<Map<string, number>> => {
    const out = new Map<string, number>();
    for (const e of eps) {
      const text = await (await fetch(`http://${e.ip}:${e.port}/metrics`)).text();
      let n = 0;
      for (const line of text.split('\n'))
        if (line.startsWith('vllm:request_success_total{')) n += Number(line.split(' ').at(-1));
      out.set(e.pod, n);
    }
    return out;
  };
  const ask = (name: string, maxTokens = 8) =>
    client.chat.completions.create({
      model: name,
      messages: [{ role: 'user', content: 'List the tables of the orders schema.' }],
      max_tokens: maxTokens,
    });

  it('adds an adapter without a restart, serves it through the openai SDK with adapter affinity, meters it, and removes it with a 404 naming it', async () => {
    const before = await pods();
    expect(before).toHaveLength(2);
    const generation = await deploymentGeneration();

    // 1. Add the adapter to the running Model: loaded on both replicas at run time.
    await setAdapters([{ name: ADAPTER, source: 'hf://acme/llama-3.1-8b-sql-lora' }]);
    const eps = await waitFor(
      'both replicas report the adapter loaded',
      async () => {
        const e = (await model()).status?.endpoints ?? [];
        return e.length === 2 && e.every((x) => x.ready && x.adapters?.includes(ADAPTER))
          ? e
          : undefined;
      },
      30_000,
    );
    for (const e of eps) {
      const listed = (await (await fetch(`http://${e.ip}:${e.port}/v1/models`)).json()) as {
        data: { id: string; parent: string | null; root: string }[];
      };
      expect(listed.data).toContainEqual(
        expect.objectContaining({ id: ADAPTER, root: 'acme/llama-3.1-8b-sql-lora' }),
      );
    }
    await waitFor(
      'the gateway lists the adapter with its base Model',
      async () => {
        const list = await client.models.list();
        const entry = list.data.find((m) => m.id === ADAPTER) as unknown as
          { parent?: string } | undefined;
        return entry?.parent === MODEL;
      },
      15_000,
    );

    // 2. Served by name, with the adapter as the engine's "model".
    const { data: first, response } = await ask(ADAPTER).withResponse();
    expect(first.model).toBe(ADAPTER);
    expect(first.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get('x-bascule-target')).toBe(MODEL);
    // and through a Route whose target names the adapter; route explain says so
    const viaRoute = await ask(ROUTE);
    expect(viaRoute.model).toBe(ADAPTER);
    const explained = await bascule(serve.api!, ADMIN_KEY, [
      'route',
      'explain',
      ROUTE,
      '--prompt',
      'hi',
      '-o',
      'json',
    ]);
    expect(explained.code, explained.stderr).toBe(0);
    const explanation = (
      JSON.parse(explained.stdout) as {
        explanation: { targets: { target: string; adapter?: string; verdict: string }[] };
      }
    ).explanation;
    expect(explanation.targets).toContainEqual(
      expect.objectContaining({ target: MODEL, adapter: ADAPTER, verdict: 'chosen' }),
    );

    // 3. Repeat requests, one at a time: all on the replica the adapter's affinity picks.
    const start = await served(eps);
    for (let i = 0; i < 6; i++) await ask(ADAPTER);
    const afterRepeat = await served(eps);
    const delta = eps.map((e) => afterRepeat.get(e.pod)! - start.get(e.pod)!);
    expect(delta.sort()).toEqual([0, 6]);
    // A concurrent burst: the preferred replica takes requests while under its load bound,
    // then the other one does.
    await Promise.all(Array.from({ length: 8 }, () => ask(ADAPTER, 300)));
    const afterBurst = await served(eps);
    const burst = eps.map((e) => afterBurst.get(e.pod)! - afterRepeat.get(e.pod)!);
    expect(burst.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.min(...burst)).toBeGreaterThan(0);

    // 4. Usage by adapter: every request that ran with it (direct and through the Route).
    const row = await waitFor(
      'usage by adapter',
      async () => {
        const u = await bascule(serve.api!, ADMIN_KEY, ['usage', '--by', 'adapter', '-o', 'json']);
        if (u.code !== 0) throw new Error(u.stderr);
        const r = (
          JSON.parse(u.stdout) as { rows: { name: string; requests: number; errors: number }[] }
        ).rows.find((x) => x.name === ADAPTER);
        return r && r.requests >= 16 ? r : undefined;
      },
      30_000,
    );
    expect(row).toMatchObject({ requests: 16, errors: 0 });

    // 5. No pod was restarted or replaced, and the Deployment was not rolled.
    expect(await pods()).toEqual(before);
    expect(await deploymentGeneration()).toBe(generation);

    // 6. Remove the adapter: unloaded from both engines, requests get a 404 naming it.
    await setAdapters([]);
    await waitFor(
      'both replicas report the adapter unloaded',
      async () => {
        const e = (await model()).status?.endpoints ?? [];
        return e.length === 2 && e.every((x) => x.ready && x.adapters?.length === 0);
      },
      30_000,
    );
    const gone = await waitFor(
      'requests for the adapter fail with 404',
      async () => {
        const err = await ask(ADAPTER).catch((e: unknown) => e);
        return err instanceof NotFoundError ? err : undefined;
      },
      15_000,
    );
    expect(gone.status).toBe(404);
    expect(gone.message).toContain(`'${ADAPTER}'`);
    expect(gone.message).toContain('does not exist');
    const listed = await client.models.list();
    expect(listed.data.map((m) => m.id)).not.toContain(ADAPTER);
    expect(await pods()).toEqual(before);
    expect(await deploymentGeneration()).toBe(generation);
  }, 120_000);
});
