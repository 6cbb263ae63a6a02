import { parseModel, ProviderModelSchema } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { providerCostUSD, selfHostedCostUSD } from './metered-cost.js';

describe('cost', () => {
  const m = ProviderModelSchema.parse({
    name: 'gpt-5',
    inputUSDPer1M: 1.25,
    cachedInputUSDPer1M: 0.125,
    outputUSDPer1M: 10,
    contextWindow: 400000,
  });
  it.each([
    [1_000_000, 0, 0, 1.25],
    [0, 1_000_000, 0, 10],
    [1000, 500, 0, 0.00125 + 0.005],
    [1000, 0, 1000, 0.000125],
  ])('provider: %i in, %i out, %i cached -> $%f', (i, o, c, usd) => {
    expect(providerCostUSD(m, i, o, c)).toBeCloseTo(usd, 12);
  });

  const model = (gpus: string, gpuHourUSD?: number) =>
    parseModel({
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'x' },
      spec: {
        source: 'hf://a/b',
        engine: 'vllm',
        gpus,
        ...(gpuHourUSD === undefined ? {} : { cost: { gpuHourUSD } }),
      },
    });
  it.each([
    ['nvidia-h100:2', 4, 3_600_000, 1, 8],
    ['nvidia-h100:2', 4, 1_800_000, 4, 1],
    ['nvidia-l4:1', 0.72, 1000, 2, 0.0001],
  ])(
    'self-hosted %s at $%f/GPU-h for %i ms shared by %i -> $%f',
    (gpus, price, ms, shared, usd) => {
      expect(selfHostedCostUSD(model(gpus, price), ms, shared)).toBeCloseTo(usd, 12);
    },
  );
  it('is free without a cost', () => {
    expect(selfHostedCostUSD(model('nvidia-l4:1'), 1000, 1)).toBe(0);
  });
});
