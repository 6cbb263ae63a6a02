// The stack every observability story starts from (issue 24): one `bascule-server --roles
// controller,gateway,api,worker` with keys, the access log at its defaults and tracing on through
// the standard OTEL_* variables, exporting to a real OTLP/HTTP receiver on loopback; kube-sim with
// one L4 node, an OpenAI provider-sim. Model `small` (L4) serves Route `chat`; Route `cold` names
// Model `big` (H100, no such node: unschedulable) first, so its requests overflow to
// openai/gpt-5-mini. One key (tenant team-obs, 10 USD a day) and the readers the stories share:
// the access log of the server's output and one sample of its /metrics.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../support/otlp-receiver.js';
import {
  llamaOnL4,
  modelYaml,
  routeDoc,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
} from '../../support/served-stack.js';

export { hasKubectl, waitFor } from '../../support/served-stack.js';

export const ADMIN = 'bsc-e2e-observability-bootstrap-admin-0123456789';
/** Every prompt carries it: no access line may. */
export const MARK = 'zebra-quartz-prompt';

export interface AccessLine {
  msg: string;
  requestId: string;
  endpoint: string;
  keyId: string;
  tenant: string;
  route: string;
  target: string;
  reason: string;
  status: number;
  promptTokens: number;
  completionTokens: number;
  costUSD: number;
  latencyMs: number;
  ttftMs?: number;
  cancelled?: boolean;
}

export interface ObservabilityStack {
  stack: Stack;
  serve: Serve;
  otlp: OtlpReceiver;
  /** The key's secret and id. */
  key: string;
  keyId: string;
  /** The official SDK on the gateway with the key, no retries. */
  client: OpenAI;
  /** Every access line the server has written so far. */
  accessLines: () => AccessLine[];
  /** The access line of one request id, once written. */
  lineOf: (requestId: string) => Promise<AccessLine>;
  /** The value of the /metrics sample `name` whose labels include `labels`, if there is one. */
  metric: (name: string, labels: Record<string, string>) => Promise<number | undefined>;
  close: () => Promise<void>;
}

/** Starts the stack, issues the key and waits for Model `small` to serve; closes all on failure. */
export async function startObservabilityStack(): Promise<ObservabilityStack> {
  const otlp = await startOtlpReceiver();
  let served: { stack: Stack; serve: Serve };
  try {
    served = await startServedStack({
      nodes: 'l4:1x1',
      providers: { openai: {} },
      roles: 'controller,gateway,api,worker',
      adminKey: ADMIN,
      env: {
        BASCULE_AUTH: 'keys',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_SERVICE_NAME: 'bascule-e2e',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      docs: [
        llamaOnL4('small', {
          replicas: 1,
          maxConcurrency: 8,
          capabilities: ['chat', 'completions', 'embeddings'],
          // The autoscaler reads this Model's engines (KV-cache use) and holds it at one replica.
          autoscaling: { minReplicas: 1, maxReplicas: 1 },
        }),
        modelYaml('big', {
          source: 'hf://Qwen/Qwen3-32B',
          engine: 'vllm',
          gpus: 'nvidia-h100:1',
          replicas: 1,
        }),
        routeDoc('chat', {
          strategy: 'priority',
          targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'queueWait'], maxQueueWait: '2s' },
        }),
        routeDoc('cold', {
          strategy: 'priority',
          targets: [{ model: 'big' }, { provider: 'openai', model: 'gpt-5-mini' }],
          fallback: { triggers: ['noCapacity', 'coldStart', 'queueWait'], maxQueueWait: '100ms' },
          budgets: { dailyUSD: 5, onExceeded: 'self-hosted-only' },
        }),
      ],
    });
  } catch (err) {
    await otlp.close();
    throw err;
  }
  const { stack, serve } = served;
  const close = async () => {
    await stack.close();
    await otlp.close();
  };
  try {
    const created = await fetch(`${serve.api}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'observer',
        tenant: 'team-obs',
        budget: { usd: 10, period: 'day' },
      }),
    });
    expect(created.status).toBe(201);
    const { key, id: keyId } = (await created.json()) as { key: string; id: string };
    await waitFor(
      'Model small serving',
      async () => {
        const m = await stack.h.kubectlJson<{ status?: { endpoints?: { ready: boolean }[] } }>([
          'get',
          'model',
          'small',
        ]);
        return m.status?.endpoints?.some((e) => e.ready) || undefined;
      },
      60_000,
    );

    const accessLines = (): AccessLine[] =>
      serve
        .output()
        .split('\n')
        .filter((l) => l.includes('"msg":"access"'))
        .map((l) => JSON.parse(l) as AccessLine);
    const lineOf = (id: string) =>
      waitFor(`access line of ${id}`, () => accessLines().find((l) => l.requestId === id), 10_000);
    const metric = async (name: string, labels: Record<string, string>) => {
      const metricsUrl =
        /"url":"(http:[^"]+)"[^\n]*"msg":"metrics and health endpoints listening"/.exec(
          serve.output(),
        )![1]!;
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      for (const line of text.split('\n')) {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!m || m[1] !== name) continue;
        const have = new Map<string, string>();
        for (const x of (m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)) have.set(x[1]!, x[2]!);
        if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[3]);
      }
      return undefined;
    };
    const client = new OpenAI({ baseURL: `${serve.gateway}/v1`, apiKey: key, maxRetries: 0 });
    return { stack, serve, otlp, key, keyId, client, accessLines, lineOf, metric, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * One stack for the calling test file: started before its tests (then `ready`, e.g. to make
 * the requests its tests read back), closed after them. Returns the getter the tests use.
 */
export function useObservabilityStack(
  ready?: (obs: ObservabilityStack) => Promise<void>,
): () => ObservabilityStack {
  let obs: ObservabilityStack | undefined;
  beforeAll(async () => {
    obs = await startObservabilityStack();
    await ready?.(obs);
  }, 120_000);
  afterAll(async () => {
    await obs?.close();
  });
  return () => obs!;
}
