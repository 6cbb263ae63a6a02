import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGateway,
  createStaticEndpointStore,
  createStaticResources,
  gatewayModelLoad,
  type Gateway,
  type GatewayOptions,
  type MutableResourceSource,
  type StaticEndpointStore,
} from '@bascule/gateway';
import {
  createGatewayExecutor,
  createLocalFileStorage,
  createQueueHandler,
  createHeadroomCapacityGate,
  derivedWebhookSecrets,
  QueueContext,
  QueueWorker,
  type CapacityGate,
  type QueueHandlerOptions,
  type QueueWorkerOptions,
} from '@bascule/queue';
import type { Model, Provider, Route } from '@bascule/spec';
import type { RunningEngine } from '@bascule/engine-sim';
import OpenAI from 'openai';
import { modelResource, routeResource } from '../../gateway/support/fixtures.js';
import { simSecrets, startEngine } from '../../gateway/support/harness.js';
import type { RunningRedisServer } from '../../support/redis-server.js';

export interface QueueStack {
  url: string;
  client: OpenAI;
  gateway: Gateway;
  resources: MutableResourceSource;
  store: StaticEndpointStore;
  context: QueueContext;
  storageDir: string;
  /** The in-process worker, when started. */
  worker?: QueueWorker;
  startWorker(extra?: Partial<QueueWorkerOptions>): Promise<QueueWorker>;
  close(): Promise<void>;
}

/**
 * A gateway with the queue handler mounted in front of it (as the gateway role does), a queue
 * context on the given redis-server, and optionally an in-process worker gated by the gateway's
 * own in-flight counts.
 */
export async function startQueueStack(o: {
  redis: RunningRedisServer;
  models?: Model[];
  providers?: Provider[];
  routes?: Route[];
  endpoints?: Record<string, RunningEngine[]>;
  handler?: Partial<QueueHandlerOptions>;
  /** Extra gateway options (authenticate, onUsage...). */
  gateway?: Partial<GatewayOptions>;
  /** Headers the worker sends to the gateway (its Authorization). */
  workerHeaders?: Record<string, string>;
  storageDir?: string;
  attempts?: number;
  backoffMs?: number;
}): Promise<QueueStack> {
  const resources = createStaticResources({
    models: o.models,
    providers: o.providers,
    routes: o.routes,
  });
  const store = createStaticEndpointStore();
  for (const [m, engines] of Object.entries(o.endpoints ?? {}))
    store.set(
      m,
      engines.map((e) => ({ url: e.url, ready: true })),
    );
  const gateway = createGateway({
    resources,
    endpoints: store,
    secrets: simSecrets((o.providers ?? []).map((p) => p.metadata.name)),
    ...o.gateway,
  });
  const ownDir = o.storageDir === undefined;
  const storageDir = o.storageDir ?? (await mkdtemp(join(tmpdir(), 'bsc-queue-files-')));
  const context = new QueueContext({
    redisUrl: o.redis.url,
    storage: createLocalFileStorage(storageDir),
    attempts: o.attempts ?? 4,
    backoffMs: o.backoffMs ?? 50,
    webhookBackoffMs: 50,
  });
  const queue = createQueueHandler({
    context,
    webhooks: { allowPrivate: true },
    targetExists: (n) => {
      const c = resources.snapshot().catalog;
      return c.route(n) !== undefined || c.model(n) !== undefined;
    },
    ...o.handler,
  });
  const server: Server = createServer((req, res) => {
    if (!queue.handle(req, res)) gateway.handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stack: QueueStack = {
    url,
    client: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 }),
    gateway,
    resources,
    store,
    context,
    storageDir,
    async startWorker(extra = {}) {
      const gate: CapacityGate = createHeadroomCapacityGate({
        catalog: () => resources.snapshot().catalog,
        load: gatewayModelLoad(resources, store, gateway.tracker),
        reserve: 1,
      });
      const w = new QueueWorker({
        context,
        executor: createGatewayExecutor({
          url,
          ...(o.workerHeaders ? { headers: o.workerHeaders } : {}),
        }),
        gate,
        catalog: () => resources.snapshot().catalog,
        webhookSecrets: derivedWebhookSecrets('test-signing-key'),
        webhooks: { allowPrivate: true },
        concurrency: 64,
        discoverMs: 100,
        ...extra,
      });
      await w.start();
      stack.worker = w;
      return w;
    },
    async close() {
      await stack.worker?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await gateway.close();
      await context.close();
      if (ownDir) await rm(storageDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** JSONL text of `n` chat lines for `model`. */
export function batchLines(n: number, model: string, prefix = 'req'): string {
  let out = '';
  for (let i = 0; i < n; i++)
    out +=
      JSON.stringify({
        custom_id: `${prefix}-${i}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model, messages: [{ role: 'user', content: `line ${i}` }], max_tokens: 3 },
      }) + '\n';
  return out;
}

/**
 * An engine-sim serving `llama` with `slots` sequences and a stack whose Route `chat` sends to
 * it alone (Model `llama`, maxConcurrency `slots`): the start most queue tests share.
 */
export async function startLlamaQueue(
  redis: RunningRedisServer,
  o: { slots: number; outputTokens: string; timeScale: number },
): Promise<{ engine: RunningEngine; stack: QueueStack }> {
  const engine = await startEngine({
    served: 'llama',
    maxNumSeqs: o.slots,
    outputTokens: o.outputTokens,
    timeScale: o.timeScale,
  });
  try {
    const stack = await startQueueStack({
      redis,
      models: [modelResource('llama', { maxConcurrency: o.slots, servedNames: ['llama'] })],
      routes: [routeResource('chat', { targets: [{ model: 'llama' }] })],
      endpoints: { llama: [engine] },
    });
    return { engine, stack };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
