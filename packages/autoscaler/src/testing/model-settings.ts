// Test fixture for the autoscaler policy tests: the scaling settings of a Model `m`
// (hf://org/m-8b on vLLM) whose other spec fields (GPUs, concurrency, cost, autoscaling) each
// test gives.
import { parseModel } from '@bascule/spec';
import { scalingSettingsFromModel, type ScalingSettings } from '../policy/scaling-settings.js';

export function modelSettings(spec: Record<string, unknown>): ScalingSettings {
  const model = parseModel({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'm' },
    spec: { source: 'hf://org/m-8b', engine: 'vllm', ...spec },
  });
  return scalingSettingsFromModel(model);
}
