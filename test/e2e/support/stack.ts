// The whole stack for an end-to-end story: kube-sim (real HTTP, real kubectl), a private
// redis-server, provider-sims registered as Providers, and `bascule-server` as child processes
// (one or more replicas, any roles). Every scenario under test/e2e/ starts from here.
import { join } from 'node:path';
import OpenAI from 'openai';
import {
  startProviderSim,
  type ProviderSimOptions,
  type ProviderSimType,
  type RunningProviderSim,
} from '@bascule/provider-sim';
import {
  startHarness,
  waitFor,
  type Harness,
} from '../../controller/support/controller-harness.js';
import {
  startRedisServer,
  type RedisServerOptions,
  type RunningRedisServer,
} from '../../support/redis-server.js';

export {
  hasKubectl,
  modelYaml,
  waitFor,
  type ModelView,
} from '../../controller/support/controller-harness.js';

/** Prices the stack registers for each simulated closed model (USD per 1M tokens). */
export const SIM_MODELS: Record<ProviderSimType, { name: string; in: number; out: number }[]> = {
  openai: [
    { name: 'gpt-5-mini', in: 0.25, out: 2 },
    { name: 'gpt-5', in: 1.25, out: 10 },
  ],
  anthropic: [{ name: 'claude-sonnet-4-5-20250929', in: 3, out: 15 }],
  gemini: [{ name: 'gemini-2.5-flash', in: 0.3, out: 2.5 }],
};

export interface StackOptions {
  /** kube-sim nodes, e.g. 'l4:2x1' (2 nodes with 1 L4 each). */
  nodes: string;
  /** kube-sim time scale (default 50: a 60 s model load takes 1.2 s). */
  timeScale?: number;
  /** Closed APIs to simulate and register as Providers (named after their type). */
  providers?: Partial<Record<ProviderSimType, Partial<ProviderSimOptions>>>;
  /** Options of the private redis-server (e.g. AOF, to restart it without losing data). */
  redis?: RedisServerOptions;
}

export interface ServeOptions {
  roles: string;
  /** Extra `bascule-server` flags, e.g. ['--identity', 'ctl-a', '--lease-duration', '3s']. */
  args?: string[];
  /** Extra environment; undefined removes a variable. */
  env?: NodeJS.ProcessEnv;
}

export interface Serve {
  child: ReturnType<Harness['spawnServe']>['child'];
  output(): string;
  /** The gateway's URL (without /v1) when the gateway role runs. */
  gateway?: string;
  /** The REST API's URL when the api role runs. */
  api?: string;
  /** Sends SIGTERM (or `signal`) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface Stack {
  h: Harness;
  redis: RunningRedisServer;
  sims: Partial<Record<ProviderSimType, RunningProviderSim>>;
  /** Applies objects (or YAML/JSON text) with kubectl. */
  apply(docs: object | object[] | string): Promise<void>;
  /** Starts one `bascule-server` and waits until its gateway/api/worker are up. */
  serve(options: ServeOptions): Promise<Serve>;
  /** The official openai SDK pointed at a gateway. */
  openai(gateway: string, apiKey?: string): OpenAI;
  close(): Promise<void>;
}

const SIM_KEY_PREFIX = 'sk-e2e-';

