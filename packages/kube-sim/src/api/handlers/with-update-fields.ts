import type { KubeObject } from '../../store/index.js';
import {
  parseManagedFields,
  serializeManagedFields,
  trackUpdate,
} from '../apply/managed-fields.js';
import {
  apiVersionOf,
  fieldManagerOf,
  resolverOf,
  scopeOf,
  type ResourceRequest,
  type ServerContext,
} from './request-context.js';

/** Sets metadata.managedFields for a non-apply write by this request's field manager. */
export function withUpdateFields(
  ctx: ServerContext,
  r: ResourceRequest,
  old: KubeObject | undefined,
  next: KubeObject,
): KubeObject {
  const entries = trackUpdate(old, next, parseManagedFields(old?.metadata.managedFields), {
    manager: fieldManagerOf(r),
    apiVersion: apiVersionOf(r),
    resolve: resolverOf(r),
    scope: scopeOf(r),
    ...(r.subresource ? { subresource: r.subresource } : {}),
    now: ctx.clock(),
  });
  const managed = serializeManagedFields(entries);
  return {
    ...next,
    metadata: { ...next.metadata, managedFields: managed.length > 0 ? managed : undefined },
  };
}
