import type { CoreV1Api } from '@kubernetes/client-node';
import { toKubeError } from '@bascule/kube';
import type { SecretLookup } from './check-provider.js';

/**
 * Which keys of a Secret hold a value (a targeted `get`, no watch: the controller needs no
 * `list` on Secrets). The values are dropped here and never logged or returned. Errors other
 * than not-found and forbidden are thrown (retried with back-off).
 */
export async function readSecretKeys(
  core: CoreV1Api,
  namespace: string,
  name: string,
): Promise<SecretLookup> {
  try {
    const secret = await core.readNamespacedSecret({ name, namespace });
    const keys: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(secret.data ?? {})) keys[k] = v.length > 0;
    // A real API server never returns stringData; a simulator or an old client might.
    for (const [k, v] of Object.entries(secret.stringData ?? {})) keys[k] = keys[k] || v.length > 0;
    return { state: 'found', keys };
  } catch (err) {
    const e = toKubeError(err, `read Secret ${namespace}/${name}`);
    if (e.status === 404) return { state: 'missing' };
    if (e.status === 403) return { state: 'forbidden', message: e.message };
    throw e;
  }
}
