// Scenario 8's stack: two `bascule-server` replicas on one Redis and one kube-sim, with keys
// on (replica A: controller,gateway,api; replica B: gateway,api), a self-hosted Model behind Route
// "local" and an OpenAI provider-sim behind Route "frontier"; and the client-side helpers the
// governance stories share (issue a key with bascule, ask through the official SDK, read usage).
import OpenAI from 'openai';
import { expect } from 'vitest';
import { modelYaml, routeDoc, startStack, waitFor, type Stack } from '../../support/stack.js';
import { cliJson } from './bascule.js';

export const ADMIN = 'bsc-e2e-governance-bootstrap-admin-0123456789';
export const MODEL = 'team-chat';
export const PROMPT = 'Summarise our quarterly planning notes in one line.';
export const OUTPUT_TOKENS = 8;
// gpt-5-mini as the stack registers it: USD per 1M tokens.
export const PRICE = { in: 0.25, out: 2 };

export interface KeyCreated {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  key: string;
  rpm?: number;
  budget?: { usd: number; period: string };
  routes?: string[];
}
export interface UsageRow {
  name: string;
  keyName?: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
  errors: number;
}
/** What a client sees of one request through the SDK. */
export interface Outcome {
  status: number;
  target?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number };
  error?: {
    code: string | undefined;
    type: string | undefined;
    message: string;
    retryAfter: string | null;
    /** The SDK's error class, e.g. AuthenticationError. */
    sdkClass: string;
  };
}
export interface Replica {
  name: 'A' | 'B';
  gateway: string;
  api: string;
}

export interface GovernanceStack {
  stack: Stack;
  A: Replica;
  B: Replica;
  createKey: (on: Replica, name: string, flags: string[]) => Promise<KeyCreated>;
  /** One chat completion through the official SDK; the outcome a client sees. */
  ask: (on: Replica, key: string, routeName: string) => Promise<Outcome>;
  /** The cost of one closed-API request (fixed prompt, fixed output), learnt once with the admin key. */
  closedRequestCost: () => Promise<number>;
  /** The key's row of `bascule usage --by key`, once it counts `requests` (flushed every second). */
  usageOf: (keyId: string, requests: number) => Promise<UsageRow>;
  close: () => Promise<void>;
}

export async function startGovernanceStack(): Promise<GovernanceStack> {
  // Budgets and usage are per UTC day: a run that crossed midnight would see them reset.
  await waitFor(
    'not the last two minutes of a UTC day',
    () => 86_400_000 - (Date.now() % 86_400_000) > 120_000,
    130_000,
  );
  const stack = await startStack({
    nodes: 'l4:1x1',
    providers: { openai: { seed: 8, outputTokens: { min: OUTPUT_TOKENS, max: OUTPUT_TOKENS } } },
  });
  await stack.apply([
    modelYaml(MODEL, {
      source: `hf://example/${MODEL}`,
      engine: 'vllm',
      gpus: 'nvidia-l4:1',
      maxConcurrency: 16,
      replicas: 1,
    }),
    route('local', [{ model: MODEL }], { allowExternal: false }),
    route('frontier', [{ provider: 'openai', model: 'gpt-5-mini' }]),
  ]);
  const env = { BASCULE_AUTH: 'keys', BASCULE_ADMIN_KEY: ADMIN };
  const [a, b] = await Promise.all([
    stack.serve({ roles: 'controller,gateway,api', env }),
    stack.serve({ roles: 'gateway,api', env }),
  ]);
  const A: Replica = { name: 'A', gateway: a.gateway!, api: a.api! };
  const B: Replica = { name: 'B', gateway: b.gateway!, api: b.api! };
  await waitFor(
    'the self-hosted Model Ready',
    async () =>
      (
        await stack.h.kubectlJson<{ status?: { replicas?: { ready?: number } } }>([
          'get',
          'model',
          MODEL,
        ])
      ).status?.replicas?.ready === 1,
    90_000,
  );

  const createKey = async (on: Replica, name: string, flags: string[]) =>
    cliJson<KeyCreated>(on.api, ADMIN, ['keys', 'create', name, ...flags]);

  /** One chat completion through the official SDK; the outcome a client sees. */
  async function ask(on: Replica, key: string, routeName: string): Promise<Outcome> {
    const client = new OpenAI({ baseURL: `${on.gateway}/v1`, apiKey: key, maxRetries: 0 });
    try {
      const { data, response } = await client.chat.completions
        .create(
          {
            model: routeName,
            messages: [{ role: 'user', content: PROMPT }],
            max_tokens: OUTPUT_TOKENS,
          },
          { timeout: 60_000 },
        )
        .withResponse();
      const usage = data.usage as Outcome['usage'];
      return {
        status: response.status,
        target: response.headers.get('x-bascule-target'),
        ...(usage ? { usage } : {}),
      };
    } catch (err) {
      if (!(err instanceof OpenAI.APIError)) throw err;
      const e = err as unknown as {
        status?: number;
        code?: string | null;
        type?: string;
        message: string;
        headers?: Headers;
      };
      return {
        status: e.status ?? 0,
        error: {
          code: e.code ?? undefined,
          type: e.type,
          message: e.message,
          retryAfter: e.headers?.get('retry-after') ?? null,
          sdkClass: err.constructor.name,
        },
      };
    }
  }

  /** The cost of one closed-API request (fixed prompt, fixed output), learnt once with the admin key. */
  let probed: number | undefined;
  async function closedRequestCost(): Promise<number> {
    if (probed !== undefined) return probed;
    const probe = await ask(A, ADMIN, 'frontier');
    expect(probe.status).toBe(200);
    expect(probe.target).toBe('openai/gpt-5-mini');
    const { prompt_tokens: pt, completion_tokens: ct } = probe.usage!;
    expect(ct).toBe(OUTPUT_TOKENS);
    return (probed = (pt * PRICE.in + ct * PRICE.out) / 1e6);
  }

  /** The key's row of `bascule usage --by key`, once it counts `requests` (usage is flushed every second). */
  const usageOf = (keyId: string, requests: number) =>
    waitFor(
      `usage of ${keyId} at ${requests} requests`,
      async () => {
        const u = await cliJson<{ rows: UsageRow[] }>(A.api, ADMIN, ['usage', '--by', 'key']);
        const row = u.rows.find((r) => r.name === keyId);
        return row && row.requests >= requests ? row : undefined;
      },
      30_000,
    );

  return {
    stack,
    A,
    B,
    createKey,
    ask,
    closedRequestCost,
    usageOf,
    close: () => stack.close(),
  };
}

export function route(
  name: string,
  targets: object[],
  extra: Record<string, unknown> = {},
): object {
  return routeDoc(name, {
    strategy: 'priority',
    targets,
    fallback: { triggers: ['noCapacity'], maxQueueWait: '30s' },
    ...extra,
  });
}
