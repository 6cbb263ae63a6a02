// More built-in kinds kube-sim serves (issue 22): StatefulSet (apps/v1) and
// PodDisruptionBudget (policy/v1), and the storage kinds a pod's volumes need:
// PersistentVolumeClaim, PersistentVolume and StorageClass. See
// docs/decisions/0023-kube-sim-cluster-behaviour.md for what kube-sim does with each.
import { ALL_VERBS, type ResourceType } from './resource-type.js';

function kind(
  group: string,
  version: string,
  resource: string,
  kindName: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    resource,
    singular: kindName.toLowerCase(),
    kind: kindName,
    listKind: `${kindName}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: {},
    generation: false,
    createStatus: 'keep',
    ...extra,
  };
}

export function workloadResources(): ResourceType[] {
  return [
    kind('apps', 'v1', 'statefulsets', 'StatefulSet', {
      shortNames: ['sts'],
      categories: ['all'],
      subresources: {
        status: true,
        scale: {
          specReplicasPath: '.spec.replicas',
          statusReplicasPath: '.status.replicas',
          labelSelectorPath: '.spec.selector',
        },
      },
      generation: true,
      createStatus: 'drop',
    }),
    kind('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', {
      shortNames: ['pdb'],
      subresources: { status: true },
      generation: true,
      createStatus: 'drop',
    }),
    kind('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', {
      shortNames: ['pvc'],
      subresources: { status: true },
      createStatus: { initial: { phase: 'Pending' } },
    }),
    kind('', 'v1', 'persistentvolumes', 'PersistentVolume', {
      shortNames: ['pv'],
      namespaced: false,
      subresources: { status: true },
      createStatus: { initial: { phase: 'Pending' } },
    }),
    kind('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', {
      shortNames: ['sc'],
      namespaced: false,
    }),
  ];
}
