import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import { formatShortfallAnnotation, GROUP, SHORTFALL_ANNOTATION, VERSION } from '@bascule/spec';
import type { ShortfallPublisher } from '../loop/autoscaler-ports.js';

/** Sets (or removes, with a null merge-patch value) the shortfall annotation on the Model. */
export function kubeShortfallPublisher(custom: CustomObjectsApi): ShortfallPublisher {
  return {
    async publish(ref, shortfall) {
      await custom.patchNamespacedCustomObject(
        {
          group: GROUP,
          version: VERSION,
          namespace: ref.namespace,
          plural: 'models',
          name: ref.name,
          body: {
            metadata: {
              annotations: {
                [SHORTFALL_ANNOTATION]: shortfall ? formatShortfallAnnotation(shortfall) : null,
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
  };
}
