// Closed APIs for the local stack: a provider-sim per type, or the real API when its key is in
// the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY).
import { randomBytes } from 'node:crypto';
import { startProviderSim, type RunningProviderSim } from '@bascule/provider-sim';
import type { ProviderTarget, ProviderType } from './example-manifests.js';

export const PROVIDER_ENV: Record<ProviderType, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

export interface StartedProviders {
  targets: Record<ProviderType, ProviderTarget>;
  sims: Partial<Record<ProviderType, RunningProviderSim>>;
  close(): Promise<void>;
}

export async function startProviders(
  models: Record<ProviderType, string[]>,
  env: NodeJS.ProcessEnv,
): Promise<StartedProviders> {
  const sims: Partial<Record<ProviderType, RunningProviderSim>> = {};
  const targets = {} as Record<ProviderType, ProviderTarget>;
  const close = async () => {
    await Promise.all(Object.values(sims).map((s) => s.close()));
  };
  try {
    for (const type of ['openai', 'anthropic', 'gemini'] as const) {
      const real = env[PROVIDER_ENV[type]];
      if (real) {
        targets[type] = { key: real };
        continue;
      }
      const key = `sk-sim-${randomBytes(12).toString('hex')}`;
      const sim = await startProviderSim({
        type,
        apiKey: key,
        host: '127.0.0.1',
        port: 0,
        ...(models[type].length > 0 ? { models: models[type] } : {}),
        // A little latency so streaming looks like streaming.
        latency: { firstTokenMs: 150, perTokenMs: 8 },
      });
      sims[type] = sim;
      targets[type] = { key, simUrl: sim.url };
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { targets, sims, close };
}
