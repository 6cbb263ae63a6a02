// Kinds the chart renders that kube-sim does not serve itself (RBAC, StatefulSet, PDB, HPA, ...),
// registered as plain stored resources so kubectl can apply them.
import type { KubeSim } from '@bascule/kube-sim';

type ResourceType = Parameters<KubeSim['store']['registry']['add']>[0];

const EXTRA_KINDS: [
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
][] = [
  ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', true],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
  ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true],
  ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true],
  ['networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true],
  ['monitoring.coreos.com', 'v1', 'servicemonitors', 'ServiceMonitor', true],
  ['gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute', true],
];

export function registerChartKinds(sim: KubeSim): void {
  for (const [group, version, resource, kind, namespaced] of EXTRA_KINDS) {
    if (sim.store.registry.byGroupResource(group, resource)) continue;
    const type: ResourceType = {
      group,
      versions: [version],
      resource,
      singular: kind.toLowerCase(),
      kind,
      listKind: `${kind}List`,
      namespaced,
      shortNames: [],
      categories: [],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: {},
      generation: true,
      createStatus: 'keep',
    };
    sim.store.registry.add(type);
  }
}
