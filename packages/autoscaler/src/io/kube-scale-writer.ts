import type { CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, VERSION } from '@bascule/spec';
import type { ScaleWriter } from '../loop/autoscaler-ports.js';

interface Scale {
  metadata?: { resourceVersion?: string };
  spec?: { replicas?: number };
}

/**
 * Writes replicas through the Model's `scale` subresource (read, then replace with the read
 * resourceVersion, so a concurrent writer makes this fail with 409 and the next tick retries).
 * The autoscaler never touches Deployments: the controller copies spec.replicas there.
 */
export function kubeScaleWriter(custom: CustomObjectsApi): ScaleWriter {
  return {
    async setReplicas(ref, replicas) {
      const base = {
        group: GROUP,
        version: VERSION,
        namespace: ref.namespace,
        plural: 'models',
        name: ref.name,
      };
      const current = (await custom.getNamespacedCustomObjectScale(base)) as Scale;
      if (current.spec?.replicas === replicas) return;
      await custom.replaceNamespacedCustomObjectScale({
        ...base,
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: {
            name: ref.name,
            namespace: ref.namespace,
            ...(current.metadata?.resourceVersion
              ? { resourceVersion: current.metadata.resourceVersion }
              : {}),
          },
          spec: { replicas },
        },
      });
    },
  };
}
