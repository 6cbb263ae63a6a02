import { describe, expect, it } from 'vitest';
import { authorize, forbiddenMessage, type RbacObjects, type UserInfo } from './authorize.js';

const sa: UserInfo = {
  name: 'system:serviceaccount:team:bot',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
};

const rbac: RbacObjects = {
  roles: [
    {
      metadata: { name: 'one-secret', namespace: 'team' },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['key'], verbs: ['get'] }],
    },
  ],
  clusterRoles: [
    {
      metadata: { name: 'scaler' },
      rules: [{ apiGroups: ['*'], resources: ['*/scale'], verbs: ['get', 'update'] }],
    },
    {
      metadata: { name: 'metrics' },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    },
  ],
  roleBindings: [
    {
      metadata: { name: 'b1', namespace: 'team' },
      roleRef: { kind: 'Role', name: 'one-secret' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    },
    {
      // A ClusterRole bound by a RoleBinding applies in that namespace only.
      metadata: { name: 'b2', namespace: 'team' },
      roleRef: { kind: 'ClusterRole', name: 'scaler' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:team' }],
    },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'b3' },
      roleRef: { kind: 'ClusterRole', name: 'metrics' },
      subjects: [{ kind: 'User', name: sa.name }],
    },
  ],
};

const res = (verb: string, resource: string, extra: Record<string, string> = {}) => ({
  resourceRequest: true as const,
  verb,
  apiGroup: extra['group'] ?? '',
  resource,
  ...extra,
});

describe('RBAC authorizer', () => {
  it('matches resource names, subresource wildcards, binding scope and subjects of every kind', () => {
    expect(authorize(sa, res('get', 'secrets', { namespace: 'team', name: 'key' }), rbac)).toBe(
      true,
    );
    expect(authorize(sa, res('get', 'secrets', { namespace: 'team', name: 'other' }), rbac)).toBe(
      false,
    );
    expect(authorize(sa, res('list', 'secrets', { namespace: 'team' }), rbac)).toBe(false);
    const scale = { group: 'apps', subresource: 'scale', name: 'web' };
    expect(authorize(sa, res('update', 'deployments', { ...scale, namespace: 'team' }), rbac)).toBe(
      true,
    );
    expect(authorize(sa, res('update', 'deployments', { ...scale, namespace: 'prod' }), rbac)).toBe(
      false,
    );
    expect(
      authorize(
        sa,
        res('update', 'deployments', { group: 'apps', namespace: 'team', name: 'web' }),
        rbac,
      ),
    ).toBe(false);
    expect(authorize(sa, { resourceRequest: false, verb: 'get', path: '/metrics' }, rbac)).toBe(
      true,
    );
    expect(
      authorize(sa, { resourceRequest: false, verb: 'get', path: '/apis/apps/v1' }, rbac),
    ).toBe(true);
    expect(authorize(sa, { resourceRequest: false, verb: 'post', path: '/metrics' }, rbac)).toBe(
      false,
    );
    const admin = { name: 'kubernetes-admin', groups: ['system:masters'] };
    expect(authorize(admin, res('delete', 'nodes', { name: 'n1' }), rbac)).toBe(true);
  });

  it('words a refusal as the API server does', () => {
    expect(forbiddenMessage(sa, res('get', 'secrets', { namespace: 'team', name: 'other' }))).toBe(
      'secrets "other" is forbidden: User "system:serviceaccount:team:bot" cannot get resource "secrets" in API group "" in the namespace "team"',
    );
    expect(forbiddenMessage(sa, res('list', 'models', { group: 'bascule.dev' }))).toBe(
      'models.bascule.dev is forbidden: User "system:serviceaccount:team:bot" cannot list resource "models" in API group "bascule.dev" at the cluster scope',
    );
  });
});
