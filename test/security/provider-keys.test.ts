import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../api/support/api-stack.js';
import { hasKubectl } from '../controller/support/controller-harness.js';

/** A Provider manifest (JSON) with the fields that decide where its key goes. */
const provider = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name },
    spec: {
      type: 'openai',
      apiKeySecretRef: { name: 'openai-api-key', key: 'api-key' },
      models: [
        {
          name: 'gpt-5-mini',
          inputUSDPer1M: 0.25,
          outputUSDPer1M: 2,
          contextWindow: 400000,
          capabilities: ['chat'],
        },
      ],
      ...spec,
    },
  });

/**
 * Issue 21 item 3: an operator key could point a Provider at its own listener and receive the
 * OpenAI key. Only an admin may set or change where a Provider's key is sent; operators keep
 * models, prices and limits. Real control API on kube-sim and Redis.
 */
describe.skipIf(!hasKubectl)('who may decide where a Provider key is sent', () => {
  let stack: ApiStack;
  let operator: string;
  const apply = (body: string, key?: string) =>
    stack.call('POST', '/api/v1/apply', body, key, 'application/yaml');
  const errorOf = async (r: Response) =>
    ((await r.json()) as { error: { code: string; path?: string } }).error;

  beforeAll(async () => {
    stack = await startApiStack('l4:1x1');
    const r = await stack.call('POST', '/api/v1/keys', { name: 'ops', role: 'operator' });
    operator = ((await r.json()) as { key: string }).key;
    expect((await apply(provider('openai', {}))).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['baseURL', { baseURL: 'http://127.0.0.1:29999/v1' }],
    ['baseURL', { baseURL: 'http://169.254.169.254/v1' }],
    ['apiKeySecretRef', { apiKeySecretRef: { name: 'anthropic-api-key', key: 'api-key' } }],
    ['type', { type: 'openai-compatible', baseURL: 'https://api.openai.com/v1' }],
    ['headers', { headers: { 'x-forward-to': 'evil' } }],
  ])('an operator may not change %s (403 naming the field)', async (field, change) => {
    const r = await apply(provider('openai', change), operator);
    expect(r.status).toBe(403);
    const e = await errorOf(r);
    expect(e.code).toBe('forbidden');
    expect(e.path).toBe(`.spec.${field}`);
  });

  it('an operator may not create a Provider that uses a Secret', async () => {
    const r = await apply(
      provider('stolen', { baseURL: 'http://127.0.0.1:29999/v1', type: 'openai-compatible' }),
      operator,
    );
    expect(r.status).toBe(403);
    expect((await errorOf(r)).path).toBe('.spec.apiKeySecretRef');
    const got = await stack.call('GET', '/api/v1/providers/stolen');
    expect(got.status).toBe(404);
  });

  it('an operator may change prices; an admin may change the base URL', async () => {
    const cheaper = provider('openai', {});
    const r = await apply(cheaper.replace('"outputUSDPer1M":2', '"outputUSDPer1M":1.5'), operator);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { results: { result: string }[] }).results[0]!.result).toBe(
      'configured',
    );
    const moved = await apply(
      provider('openai', { baseURL: 'https://eu.api.openai.com/v1' }).replace(
        '"outputUSDPer1M":2',
        '"outputUSDPer1M":1.5',
      ),
    );
    expect(moved.status).toBe(200);
  });
});
