import { formatLabelSelector } from './label-selector.js';
import { getDotted, setDotted } from './object-utils.js';
import type { ResourceType, ScaleSubresource } from './resource-type.js';
import { conflict, invalid, notFound, resourceNotFound } from './status-error.js';
import type { StoreWriteOptions } from './store-options.js';
import type { KubeObject, ResourceRef } from './types.js';

/** The autoscaling/v1 Scale view of an object, read through its scale subresource paths. */
export function scaleOf(obj: KubeObject, scale: ScaleSubresource): KubeObject {
  const selector = scale.labelSelectorPath ? getDotted(obj, scale.labelSelectorPath) : undefined;
  const status: Record<string, unknown> = {
    replicas: Number(getDotted(obj, scale.statusReplicasPath) ?? 0),
  };
  const selectorText = typeof selector === 'string' ? selector : formatLabelSelector(selector);
  if (selectorText) status['selector'] = selectorText;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(getDotted(obj, scale.specReplicasPath) ?? 0) },
    status,
  };
}

/** The store reads and writes a scale update needs (MemoryStore's; a port, not an import of it). */
export interface ScaleStore {
  getShared(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined;
  update(ref: ResourceRef, input: KubeObject, options?: StoreWriteOptions): KubeObject;
  getScale(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject;
}

/** Writes spec.replicas through the scale subresource; returns the new Scale. */
export function updateScale(
  store: ScaleStore,
  type: ResourceType,
  ref: ResourceRef,
  input: KubeObject,
  options: StoreWriteOptions,
): KubeObject {
  const scale = type.subresources.scale;
  if (!scale) throw resourceNotFound();
  const name = input.metadata?.name ?? '';
  const old = store.getShared(ref, input.metadata?.namespace, name);
  if (!old) throw notFound(type.group, type.resource, name);
  const rv = input.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(type.group, type.resource, name);
  const replicas = (input['spec'] as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const next = setDotted(old, scale.specReplicasPath, replicas);
  const updated = store.update(
    ref,
    { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } },
    { ...options, subresource: undefined },
  );
  if (options.dryRun)
    return { ...store.getScale(ref, old.metadata.namespace, name), spec: { replicas } };
  return store.getScale(ref, updated.metadata.namespace, name);
}
