import type { IncomingMessage } from 'node:http';
import {
  authorize,
  forbiddenMessage,
  RBAC_REFS,
  type RbacObjects,
  type RequestAttributes,
  type UserInfo,
} from '../rbac/index.js';
import { StatusError, type MemoryStore } from '../store/index.js';
import type { ApiPath } from './parse-api-path.js';

type ResourcePath = Extract<ApiPath, { kind: 'resource' }>;

/** The stored Roles, ClusterRoles and bindings, for the authorizer. */
export function rbacObjects(store: MemoryStore): RbacObjects {
  const list = (ref: (typeof RBAC_REFS)[keyof typeof RBAC_REFS]) =>
    store.registry.get(ref) ? store.list(ref, { shared: true }).items : [];
  return {
    roles: list(RBAC_REFS.roles),
    clusterRoles: list(RBAC_REFS.clusterroles),
    roleBindings: list(RBAC_REFS.rolebindings),
    clusterRoleBindings: list(RBAC_REFS.clusterrolebindings),
  };
}

/** The authorizer's view of a resource request (verb from method, name and `watch`). */
export function resourceAttributes(
  method: string,
  path: ResourcePath,
  watch: boolean,
): RequestAttributes {
  const verb =
    method === 'GET'
      ? watch
        ? 'watch'
        : path.name
          ? 'get'
          : 'list'
      : method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'PATCH'
            ? 'patch'
            : method === 'DELETE'
              ? path.name
                ? 'delete'
                : 'deletecollection'
              : method.toLowerCase();
  return {
    resourceRequest: true,
    verb,
    apiGroup: path.group,
    resource: path.resource,
    ...(path.subresource ? { subresource: path.subresource } : {}),
    ...(path.namespace ? { namespace: path.namespace } : {}),
    ...(path.name ? { name: path.name } : {}),
  };
}

/** Throws the API server's 403 when RBAC does not allow the request. */
export function checkAccess(store: MemoryStore, user: UserInfo, attrs: RequestAttributes): void {
  if (user.groups.includes('system:masters')) return;
  if (authorize(user, attrs, rbacObjects(store))) return;
  throw new StatusError(403, 'Forbidden', forbiddenMessage(user, attrs), {
    ...(attrs.resourceRequest && attrs.name ? { name: attrs.name } : {}),
    ...(attrs.resourceRequest && attrs.apiGroup ? { group: attrs.apiGroup } : {}),
    ...(attrs.resourceRequest ? { kind: attrs.resource } : {}),
  });
}

/** Non-resource requests (discovery, OpenAPI, /version) are `get` on their path. */
export function nonResourceAttributes(req: IncomingMessage, pathname: string): RequestAttributes {
  return { resourceRequest: false, verb: (req.method ?? 'GET').toLowerCase(), path: pathname };
}
