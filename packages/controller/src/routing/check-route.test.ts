import { describe, expect, it } from 'vitest';
import { checkRoute } from './check-route.js';
import { createValidationCache } from './ready-verdict.js';

const meta = (name: string) => ({ name, namespace: 'team', generation: 1 });
const route = (spec: Record<string, unknown>) => ({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: meta('chat'),
  spec,
});
const model = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: meta(name),
  spec: { source: 'hf://org/m', engine: 'vllm', gpus: 'nvidia-l4:1', ...spec },
});
const openai = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Provider',
  metadata: meta('openai'),
  spec: {
    type: 'openai',
    apiKeySecretRef: { name: 'k', key: 'api-key' },
    models: [
      { name: 'gpt-5', inputUSDPer1M: 1, contextWindow: 1000 },
      { name: 'gpt-5-mini', inputUSDPer1M: 1, contextWindow: 1000 },
    ],
  },
};
const check = (r: object, models: object[] = [], providers: object[] = [openai]) =>
  checkRoute({ route: r, models, providers, validate: createValidationCache() });

describe('checkRoute', () => {
  it('is Ready when every target resolves (a Model by name or served name, a Provider model)', () => {
    const r = route({
      targets: [{ model: 'llama' }, { model: 'small' }, { provider: 'openai', model: 'gpt-5' }],
    });
    expect(check(r, [model('llama'), model('qwen', { servedNames: ['small'] })])).toEqual({
      status: 'True',
      reason: 'Resolved',
      message: 'all 3 targets resolve: llama, small, openai/gpt-5',
    });
  });

  it('names the target that does not resolve, and whether the others still serve', () => {
    const r = route({ targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5' }] });
    expect(check(r)).toEqual({
      status: 'False',
      reason: 'ModelNotFound',
      message:
        'spec.targets[0].model: no Model named llama in namespace team; meanwhile the gateway routes to the one target that resolves',
    });
    const none = route({
      targets: [
        { provider: 'anthropic', model: 'claude' },
        { provider: 'openai', model: 'gpt-6' },
      ],
    });
    expect(check(none)).toEqual({
      status: 'False',
      reason: 'ProviderNotFound',
      message:
        'spec.targets[0].provider: no Provider named anthropic in namespace team; spec.targets[1].model: Provider openai does not list model gpt-6 (it lists gpt-5, gpt-5-mini); no target resolves, so requests to this Route fail',
    });
  });

  it('is Ready when a target names a LoRA adapter of a Model, as the gateway routes it', () => {
    // The router's resolution, not a copy of it: an adapter name resolves to its base Model.
    const lora = model('llama', {
      loraAdapters: [{ name: 'sql-expert', source: 'hf://acme/sql-lora' }],
    });
    expect(check(route({ targets: [{ model: 'sql-expert' }] }), [lora])).toEqual({
      status: 'True',
      reason: 'Resolved',
      message: 'the target resolves: sql-expert',
    });
  });

  it('says ProviderModelNotFound when only the model is missing', () => {
    const r = route({ targets: [{ provider: 'openai', model: 'gpt-6' }] });
    expect(check(r).reason).toBe('ProviderModelNotFound');
  });

  it('treats an invalid Model as one the gateway ignores', () => {
    // tensorParallelism 3 does not divide 2 GPUs: a cross-field rule the API server skips.
    const bad = model('llama', { gpus: 'nvidia-l4:2', tensorParallelism: 3 });
    const r = route({ targets: [{ model: 'llama' }] });
    const v = check(r, [bad]);
    expect(v.reason).toBe('ModelInvalid');
    expect(v.message).toContain('Model llama is invalid');
  });

  it('is Invalid, naming the field and the rule, when the spec breaks a cross-field rule', () => {
    const r = route({
      allowExternal: false,
      targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5' }],
    });
    expect(check(r, [model('llama')])).toEqual({
      status: 'False',
      reason: 'Invalid',
      message:
        'spec.targets[1].provider: allowExternal is false, so provider target openai/gpt-5 is not allowed (requests must stay in the cluster)',
    });
  });
});