function providerDocs(type: ProviderSimType, sim: RunningProviderSim): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${type}-key` },
      stringData: { 'api-key': `${SIM_KEY_PREFIX}${type}` },
    },
    {
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Provider',
      metadata: { name: type },
      spec: {
        type,
        baseURL: type === 'openai' ? `${sim.url}/v1` : sim.url,
        apiKeySecretRef: { name: `${type}-key`, key: 'api-key' },
        models: SIM_MODELS[type].map((m) => ({
          name: m.name,
          inputUSDPer1M: m.in,
          outputUSDPer1M: m.out,
          contextWindow: 128000,
        })),
      },
    },
  ];
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const h = await startHarness(options.nodes, options.timeScale ?? 50);
  const redis = await startRedisServer(options.redis);
  const sims: Stack['sims'] = {};
  const serves: Serve[] = [];
  const apply: Stack['apply'] = async (docs) => {
    const list = typeof docs === 'string' ? [docs] : Array.isArray(docs) ? docs : [docs];
    for (const doc of list)
      await h.kubectl(['apply', '-f', '-'], typeof doc === 'string' ? doc : JSON.stringify(doc));
  };
  const stack: Stack = {
    h,
    redis,
    sims,
    apply,
    async serve({ roles, args = [], env = {} }) {
      const list = roles.split(',');
      const spawned = h.spawnServe(
        ['--roles', roles, '--metrics-host', '127.0.0.1', '--metrics-port', '0', ...args],
        {
          BASCULE_GATEWAY_HOST: '127.0.0.1',
          BASCULE_GATEWAY_PORT: '0',
          BASCULE_API_HOST: '127.0.0.1',
          BASCULE_API_PORT: '0',
          BASCULE_REDIS_URL: redis.url,
          BASCULE_AUTH: 'none',
          BASCULE_BATCH_DIR: join(h.dir, 'batches'),
          // provider-sims and webhook receivers live on loopback (as pnpm start allows it).
          BASCULE_EGRESS_ALLOW: '127.0.0.0/8,::1',
          BASCULE_GATEWAY_URL: undefined,
          BASCULE_WORKER_KEY: undefined,
          ...env,
        },
      );
      const exited = new Promise<void>((resolve) => spawned.child.once('exit', () => resolve()));
      const serve: Serve = {
        child: spawned.child,
        output: spawned.output,
        async stop(signal = 'SIGTERM') {
          if (spawned.child.exitCode === null && spawned.child.signalCode === null)
            spawned.child.kill(signal);
          await exited;
        },
      };
      serves.push(serve);
      const logged = (msg: string) =>
        new RegExp(`"url":"(http:[^"]+)"[^\\n]*"msg":"${msg}"`).exec(spawned.output())?.[1];
      const early = () => {
        if (spawned.child.exitCode !== null)
          throw new Error(`bascule-server exited early:\n${spawned.output()}`);
      };
      if (list.includes('gateway'))
        serve.gateway = await waitFor(
          'gateway listening',
          () => (early(), logged('gateway listening')),
          40_000,
        );
      if (list.includes('api'))
        serve.api = await waitFor(
          'api listening',
          () => (early(), logged('api listening')),
          40_000,
        );
      if (list.includes('worker'))
        await waitFor(
          'worker started',
          () => (early(), spawned.output().includes('"msg":"worker started"')),
          40_000,
        );
      return serve;
    },
    openai(gateway, apiKey = 'unused') {
      return new OpenAI({ baseURL: `${gateway}/v1`, apiKey, maxRetries: 0 });
    },
    async close() {
      await Promise.all(serves.map((s) => s.stop('SIGKILL')));
      await redis.stop();
      await Promise.all(Object.values(sims).map((s) => s.close()));
      await h.close();
    },
  };
  try {
    for (const [type, extra] of Object.entries(options.providers ?? {}) as [
      ProviderSimType,
      Partial<ProviderSimOptions>,
    ][]) {
      const sim = await startProviderSim({
        host: '127.0.0.1',
        port: 0,
        models: SIM_MODELS[type].map((m) => m.name),
        ...extra,
        type,
        apiKey: `${SIM_KEY_PREFIX}${type}`,
      });
      sims[type] = sim;
      await apply(providerDocs(type, sim));
    }
  } catch (err) {
    await stack.close();
    throw err;
  }
  return stack;
}

/** A Route manifest as kubectl applies it. */
export function routeDoc(name: string, spec: Record<string, unknown>): object {
  return { apiVersion: 'bascule.dev/v1alpha1', kind: 'Route', metadata: { name }, spec };
}
