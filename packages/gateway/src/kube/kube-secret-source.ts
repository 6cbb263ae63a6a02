import type { KubeClient } from '@modelplane/kube';
import type { SecretKeyRef, SecretSource } from '@modelplane/providers';

/**
 * Provider API keys read from Kubernetes Secrets (base64 `data`, or `stringData` as a fake
 * API server may keep it). Wrap it in createCachedSecretSource to avoid a read per call.
 * Values are never logged.
 */
export function createKubeSecretSource(client: KubeClient): SecretSource {
  return {
    async get(ref: SecretKeyRef) {
      try {
        const s = await client.core.readNamespacedSecret({
          name: ref.name,
          namespace: ref.namespace,
        });
        const b64 = s.data?.[ref.key];
        if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
        return (s as { stringData?: Record<string, string> }).stringData?.[ref.key];
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404) return undefined;
        throw err;
      }
    },
  };
}
