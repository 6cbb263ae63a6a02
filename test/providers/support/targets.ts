import type { ResolvedProvider } from '@bascule/providers';
import { startProviderSim, type RunningProviderSim } from '@bascule/provider-sim';
import { startAzureShim, type AzureShim } from './azure-shim.js';

export const TEST_KEY = 'sk-test-conformance-7f3a9c2e1d';

/** One adapter under test, wired to a provider-sim of the matching wire format. */
export interface Target {
  label: string;
  sim: RunningProviderSim;
  model: string;
  provider(overrides?: Partial<ResolvedProvider>): ResolvedProvider;
  azure?: AzureShim;
  close(): Promise<void>;
}

export const TARGET_TYPES = [
  'openai',
  'azure-openai',
  'openai-compatible',
  'anthropic',
  'gemini',
] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export async function startTarget(type: TargetType, latency = { perTokenMs: 1 }): Promise<Target> {
  const simType = type === 'anthropic' ? 'anthropic' : type === 'gemini' ? 'gemini' : 'openai';
  const sim = await startProviderSim({ type: simType, apiKey: TEST_KEY, seed: 7, latency });
  const model =
    simType === 'anthropic'
      ? 'claude-haiku-4-5'
      : simType === 'gemini'
        ? 'gemini-2.5-flash'
        : 'gpt-5-mini';
  let azure: AzureShim | undefined;
  let baseUrl = simType === 'openai' ? `${sim.url}/v1` : sim.url;
  if (type === 'azure-openai') {
    azure = await startAzureShim({
      upstream: sim.url,
      apiKey: TEST_KEY,
      deployments: { 'mini-prod': model },
    });
    baseUrl = azure.url;
  }
  const base: ResolvedProvider = {
    name: `conformance-${type}`,
    type,
    baseUrl,
    apiKey: TEST_KEY,
    ...(type === 'azure-openai'
      ? { apiVersion: '2024-10-21', deployments: { [model]: 'mini-prod' } }
      : {}),
    models: [{ name: model, contextWindow: 200_000 }],
  };
  return {
    label: type,
    sim,
    model,
    azure,
    provider: (overrides = {}) => ({ ...base, ...overrides }),
    async close() {
      await azure?.close();
      await sim.close();
    },
  };
}
