import type { CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { API_VERSION } from '@bascule/spec';
import type { EventRecorder } from '../loop/autoscaler-ports.js';

/** Source component of the autoscaler's Events. */
export const AUTOSCALER_COMPONENT = 'bascule-autoscaler';

/**
 * Records decisions as core/v1 Events on the Model (what `kubectl describe model` and
 * `kubectl get events` show), with the Model's uid when known.
 */
export function kubeEventRecorder(
  core: CoreV1Api,
  options: { host?: string; now?: () => Date } = {},
): EventRecorder {
  const now = options.now ?? (() => new Date());
  let seq = 0;
  return {
    async record(ref, event) {
      const at = now();
      const body: CoreV1Event = {
        metadata: {
          name: `${ref.name}.${at.getTime().toString(16)}${(seq++ % 4096).toString(16).padStart(3, '0')}`,
          namespace: ref.namespace,
        },
        involvedObject: {
          apiVersion: API_VERSION,
          kind: 'Model',
          name: ref.name,
          namespace: ref.namespace,
          ...(ref.uid ? { uid: ref.uid } : {}),
        },
        type: event.type,
        reason: event.reason,
        message: event.message,
        source: {
          component: AUTOSCALER_COMPONENT,
          ...(options.host ? { host: options.host } : {}),
        },
        reportingComponent: AUTOSCALER_COMPONENT,
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
      };
      await core.createNamespacedEvent({ namespace: ref.namespace, body });
    },
  };
}
