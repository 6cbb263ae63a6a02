import { formatLabelSelector } from './label-selector.js';
import { getDotted } from './object-utils.js';
import type { ScaleSubresource } from './resource-type.js';
import type { KubeObject } from './types.js';

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
