// RBAC as the API server's authorizer evaluates it (plugin/pkg/auth/authorizer/rbac): a request is
// allowed when a rule of a Role or ClusterRole bound to the user, one of its groups or its
// ServiceAccount covers its verb, API group, resource (or subresource), name and namespace.
// Pure: the caller passes the RBAC objects.

/** Who made a request. */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

/** What a request does, as the authorizer sees it. */
export type RequestAttributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { resourceRequest: false; verb: string; path: string };

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}

interface RoleLike {
  metadata: { name?: string; namespace?: string };
  rules?: PolicyRule[] | null;
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
  apiGroup?: string;
}

interface BindingLike {
  metadata: { name?: string; namespace?: string };
  roleRef?: { kind?: string; name?: string; apiGroup?: string };
  subjects?: Subject[] | null;
}

/** The RBAC objects the authorizer reads. */
export interface RbacObjects {
  roles: RoleLike[];
  clusterRoles: RoleLike[];
  roleBindings: BindingLike[];
  clusterRoleBindings: BindingLike[];
}

/** Groups whose members every cluster lets read discovery and review their own access. */
const SYSTEM_MASTERS = 'system:masters';

/**
 * What every authenticated user may do on a real cluster through the default ClusterRoles
 * system:discovery, system:basic-user and system:public-info-viewer.
 */
const AUTHENTICATED_RULES: PolicyRule[] = [
  {
    nonResourceURLs: [
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/openapi',
      '/openapi/*',
      '/version',
      '/version/',
      '/healthz',
      '/livez',
      '/readyz',
    ],
    verbs: ['get'],
  },
  {
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    verbs: ['create'],
  },
  { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
];

function has(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

function resourceMatches(
  rule: PolicyRule,
  resource: string,
  subresource: string | undefined,
): boolean {
  const full = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === full || (subresource !== undefined && r === `*/${subresource}`),
  );
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

/** True when the rule allows the request (RuleAllows in the API server). */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return urlMatches(rule, attrs.path);
  if (!has(rule.apiGroups, attrs.apiGroup)) return false;
  if (!resourceMatches(rule, attrs.resource, attrs.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== undefined && names.includes(attrs.name));
}

function subjectMatches(
  subject: Subject,
  user: UserInfo,
  bindingNamespace: string | undefined,
): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name ?? '');
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace || '';
      return user.name === `system:serviceaccount:${ns}:${subject.name ?? ''}`;
    }
    default:
      return false;
  }
}

function rulesOf(
  ref: BindingLike['roleRef'],
  namespace: string | undefined,
  rbac: RbacObjects,
): PolicyRule[] {
  if (!ref) return [];
  const role =
    ref.kind === 'ClusterRole'
      ? rbac.clusterRoles.find((r) => r.metadata.name === ref.name)
      : rbac.roles.find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace);
  return role?.rules ?? [];
}

/** The rules that apply to a user in a namespace (or at cluster scope when namespace is empty). */
export function rulesFor(
  user: UserInfo,
  namespace: string | undefined,
  rbac: RbacObjects,
): PolicyRule[] {
  const rules = [...(user.groups.includes('system:authenticated') ? AUTHENTICATED_RULES : [])];
  for (const b of rbac.clusterRoleBindings) {
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user, undefined)))
      rules.push(...rulesOf(b.roleRef, undefined, rbac));
  }
  if (namespace) {
    for (const b of rbac.roleBindings) {
      if (b.metadata.namespace !== namespace) continue;
      if ((b.subjects ?? []).some((s) => subjectMatches(s, user, namespace)))
        rules.push(...rulesOf(b.roleRef, namespace, rbac));
    }
  }
  return rules;
}

/** Whether RBAC allows the request; system:masters (kube-sim's admin) is allowed everything. */
export function authorize(user: UserInfo, attrs: RequestAttributes, rbac: RbacObjects): boolean {
  if (user.groups.includes(SYSTEM_MASTERS)) return true;
  const namespace = attrs.resourceRequest ? attrs.namespace : undefined;
  return rulesFor(user, namespace, rbac).some((r) => ruleAllows(r, attrs));
}

/** The API server's words for a denied request (forbiddenMessage plus NewForbidden). */
export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes): string {
  if (!attrs.resourceRequest)
    return `forbidden: User ${JSON.stringify(user.name)} cannot ${attrs.verb} path ${JSON.stringify(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace
    ? `in the namespace ${JSON.stringify(attrs.namespace)}`
    : 'at the cluster scope';
  const why = `User ${JSON.stringify(user.name)} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup)} ${scope}`;
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  return attrs.name
    ? `${qualified} ${JSON.stringify(attrs.name)} is forbidden: ${why}`
    : `${qualified} is forbidden: ${why}`;
}
