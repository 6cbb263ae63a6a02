import type { MemoryStore } from '../store/memory-store.js';
import { deepEqual } from '../store/object-utils.js';
import { invalid } from '../store/status-error.js';
import type { StorePlugin } from '../store/store-plugin.js';
import { TOKEN_ISSUER, tokensFor } from './service-account-tokens.js';

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';
const SA_UID = 'kubernetes.io/service-account.uid';

/**
 * RBAC and ServiceAccount token rules of the API server: a binding's roleRef cannot change; a
 * Secret of type kubernetes.io/service-account-token naming an existing ServiceAccount gets a
 * token (as the legacy token controller fills it), valid while the Secret exists.
 */
export function rbacPlugin(store: MemoryStore): StorePlugin {
  return {
    prepare(ctx) {
      const { type, object, old } = ctx;
      if (
        type.group === 'rbac.authorization.k8s.io' &&
        (type.kind === 'RoleBinding' || type.kind === 'ClusterRoleBinding') &&
        old &&
        !deepEqual(object['roleRef'], old['roleRef'])
      ) {
        throw invalid(type.group, type.kind, object.metadata.name ?? '', [
          {
            reason: 'FieldValueInvalid',
            field: 'roleRef',
            message: `Invalid value: ${JSON.stringify(object['roleRef'])}: cannot change roleRef`,
          },
        ]);
      }
      if (type.group !== '' || type.kind !== 'Secret' || object['type'] !== SA_TOKEN_TYPE)
        return object;
      const annotations = (object.metadata.annotations ??= {});
      const saName = annotations[SA_NAME];
      const ns = object.metadata.namespace ?? 'default';
      const sa = saName
        ? store.getShared({ group: '', version: 'v1', resource: 'serviceaccounts' }, ns, saName)
        : undefined;
      const data = (object['data'] ?? {}) as Record<string, string>;
      if (!sa || data['token']) return object;
      const now = Math.floor(Date.now() / 1000);
      const token = tokensFor(store).issue({
        iss: TOKEN_ISSUER,
        sub: `system:serviceaccount:${ns}:${saName}`,
        aud: [TOKEN_ISSUER],
        iat: now,
        nbf: now,
        'kubernetes.io': {
          namespace: ns,
          serviceaccount: { name: saName!, uid: sa.metadata.uid! },
          secret: { name: object.metadata.name ?? '' },
        },
      });
      annotations[SA_UID] = sa.metadata.uid!;
      object['data'] = {
        ...data,
        token: Buffer.from(token).toString('base64'),
        namespace: Buffer.from(ns).toString('base64'),
      };
      return object;
    },
  };
}
