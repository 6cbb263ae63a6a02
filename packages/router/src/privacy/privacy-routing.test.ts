import { describe, expect, it } from 'vitest';
import { decideRoute } from '../decide/decide-route.js';
import { explainRoute } from '../decide/explain-route.js';
import type { RoutingRequest } from '../request/routing-request.js';
import { catalog, HEALTHY, SATURATED } from '../testing/fixtures.js';
import { buildCatalog } from '../catalog/routing-catalog.js';
import { big, openai, route, small } from '../testing/fixtures.js';

const chat = (extra: Partial<RoutingRequest> = {}): RoutingRequest => ({
  model: 'chat',
  kind: 'chat',
  promptTokens: 100,
  ...extra,
});

describe('privacy.detect in the routing decision', () => {
  it('keep: providers are dropped, so a saturated Model fails closed instead of overflowing', () => {
    const privacy = { classes: ['payment-card'], action: 'keep' as const };
    const free = decideRoute({
      catalog: catalog(),
      request: chat({ privacy }),
      capacity: () => HEALTHY,
    });
    expect(free.action === 'send' && [free.target.name, free.reason]).toEqual(['small', 'privacy']);
    expect(free.explanation.privacy).toEqual(privacy);
    const full = decideRoute({
      catalog: catalog(),
      request: chat({ privacy, waitExpired: true }),
      capacity: () => SATURATED,
    });
    expect(full.action === 'reject' && [full.status, full.code]).toEqual([
      503,
      'privacy_no_self_hosted_capacity',
    ]);
    expect(full.explanation.targets.find((t) => t.target === 'openai/gpt-5-mini')).toMatchObject({
      verdict: 'dropped',
      code: 'privacy',
      message:
        'privacy.detect found payment-card (action keep); openai/gpt-5-mini is outside the cluster',
    });
  });

  it('redact: the closed target stays eligible (it gets the redacted body)', () => {
    const d = decideRoute({
      catalog: catalog(),
      request: chat({ privacy: { classes: ['email'], action: 'redact' } }),
      capacity: () => SATURATED,
    });
    expect(d.action === 'send' && d.target.name).toBe('openai/gpt-5-mini');
  });

  it('refuse: a 400 that names the classes, never the text', () => {
    const d = decideRoute({
      catalog: catalog(),
      request: chat({ privacy: { classes: ['email', 'secret'], action: 'refuse' } }),
      capacity: () => HEALTHY,
    });
    expect(d.action === 'reject' && [d.status, d.code, d.message]).toEqual([
      400,
      'sensitive_data_refused',
      'the request carries email, secret, which Route chat refuses (privacy.detect action refuse); nothing was sent',
    ]);
  });

  it('route explain runs the same detection on a sample prompt', () => {
    const guarded = route('guarded', {
      targets: [{ provider: 'openai', model: 'gpt-5-mini' }, { model: 'small' }],
      privacy: { detect: [{ class: 'iban', action: 'keep' }] },
    });
    const cat = buildCatalog({ models: [small, big], providers: [openai], routes: [guarded] });
    const ask = (content: string) =>
      explainRoute({
        catalog: cat,
        body: { model: 'guarded', messages: [{ role: 'user', content }] },
        capacity: () => HEALTHY,
      });
    const plain = ask('Say hello');
    expect(plain.action === 'send' && plain.target.name).toBe('openai/gpt-5-mini');
    const iban = ask('Pay GB82 WEST 1234 5698 7654 32 please');
    expect(iban.action === 'send' && [iban.target.name, iban.reason]).toEqual(['small', 'privacy']);
    expect(iban.explanation.privacy).toEqual({ classes: ['iban'], action: 'keep' });
    expect(JSON.stringify(iban)).not.toContain('GB82');
  });
});
