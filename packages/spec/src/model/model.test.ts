import { describe, expect, it } from 'vitest';
import { parseModel, resolveModelSpec, SpecValidationError, validateResource } from '../index.js';

const base = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'qwen3-32b' },
  spec: { source: 'hf://Qwen/Qwen3-32B', engine: 'vllm', gpus: 'nvidia-h100:2' },
};
const withSpec = (spec: Record<string, unknown>) => ({ ...base, spec: { ...base.spec, ...spec } });

function issuesOf(input: unknown) {
  const result = validateResource(input);
  if (result.status !== 'invalid') throw new Error(`expected invalid, got ${result.status}`);
  return result.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('Model schema', () => {
  it('applies defaults and resolves derived values', () => {
    const model = parseModel(base);
    expect(model.spec.dtype).toBe('auto');
    expect(model.spec.autoscaling).toEqual({
      enabled: true,
      minReplicas: 1,
      maxReplicas: 1,
      scaleUpDelay: '0s',
      scaleDownDelay: '2m',
      scaleToZeroDelay: '15m',
      slo: { ttftSeconds: 2, tpotSeconds: 0.15, attainment: 0.99 },
    });
    expect(model.spec.loadBalancing.strategy).toBe('least-outstanding');
    const resolved = resolveModelSpec(model.metadata.name, {
      ...model.spec,
      cost: { gpuHourUSD: 2.5 },
    });
    expect(resolved).toMatchObject({
      gpuType: 'nvidia-h100',
      gpuCount: 2,
      tensorParallelism: 2,
      servedNames: ['qwen3-32b'],
      replicas: 1,
      targetInFlight: 192,
      scaleDownDelayMs: 120_000,
      slo: { ttftMs: 2000, tpotMs: 150, attainment: 0.99 },
      replicaHourUSD: 5,
    });
  });

  it('parsed output is valid input again (round trip)', () => {
    const once = parseModel(withSpec({ tensorParallelism: 2, vllm: { toolCallParser: 'hermes' } }));
    expect(parseModel(once)).toEqual(once);
  });

  it("rejects min > max, TP not dividing GPUs, and the other engine's options", () => {
    expect(
      issuesOf(
        withSpec({
          autoscaling: { minReplicas: 3, maxReplicas: 2 },
          tensorParallelism: 4,
          tgi: {},
        }),
      ),
    ).toEqual([
      'spec.autoscaling.minReplicas: minReplicas (3) must be <= maxReplicas (2)',
      'spec.tensorParallelism: tensorParallelism (4) must divide the GPU count (2 in "nvidia-h100:2")',
      'spec.tgi: tgi options are not valid with engine vllm; use spec.vllm',
    ]);
  });

  it('rejects engine-specific quantization and dtype', () => {
    expect(issuesOf(withSpec({ engine: 'tgi', quantization: 'gguf', dtype: 'float32' }))).toEqual([
      'spec.quantization: quantization gguf is not supported by engine tgi',
      'spec.dtype: dtype float32 is not supported by engine tgi',
    ]);
  });

  it('follows TGI: no forced dtype with quantization, exl2 unsharded', () => {
    expect(
      issuesOf(
        withSpec({ engine: 'tgi', quantization: 'exl2', dtype: 'float16', gpus: 'nvidia-a10g:2' }),
      ),
    ).toEqual([
      'spec.dtype: TGI cannot force dtype float16 together with quantization; use dtype auto',
      'spec.quantization: TGI runs exl2 on one GPU only (no sharding); use awq or gptq to shard',
    ]);
    expect(
      parseModel(withSpec({ engine: 'tgi', quantization: 'compressed-tensors' })).spec.quantization,
    ).toBe('compressed-tensors');
  });

  it('allows minReplicas 0 and throws a SpecValidationError naming the field', () => {
    expect(
      parseModel(withSpec({ autoscaling: { minReplicas: 0 } })).spec.autoscaling.minReplicas,
    ).toBe(0);
    expect(() => parseModel(withSpec({ gpus: 'h100' }))).toThrow(SpecValidationError);
    expect(() => parseModel(withSpec({ gpus: 'h100' }))).toThrow(
      /\.spec\.gpus: must be "<gpu-type>:<count>"/,
    );
  });
});
