// Keys from real Secrets: @kubernetes/client-node against kube-sim; a rotated key is picked up
// through the watch, without waiting for the cache's ttl.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  createCachedSecretSource,
  createKubernetesSecretSource,
  ProviderError,
  resolveProvider,
} from '@bascule/providers';
import type { Provider } from '@bascule/spec';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { waitFor } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NS = 'default';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('createKubernetesSecretSource (kube-sim)', () => {
  let sim: KubeSim;
  let dir: string;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'providers-secrets-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    sim = await startKubeSim({ nodes: 'l4:1x1', kubeconfigPath });
    const file = new KubeConfig();
    file.loadFromFile(kubeconfigPath);
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: file.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
      users: file.users,
      contexts: file.contexts,
      currentContext: file.currentContext,
    });
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'anthropic-key' }, data: { apiKey: b64('sk-ant-first') } },
    });
  });
  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a key, answers undefined for missing ones, and re-reads a rotated key', async () => {
    const k8s = createKubernetesSecretSource(kc);
    const secrets = createCachedSecretSource(k8s);
    const ref = { namespace: NS, name: 'anthropic-key', key: 'apiKey' };
    try {
      expect(await secrets.get(ref)).toBe('sk-ant-first');
      expect(await secrets.get({ ...ref, key: 'other' })).toBeUndefined();
      expect(await secrets.get({ ...ref, name: 'no-such-secret' })).toBeUndefined();

      await core.replaceNamespacedSecret({
        name: 'anthropic-key',
        namespace: NS,
        body: { metadata: { name: 'anthropic-key' }, data: { apiKey: b64('sk-ant-rotated') } },
      });
      expect(
        await waitFor(
          'the rotated key',
          async () => ((await secrets.get(ref)) === 'sk-ant-rotated' ? true : undefined),
          10_000,
        ),
      ).toBe(true);

      const provider = {
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Provider',
        metadata: { name: 'claude', namespace: NS },
        spec: {
          type: 'anthropic',
          apiKeySecretRef: { name: 'anthropic-key', key: 'apiKey' },
          models: [
            {
              name: 'claude-haiku-4-5',
              inputUSDPer1M: 1,
              outputUSDPer1M: 5,
              contextWindow: 200_000,
              capabilities: ['chat'],
            },
          ],
          timeout: '30s',
          maxRetries: 2,
        },
      } as unknown as Provider;
      expect((await resolveProvider(provider, secrets)).apiKey).toBe('sk-ant-rotated');

      await core.deleteNamespacedSecret({ name: 'anthropic-key', namespace: NS });
      const err = await waitFor(
        'the deletion',
        () =>
          resolveProvider(provider, secrets).then(
            () => undefined,
            (e: unknown) => e,
          ),
        10_000,
      );
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 502, code: 'provider_misconfigured' });
      expect((err as Error).message).not.toContain('sk-ant');
    } finally {
      secrets.close();
      k8s.close();
    }
  });
});
