// Route and Provider status, end to end with kube-sim and the real kubectl: the controller writes
// Ready on Routes (targets resolve, spec valid) and Providers (key Secret resolves), re-evaluates
// when a Model, Provider or Secret appears, and records Events for the transitions.
import type { CoreV1Event } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, modelYaml, startHarness, type Harness } from './support/controller-harness.js';

const API = 'bascule.dev/v1alpha1';
const KEY_VALUE = 'sk-status-test-0123456789';

interface ReadyView {
  status?: {
    observedGeneration?: number;
    conditions?: {
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }[];
  };
}

const yaml = (kind: string, name: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: API, kind, metadata: { name }, spec });

const OPENAI = yaml('Provider', 'openai', {
  type: 'openai',
  apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
  models: [{ name: 'gpt-5-mini', inputUSDPer1M: 0.25, contextWindow: 400000 }],
});

describe.skipIf(!hasKubectl)('Route and Provider status', () => {
  let h: Harness;
  let logs: string[];

  beforeAll(async () => {
    h = await startHarness('l4:1x1');
    // Providers whose key does not resolve are looked at again every 500 ms here (10 s default).
    logs = (await h.startController({ routing: { secretRecheckMs: 500 } })).logs;
  }, 120_000);
  afterAll(() => h?.close());

  const ready = async (kind: string, name: string) =>
    (await h.kubectlJson<ReadyView>(['get', kind, name])).status?.conditions?.find(
      (c) => c.type === 'Ready',
    );
  const waitReady = (kind: string, name: string, value: 'true' | 'false') =>
    h.kubectl(['wait', `--for=condition=Ready=${value}`, '--timeout=90s', `${kind}/${name}`]);

  it('a Route naming a Model not yet there is ModelNotFound, then Ready once the Model is applied', async () => {
    await h.kubectl(['apply', '-f', '-'], yaml('Route', 'chat', { targets: [{ model: 'llama' }] }));
    await waitReady('route', 'chat', 'false');
    const missing = await ready('route', 'chat');
    expect(missing).toMatchObject({ status: 'False', reason: 'ModelNotFound' });
    expect(missing?.message).toBe(
      'spec.targets[0].model: no Model named llama in namespace default; no target resolves, so requests to this Route fail',
    );
    // kubectl's STATUS column is the Ready reason.
    expect(await h.kubectl(['get', 'routes'])).toMatch(/chat\s+priority\s+true\s+ModelNotFound/);

    await h.kubectl(
      ['apply', '-f', '-'],
      modelYaml('llama', {
        source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        engine: 'vllm',
        gpus: 'nvidia-l4:1',
        replicas: 0,
        autoscaling: { enabled: false },
      }),
    );
    expect(await waitReady('route', 'chat', 'true')).toContain(
      'route.bascule.dev/chat condition met',
    );
    const view = await h.kubectlJson<ReadyView>(['get', 'route', 'chat']);
    expect(view.status?.observedGeneration).toBe(1);
    expect(view.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'Resolved',
        message: 'the target resolves: llama',
        observedGeneration: 1,
      }),
    ]);
    expect(await h.kubectl(['get', 'routes'])).toMatch(/chat\s+priority\s+true\s+Resolved/);

    const events = (await h.kubectlJson<{ items: CoreV1Event[] }>(['get', 'events'])).items.filter(
      (e) => e.involvedObject.kind === 'Route' && e.involvedObject.name === 'chat',
    );
    // kubectl lists Events by name (random suffixes): compare them sorted.
    expect(events.map((e) => `${e.type} ${e.reason}`).sort()).toEqual([
      'Normal Resolved',
      'Warning ModelNotFound',
    ]);
  }, 180_000);

  it('a private Route listing a Provider (accepted by the API server) is Invalid, naming the field', async () => {
    await h.kubectl(
      ['apply', '-f', '-'],
      yaml('Route', 'private-chat', {
        allowExternal: false,
        targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5-mini' }],
      }),
    );
    await waitReady('route', 'private-chat', 'false');
    const invalid = await ready('route', 'private-chat');
    expect(invalid).toMatchObject({ status: 'False', reason: 'Invalid' });
    expect(invalid?.message).toBe(
      'spec.targets[1].provider: allowExternal is false, so provider target openai/gpt-5-mini is not allowed (requests must stay in the cluster)',
    );
    expect(await h.kubectl(['get', 'route', 'private-chat'])).toMatch(
      /private-chat\s+priority\s+false\s+Invalid/,
    );
  }, 120_000);

  it('a Provider whose Secret is missing is SecretNotFound, then Ready once the Secret exists', async () => {
    await h.kubectl(['apply', '-f', '-'], OPENAI);
    await waitReady('provider', 'openai', 'false');
    const missing = await ready('provider', 'openai');
    expect(missing).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(missing?.message).toContain(
      'Secret openai-key (spec.apiKeySecretRef) not found in namespace default',
    );
    expect(await h.kubectl(['get', 'providers'])).toMatch(/openai\s+openai\s+SecretNotFound/);

    await h.kubectl([
      'create',
      'secret',
      'generic',
      'openai-key',
      `--from-literal=api-key=${KEY_VALUE}`,
    ]);
    expect(await waitReady('provider', 'openai', 'true')).toContain('condition met');
    expect(await ready('provider', 'openai')).toMatchObject({ reason: 'SecretResolved' });
    // The key itself is never written anywhere the controller writes.
    const everything =
      JSON.stringify(await h.kubectlJson(['get', 'provider', 'openai'])) + logs.join('\n');
    expect(everything).not.toContain(KEY_VALUE);
    expect(everything).not.toContain(Buffer.from(KEY_VALUE).toString('base64'));
  }, 120_000);

  it('a Route target on a Provider model resolves when the Provider lists it, and says which one is missing', async () => {
    await h.kubectl(
      ['apply', '-f', '-'],
      yaml('Route', 'overflow', {
        targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5' }],
      }),
    );
    await waitReady('route', 'overflow', 'false');
    const partial = await ready('route', 'overflow');
    expect(partial).toMatchObject({ status: 'False', reason: 'ProviderModelNotFound' });
    expect(partial?.message).toBe(
      'spec.targets[1].model: Provider openai does not list model gpt-5 (it lists gpt-5-mini); meanwhile the gateway routes to the one target that resolves',
    );
    // Adding the model to the Provider re-evaluates the Route (no change to the Route itself).
    await h.kubectl(
      ['apply', '-f', '-'],
      yaml('Provider', 'openai', {
        type: 'openai',
        apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
        models: [
          { name: 'gpt-5-mini', inputUSDPer1M: 0.25, contextWindow: 400000 },
          { name: 'gpt-5', inputUSDPer1M: 1.25, contextWindow: 400000 },
        ],
      }),
    );
    expect(await waitReady('route', 'overflow', 'true')).toContain('condition met');
  }, 120_000);
});
