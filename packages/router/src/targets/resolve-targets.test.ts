import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { decideRoute } from '../decide/decide-route.js';
import { HEALTHY, model, openai, route, small } from '../testing/fixtures.js';
import { resolveRoute } from './resolve-targets.js';

const invalid = {
  name: 'private',
  aliases: ['secret-chat'],
  message:
    'spec.targets[1].provider: allowExternal is false, so provider target openai/gpt-5 is not allowed (requests must stay in the cluster)',
};

const decide = (name: string, routes = [route('chat', { targets: [{ model: 'small' }] })]) =>
  decideRoute({
    catalog: buildCatalog({
      models: [small, model('private')],
      providers: [openai],
      routes,
      invalidRoutes: [invalid],
    }),
    request: { model: name, kind: 'chat', promptTokens: 10 },
    capacity: () => HEALTHY,
  });

describe('a name taken by an invalid Route', () => {
  it('is answered 503 route_invalid with the reason, by name and by alias, not "does not exist"', () => {
    for (const name of ['private', 'secret-chat']) {
      const d = decide(name);
      expect(d).toMatchObject({ action: 'reject', status: 503, code: 'route_invalid' });
      if (d.action !== 'reject') throw new Error('expected a reject');
      expect(d.message).toBe(
        `Route 'private' is invalid: ${invalid.message} (an operator must fix the Route; kubectl describe route private shows its status)`,
      );
      expect(d.message).not.toContain('does not exist');
    }
  });

  it('a valid Route of the same name wins; other unknown names stay 404 model_not_found', () => {
    const valid = route('private', { allowExternal: false, targets: [{ model: 'small' }] });
    expect(decide('private', [valid])).toMatchObject({ action: 'send' });
    expect(decide('nope')).toMatchObject({ status: 404, code: 'model_not_found' });
  });
});

describe('resolveRoute', () => {
  it('lists each target that resolves to nothing with its index and what is missing', () => {
    const catalog = buildCatalog({ models: [small], providers: [openai] });
    const r = resolveRoute(
      catalog,
      route('mixed', {
        targets: [
          { model: 'small' },
          { model: 'gone' },
          { provider: 'anthropic', model: 'claude' },
          { provider: 'openai', model: 'gpt-6' },
        ],
      }),
    );
    expect(r.targets.map((t) => t.name)).toEqual(['small']);
    expect(r.unresolved).toEqual([
      { name: 'gone', reason: 'Model or LoRA adapter gone not found', index: 1, missing: 'model' },
      {
        name: 'anthropic/claude',
        reason: 'Provider anthropic not found',
        index: 2,
        missing: 'provider',
      },
      {
        name: 'openai/gpt-6',
        reason: 'provider openai does not offer gpt-6',
        index: 3,
        missing: 'providerModel',
      },
    ]);
  });
});
