import type { KubernetesObject } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { applyObject, describeObject, toKubeError, type KubeClient } from '@bascule/kube';
import { GROUP, VERSION, type ModelStatus } from '@bascule/spec';

/** Server-side applies one rendered object (field manager `bascule`, force). */
export async function applyRendered(client: KubeClient, object: KubernetesObject): Promise<void> {
  await applyObject(client.objects, object);
}

/** Writes a Model's whole status through the status subresource (merge patch). */
export function writeModelStatus(
  client: KubeClient,
  namespace: string,
  name: string,
  status: ModelStatus,
): Promise<string | undefined> {
  return writeResourceStatus(client, 'models', namespace, name, status);
}

const KIND_OF = { models: 'Model', routes: 'Route', providers: 'Provider' } as const;

/** Writes the whole status of a Model, Route or Provider (status subresource, merge patch). */
export async function writeResourceStatus(
  client: KubeClient,
  plural: 'models' | 'routes' | 'providers',
  namespace: string,
  name: string,
  status: object,
): Promise<string | undefined> {
  try {
    const result = (await client.custom.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, namespace, plural, name, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubernetesObject;
    return result.metadata?.resourceVersion;
  } catch (err) {
    throw toKubeError(err, `write status of ${KIND_OF[plural]} ${namespace}/${name}`);
  }
}

export { describeObject };
