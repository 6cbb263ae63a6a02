import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { decideRoute } from '../decide/decide-route.js';
import { HEALTHY, model, openai, route, small } from '../testing/fixtures.js';

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
