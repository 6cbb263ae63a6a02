import { fileURLToPath } from 'node:url';
import {
  allIssues,
  formatLoadIssue,
  loadSources,
  parseGpuProfile,
  resolveModelSpec,
} from '@bascule/spec';
import type { Model, Provider, Route } from '@bascule/spec';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../../manifests/examples', import.meta.url));

async function loadExamples() {
  const loaded = await loadSources([dir]);
  const valid = loaded.documents.flatMap((d) =>
    d.result?.status === 'valid' ? [d.result.resource] : [],
  );
  return {
    loaded,
    models: valid.filter((r): r is Model => r.kind === 'Model'),
    providers: valid.filter((r): r is Provider => r.kind === 'Provider'),
    routes: valid.filter((r): r is Route => r.kind === 'Route'),
  };
}

describe('manifests/examples', () => {
  it('every example validates, and Secrets and the PVC pass through as not ours', async () => {
    const { loaded } = await loadExamples();
    expect(allIssues(loaded).map(formatLoadIssue)).toEqual([]);
    const foreign = loaded.documents.filter((d) => d.result?.status === 'foreign');
    expect(foreign.map((d) => d.result?.kind).sort()).toEqual([
      'PersistentVolumeClaim',
      'Secret',
      'Secret',
      'Secret',
      'Secret',
    ]);
  });

  it('covers the models, providers and routes the issue lists, sized as they deploy', async () => {
    const { models, providers, routes } = await loadExamples();
    const byName = new Map(models.map((m) => [m.metadata.name, m]));
    const shape = (name: string) => {
      const m = byName.get(name)!;
      const r = resolveModelSpec(name, m.spec);
      return `${m.spec.engine} ${m.spec.gpus} tp${r.tensorParallelism}`;
    };
    expect(shape('llama-3-1-8b-instruct')).toBe('vllm nvidia-l4:1 tp1');
    expect(shape('qwen3-32b')).toBe('vllm nvidia-h100:2 tp2');
    expect(shape('llama-4-scout')).toBe('vllm nvidia-h100:4 tp4');
    expect(shape('deepseek-v3')).toBe('vllm nvidia-h200:8 tp8');
    expect(shape('mistral-large-2')).toBe('tgi nvidia-h100:4 tp4');
    expect(shape('mistral-7b')).toBe('tgi nvidia-a10g:1 tp1');
    const lora = byName.get('mistral-7b-lora')!;
    expect(lora.spec.loraAdapters?.length).toBeGreaterThan(0);
    expect(lora.spec.weightCache?.claimName).toBe('model-cache');
    for (const m of models) expect(m.spec.cost?.gpuHourUSD, m.metadata.name).toBeGreaterThan(0);
    expect(providers.map((p) => p.spec.type).sort()).toEqual(['anthropic', 'gemini', 'openai']);
    for (const p of providers) {
      for (const m of p.spec.models) expect(m.inputUSDPer1M, m.name).toBeGreaterThan(0);
    }
    expect(routes.map((r) => `${r.metadata.name}:${r.spec.strategy}`).sort()).toEqual([
      'batch:cost',
      'chat:complexity',
      'polyglot:complexity',
      'private-chat:priority',
    ]);
  });

  it('every route target names an example Model or a model its Provider offers', async () => {
    const { models, providers, routes } = await loadExamples();
    const known = new Set([
      ...models.map((m) => m.metadata.name),
      ...providers.flatMap((p) => p.spec.models.map((m) => `${p.metadata.name}/${m.name}`)),
    ]);
    const unknown = routes.flatMap((r) =>
      r.spec.targets
        .map((t) => (t.provider ? `${t.provider}/${t.model}` : t.model))
        .filter((t) => !known.has(t)),
    );
    expect(unknown).toEqual([]);
    const privateChat = routes.find((r) => r.metadata.name === 'private-chat')!;
    expect(privateChat.spec.allowExternal).toBe(false);
    expect(models.every((m) => parseGpuProfile(m.spec.gpus).count >= 1)).toBe(true);
  });
});
