import { parseProvider } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { checkProvider } from './check-provider.js';

const provider = (spec: Record<string, unknown> = {}) =>
  parseProvider({
    apiVersion: 'bascule.dev/v1alpha1',
    kind: 'Provider',
    metadata: { name: 'openai', namespace: 'team' },
    spec: {
      type: 'openai',
      apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
      models: [{ name: 'gpt-5', inputUSDPer1M: 1, contextWindow: 1000 }],
      ...spec,
    },
  });

describe('checkProvider', () => {
  it('is Ready when the Secret key holds a value', () => {
    expect(checkProvider(provider(), { state: 'found', keys: { 'api-key': true } })).toEqual({
      status: 'True',
      reason: 'SecretResolved',
      message: 'the API key resolves from Secret openai-key, key api-key',
    });
  });

  it('says how to create a missing Secret', () => {
    const v = checkProvider(provider(), { state: 'missing' });
    expect(v.status).toBe('False');
    expect(v.reason).toBe('SecretNotFound');
    expect(v.message).toBe(
      'Secret openai-key (spec.apiKeySecretRef) not found in namespace team: create it, e.g. kubectl create secret generic openai-key -n team --from-literal=api-key=<API key>',
    );
  });

  it('names the keys a Secret has (never their values) when the referenced one is missing', () => {
    const v = checkProvider(provider(), { state: 'found', keys: { token: true, API_KEY: true } });
    expect(v).toMatchObject({ status: 'False', reason: 'SecretKeyMissing' });
    expect(v.message).toContain('has no key api-key (it has API_KEY, token)');
    const empty = checkProvider(provider(), { state: 'found', keys: { 'api-key': false } });
    expect(empty).toMatchObject({ status: 'False', reason: 'SecretKeyMissing' });
    expect(empty.message).toContain('is empty');
  });

  it('is Unknown when the controller may not read the Secret', () => {
    const v = checkProvider(provider(), { state: 'forbidden', message: 'secrets is forbidden' });
    expect(v).toMatchObject({ status: 'Unknown', reason: 'SecretUnreadable' });
  });

  it('needs no Secret for an openai-compatible endpoint without auth', () => {
    const p = provider({
      type: 'openai-compatible',
      baseURL: 'http://x',
      apiKeySecretRef: undefined,
    });
    expect(checkProvider(p, undefined)).toMatchObject({ status: 'True', reason: 'NoAPIKey' });
  });
});
