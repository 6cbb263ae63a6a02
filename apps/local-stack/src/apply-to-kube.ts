// Server-side apply of manifests to the kube-sim API server over HTTP (what `kubectl apply
// --server-side` sends), so `pnpm start` needs no kubectl.
import type { KubeDoc } from './example-manifests.js';

const PLURALS: Record<string, string> = {
  CustomResourceDefinition: 'customresourcedefinitions',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Model: 'models',
  Provider: 'providers',
  Route: 'routes',
};
const CLUSTER_SCOPED = new Set(['CustomResourceDefinition']);

export function objectPath(doc: KubeDoc, namespace: string): string {
  const plural = PLURALS[doc.kind];
  if (!plural) throw new Error(`cannot apply ${doc.kind}/${doc.metadata.name}: unknown kind`);
  const base = doc.apiVersion.includes('/') ? `/apis/${doc.apiVersion}` : `/api/${doc.apiVersion}`;
  const ns = CLUSTER_SCOPED.has(doc.kind)
    ? ''
    : `/namespaces/${doc.metadata.namespace ?? namespace}`;
  return `${base}${ns}/${plural}/${encodeURIComponent(doc.metadata.name)}`;
}

/** Applies each document in order (field manager `bascule-start`); throws naming the object. */
export async function applyToKube(
  server: string,
  docs: readonly KubeDoc[],
  namespace = 'default',
): Promise<void> {
  for (const doc of docs) {
    const url = `${server}${objectPath(doc, namespace)}?fieldManager=bascule-start&force=true`;
    const res = await fetch(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' },
      body: JSON.stringify(doc),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      throw new Error(
        `applying ${doc.kind}/${doc.metadata.name}: HTTP ${res.status}${body.message ? `: ${body.message}` : ''}`,
      );
    }
    await res.arrayBuffer();
  }
}
