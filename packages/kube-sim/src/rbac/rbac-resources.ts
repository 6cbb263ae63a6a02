import { ALL_VERBS, type ResourceType } from '../store/resource-type.js';

function type(
  group: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  verbs: string[] = ALL_VERBS,
): ResourceType {
  return {
    group,
    versions: ['v1'],
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    shortNames: [],
    categories: [],
    verbs,
    subresources: {},
    generation: false,
    createStatus: 'keep',
  };
}

const RBAC = 'rbac.authorization.k8s.io';

/** The RBAC kinds (stored) and the self-subject reviews (create-only, answered, never stored). */
export function rbacResources(): ResourceType[] {
  return [
    type(RBAC, 'roles', 'Role', true),
    type(RBAC, 'rolebindings', 'RoleBinding', true),
    type(RBAC, 'clusterroles', 'ClusterRole', false),
    type(RBAC, 'clusterrolebindings', 'ClusterRoleBinding', false),
    type('authorization.k8s.io', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, [
      'create',
    ]),
    type('authorization.k8s.io', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, [
      'create',
    ]),
  ];
}

export const RBAC_REFS = {
  roles: { group: RBAC, version: 'v1', resource: 'roles' },
  rolebindings: { group: RBAC, version: 'v1', resource: 'rolebindings' },
  clusterroles: { group: RBAC, version: 'v1', resource: 'clusterroles' },
  clusterrolebindings: { group: RBAC, version: 'v1', resource: 'clusterrolebindings' },
};
