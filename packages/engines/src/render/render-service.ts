import type { V1Service } from '@kubernetes/client-node';
import type { Model } from '@bascule/spec';
import { ENGINE_PORT_NAME, modelLabels, modelSelector } from './model-labels.js';

/** The Model's ClusterIP Service: its pods' engine port under the Model's name. */
export function renderServiceObject(model: Model, port: number, image: string): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: model.metadata.name,
      ...(model.metadata.namespace ? { namespace: model.metadata.namespace } : {}),
      labels: modelLabels(model.metadata.name, model.spec.engine, image),
    },
    spec: {
      type: 'ClusterIP',
      selector: modelSelector(model.metadata.name),
      ports: [{ name: ENGINE_PORT_NAME, port, targetPort: ENGINE_PORT_NAME, protocol: 'TCP' }],
    },
  };
}
