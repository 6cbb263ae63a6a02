import type { V1Deployment, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Model } from '@bascule/spec';
import { DEFAULT_STARTUP_TIMEOUT_SECONDS } from './render-probes.js';
import { TEMPLATE_HASH_ANNOTATION } from '@bascule/spec';
import { modelSelector } from './model-labels.js';
import { templateHash } from './template-hash.js';

export interface DeploymentParts {
  model: Model;
  replicas: number;
  template: V1PodTemplateSpec;
  startupTimeoutSeconds?: number;
}

/**
 * Wraps a pod template in the Model's Deployment. The template's hash goes on both the
 * Deployment and the template: a changed spec changes the template (and rolls), an unchanged
 * one renders byte-for-byte the same object (and server-side apply changes nothing).
 * Rolling updates add one replica before removing one (maxSurge 1, maxUnavailable 0), so
 * serving capacity never drops during a rollout.
 */
export function renderDeploymentObject(parts: DeploymentParts): V1Deployment {
  const { model, template } = parts;
  const hash = templateHash(template);
  const labels = template.metadata?.labels ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: model.metadata.name,
      ...(model.metadata.namespace ? { namespace: model.metadata.namespace } : {}),
      labels: { ...labels },
      annotations: { [TEMPLATE_HASH_ANNOTATION]: hash },
    },
    spec: {
      replicas: parts.replicas,
      selector: { matchLabels: modelSelector(model.metadata.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      // A rollout may wait for a whole model load before it counts as stuck.
      progressDeadlineSeconds:
        (parts.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS) + 600,
      revisionHistoryLimit: 3,
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          annotations: { ...template.metadata?.annotations, [TEMPLATE_HASH_ANNOTATION]: hash },
        },
      },
    },
  };
}
