// Admission plugins a real API server runs on new pods, as far as kube-sim's behaviour depends
// on them:
// - ExtendedResourceToleration (on GKE-like clusters): a pod requesting an extended resource
//   such as nvidia.com/gpu gets the toleration {key: nvidia.com/gpu, operator: Exists,
//   effect: NoSchedule}, so a plain GPU Deployment schedules on the tainted GPU nodes.
// - ServiceAccount: spec.serviceAccountName defaults to "default", and a pod naming a
//   ServiceAccount that does not exist in its namespace is refused (403 Forbidden, the API
//   server's message), so a ReplicaSet reports FailedCreate until it exists. The "default"
//   ServiceAccount is admitted even before the ServiceAccount controller created it.
import { forbidden } from '../store/status-error.js';
import type { StorePlugin } from '../store/store-plugin.js';
import type { ObjectStore } from '../store/types.js';
import type { Container, PodSpec, Toleration } from './kube-types.js';

/** How GPU nodes are tainted, like a named platform (see start-kube-sim.ts). */
export const GPU_TAINTS = ['gke', 'gpu-operator'] as const;
export type GpuTaints = (typeof GPU_TAINTS)[number];

export function isGpuTaints(value: string): value is GpuTaints {
  return (GPU_TAINTS as readonly string[]).includes(value);
}

/** Extended resource names a pod's containers request or limit (pure). */
export function extendedResources(spec: PodSpec): string[] {
  const names = new Set<string>();
  const containers: Container[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  for (const c of containers) {
    for (const name of [
      ...Object.keys(c.resources?.requests ?? {}),
      ...Object.keys(c.resources?.limits ?? {}),
    ]) {
      const native = !name.includes('/') || name.startsWith('kubernetes.io/');
      if (!native && !name.startsWith('requests.')) names.add(name);
    }
  }
  return [...names].sort();
}

/** The ExtendedResourceToleration admission: adds the tolerations the pod lacks (pure, in place). */
export function addExtendedResourceTolerations(spec: PodSpec): void {
  const tolerations: Toleration[] = spec.tolerations ?? [];
  for (const key of extendedResources(spec)) {
    const covered = tolerations.some(
      (t) =>
        (t.key === key || (!t.key && t.operator === 'Exists')) &&
        (!t.effect || t.effect === 'NoSchedule') &&
        (t.operator === 'Exists' || t.value === undefined || t.value === ''),
    );
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoSchedule' });
  }
  if (tolerations.length > 0) spec.tolerations = tolerations;
}

export interface PodAdmissionOptions {
  /** Run ExtendedResourceToleration (GKE-like GPU nodes). */
  extendedResourceToleration: boolean;
  /** Store to look ServiceAccounts up in; omit to skip the ServiceAccount admission. */
  store?: ObjectStore;
}

export function podAdmissionPlugin(options: PodAdmissionOptions): StorePlugin {
  return {
    prepare(ctx) {
      if (ctx.ref.group !== '' || ctx.ref.resource !== 'pods' || ctx.old) return ctx.object;
      if (ctx.subresource) return ctx.object;
      const spec = ctx.object['spec'] as PodSpec | undefined;
      if (!spec || typeof spec !== 'object') return ctx.object;
      if (options.extendedResourceToleration) addExtendedResourceTolerations(spec);
      const sa =
        spec.serviceAccountName || (spec['serviceAccount'] as string | undefined) || 'default';
      spec.serviceAccountName = sa;
      spec['serviceAccount'] = sa;
      const ns = ctx.object.metadata.namespace ?? 'default';
      if (options.store && sa !== 'default') {
        const ref = { group: '', version: 'v1', resource: 'serviceaccounts' };
        if (!options.store.get(ref, ns, sa)) {
          const name = ctx.object.metadata.name ?? ctx.object.metadata.generateName ?? '';
          throw forbidden(
            `pods "${name}" is forbidden: error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`,
          );
        }
      }
      return ctx.object;
    },
  };
}
