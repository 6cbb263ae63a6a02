import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { decideRoute } from '../decide/decide-route.js';
import { HEALTHY, model, route } from '../testing/fixtures.js';
import { resolveTargets } from './resolve-targets.js';

const base = model('llama', {
  loraAdapters: [
    { name: 'sql-expert', source: 'hf://acme/sql-lora' },
    { name: 'other', source: 'hf://acme/other-lora' },
  ],
});
// a Model named like another Model's adapter keeps its name
const other = model('other');
const catalog = buildCatalog({
  models: [base, other],
  routes: [route('sql', { targets: [{ model: 'sql-expert' }] })],
});

describe('LoRA adapters as routable names', () => {
  it("resolves an adapter's name to its base Model with the adapter", () => {
    const r = resolveTargets(catalog, 'sql-expert');
    expect(r.kind).toBe('model');
    if (r.kind !== 'model') throw new Error('expected a Model');
    expect(r.targets[0]).toMatchObject({ kind: 'model', name: 'llama', adapter: 'sql-expert' });
    // a Model name wins over an adapter of the same spelling
    const m = resolveTargets(catalog, 'other');
    expect(m.kind === 'model' && m.targets[0]).toMatchObject({ name: 'other' });
    expect(m.kind === 'model' && m.targets[0]).not.toHaveProperty('adapter');
  });

  it('a Route target naming an adapter sends to the base Model, and the explanation says so', () => {
    const d = decideRoute({
      catalog,
      request: { model: 'sql', kind: 'chat', promptTokens: 10 },
      capacity: () => HEALTHY,
    });
    expect(d).toMatchObject({ action: 'send', target: { name: 'llama', adapter: 'sql-expert' } });
    expect(d.explanation.targets).toEqual([
      expect.objectContaining({ target: 'llama', adapter: 'sql-expert', verdict: 'chosen' }),
    ]);
  });

  it('an adapter no Model declares any more is a 404 naming it', () => {
    const d = decideRoute({
      catalog: buildCatalog({ models: [model('llama')] }),
      request: { model: 'sql-expert', kind: 'chat', promptTokens: 10 },
      capacity: () => HEALTHY,
    });
    expect(d).toMatchObject({ action: 'reject', status: 404, code: 'model_not_found' });
    if (d.action !== 'reject') throw new Error('expected a reject');
    expect(d.message).toContain("'sql-expert' does not exist");
  });
});
