import type { Model, Provider, Route } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { routesUntranslatedTo } from './untranslated-provider.js';

const provider = (name: string, type: string): Provider =>
  ({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name },
    spec: { type, models: [{ name: 'm' }] },
  }) as unknown as Provider;
const model: Model = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama' },
  spec: {},
} as unknown as Model;
const route = (name: string, targets: object[], extra: object = {}): Route =>
  ({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Route',
    metadata: { name },
    spec: { targets, ...extra },
  }) as unknown as Route;

const catalog = buildCatalog({
  models: [model],
  providers: [
    provider('claude', 'anthropic'),
    provider('claude2', 'anthropic'),
    provider('gpt', 'openai'),
  ],
  routes: [
    route('two-anthropic', [
      { provider: 'claude', model: 'm' },
      { provider: 'claude2', model: 'm' },
    ]),
    route('mixed', [
      { provider: 'claude', model: 'm' },
      { provider: 'gpt', model: 'm' },
    ]),
    route('hybrid', [{ model: 'llama' }, { provider: 'claude', model: 'm' }]),
    route('inspected', [{ provider: 'claude', model: 'm' }], {
      privacy: { detect: [{ class: 'email', action: 'redact' }] },
    }),
    route('dangling', [{ provider: 'nope', model: 'm' }]),
  ],
});

describe('routesUntranslatedTo', () => {
  it.each([
    ['two-anthropic', true],
    ['claude/m', true],
    ['mixed', false],
    ['hybrid', false],
    ['llama', false],
    ['gpt/m', false],
    ['inspected', false],
    ['dangling', false],
    ['nothing', false],
  ])('%s → %s', (name, expected) => {
    expect(routesUntranslatedTo(catalog, name, 'anthropic')).toBe(expected);
  });
});
