import { createInMemorySecretSource, type SecretSource } from '@bascule/providers';
import {
  createGateway,
  createStaticEndpointStore,
  createStaticResources,
  startGateway,
  type Gateway,
  type GatewayOptions,
  type MutableResourceSource,
  type RunningGateway,
  type ServerTimeouts,
  type StaticEndpointStore,
  type UsageRecord,
} from '@bascule/gateway';
import type { Model, Provider, Route } from '@bascule/spec';
import { startEngineSim, type RunningEngine } from '@bascule/engine-sim';
import { startProviderSim, type RunningProviderSim } from '@bascule/provider-sim';
import OpenAI from 'openai';
import { SIM_KEY, type SimType } from './fixtures.js';

export interface EngineOptions {
  served: string;
  maxNumSeqs?: number;
  outputTokens?: string;
  timeScale?: number;
  host?: string;
  /** More engine arguments (e.g. --enable-lora --lora-modules name=path). */
  extraArgs?: string[];
}

/** A vLLM engine-sim on loopback, loaded and ready. */
export async function startEngine(o: EngineOptions): Promise<RunningEngine> {
  const e = await startEngineSim({
    argv: [
      'vllm',
      'serve',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name',
      o.served,
      '--max-num-seqs',
      String(o.maxNumSeqs ?? 64),
      '--max-model-len',
      '8192',
      '--enable-auto-tool-choice',
      '--tool-call-parser',
      'llama3_json',
      '--output-tokens',
      o.outputTokens ?? 'uniform:4-12',
      ...(o.extraArgs ?? []),
    ],
    host: o.host ?? '127.0.0.1',
    port: 0,
    timeScale: o.timeScale ?? 50,
    loadSeconds: 0,
    tokenizer: 'approx',
  });
  await e.ready;
  return e;
}

export async function startProviders(
  types: SimType[],
): Promise<Record<SimType, RunningProviderSim>> {
  const out = {} as Record<SimType, RunningProviderSim>;
  for (const t of types) out[t] = await startProviderSim({ type: t, apiKey: SIM_KEY, seed: 1 });
  return out;
}

export function simSecrets(names: string[]): SecretSource {
  return createInMemorySecretSource(
    names.map((n) => ({ namespace: 'default', name: `${n}-key`, data: { 'api-key': SIM_KEY } })),
  );
}

export interface TestGateway {
  url: string;
  client: OpenAI;
  gateway: Gateway;
  running: RunningGateway;
  resources: MutableResourceSource;
  store: StaticEndpointStore;
  usage: UsageRecord[];
  close(): Promise<void>;
}

export async function startTestGateway(opts: {
  models?: Model[];
  providers?: Provider[];
  routes?: Route[];
  endpoints?: Record<string, RunningEngine[]>;
  secrets?: SecretSource;
  http?: 'node' | 'express';
  extra?: Partial<GatewayOptions>;
  /** Header, body and idle limits of the port. */
  timeouts?: Partial<ServerTimeouts>;
}): Promise<TestGateway> {
  const resources = createStaticResources({
    models: opts.models,
    providers: opts.providers,
    routes: opts.routes,
  });
  const store = createStaticEndpointStore();
  for (const [m, engines] of Object.entries(opts.endpoints ?? {}))
    store.set(
      m,
      engines.map((e) => ({ url: e.url, ready: true })),
    );
  const usage: UsageRecord[] = [];
  const gateway = createGateway({
    resources,
    endpoints: store,
    secrets: opts.secrets ?? simSecrets((opts.providers ?? []).map((p) => p.metadata.name)),
    onUsage: (r) => usage.push(r),
    ...opts.extra,
  });
  const running = await startGateway({
    gateway,
    http: opts.http,
    ...(opts.timeouts ? { timeouts: opts.timeouts } : {}),
  });
  const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'bsc-test', maxRetries: 0 });
  return {
    url: running.url,
    client,
    gateway,
    running,
    resources,
    store,
    usage,
    async close() {
      await running.close();
      await gateway.close();
    },
  };
}
