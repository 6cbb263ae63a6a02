import {
  conflict,
  invalid,
  notFound,
  scaleOf,
  setDotted,
  type KubeObject,
  type StoreWriteOptions,
} from '../../store/index.js';
import type { ResourceRequest, ServerContext } from './request-context.js';
import { withUpdateFields } from './with-update-fields.js';

/**
 * Writes spec.replicas through the scale subresource as one update of the object, recording the
 * writer (e.g. kubectl-scale, an autoscaler) as the manager of the replicas field.
 */
export function writeScale(
  ctx: ServerContext,
  r: ResourceRequest,
  scale: KubeObject,
  options: StoreWriteOptions,
): KubeObject {
  const name = r.name!;
  const paths = r.type.subresources.scale!;
  const current = ctx.store.get(r.ref, r.namespace, name);
  if (!current) throw notFound(r.type.group, r.type.resource, name);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) {
    throw conflict(r.type.group, r.type.resource, name);
  }
  const replicas = (scale['spec'] as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const next = setDotted(current, paths.specReplicasPath, replicas);
  const stored = ctx.store.update(r.ref, withUpdateFields(ctx, r, current, next), options);
  return scaleOf(stored, paths);
}
