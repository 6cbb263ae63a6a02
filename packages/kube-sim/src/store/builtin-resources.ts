import { ALL_VERBS, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';
import { workloadResources } from './workload-resources.js';

interface BuiltinInput {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: boolean;
  generation?: boolean;
  createStatus?: ResourceType['createStatus'];
  validate?: ResourceType['validate'];
}

function builtin(input: BuiltinInput): ResourceType {
  return {
    group: input.group,
    versions: [input.version],
    resource: input.resource,
    singular: input.kind.toLowerCase(),
    kind: input.kind,
    listKind: `${input.kind}List`,
    namespaced: input.namespaced ?? true,
    shortNames: input.shortNames ?? [],
    categories: input.categories ?? [],
    verbs: ALL_VERBS,
    subresources: {
      ...(input.status ? { status: true } : {}),
      ...(input.scale
        ? {
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.spec.selector',
            },
          }
        : {}),
    },
    generation: input.generation ?? false,
    createStatus: input.createStatus ?? (input.status ? 'drop' : 'keep'),
    ...(input.validate ? { validate: input.validate } : {}),
  };
}

function validateReplicas(object: KubeObject): Array<{ field: string; message: string }> {
  const spec = object['spec'] as { replicas?: unknown } | undefined;
  const replicas = spec?.replicas;
  if (replicas === undefined) return [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    return [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ];
  }
  return [];
}

function validatePod(
  object: KubeObject,
): Array<{ field: string; message: string; reason?: string }> {
  const spec = object['spec'] as
    { containers?: Array<{ name?: unknown; image?: unknown }> } | undefined;
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ field: 'spec.containers', message: 'Required value', reason: 'FieldValueRequired' }];
  }
  const errors: Array<{ field: string; message: string; reason?: string }> = [];
  containers.forEach((c, i) => {
    if (typeof c.name !== 'string' || c.name === '') {
      errors.push({
        field: `spec.containers[${i}].name`,
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
    if (typeof c.image !== 'string' || c.image === '') {
      errors.push({
        field: `spec.containers[${i}].image`,
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
  });
  return errors;
}

/** The built-in resources kube-sim serves. */
export function builtinResources(): ResourceType[] {
  return [
    builtin({
      group: '',
      version: 'v1',
      resource: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      shortNames: ['ns'],
      status: true,
      createStatus: { initial: { phase: 'Active' } },
    }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'nodes',
      kind: 'Node',
      namespaced: false,
      shortNames: ['no'],
      status: true,
      createStatus: 'keep',
    }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'pods',
      kind: 'Pod',
      shortNames: ['po'],
      categories: ['all'],
      status: true,
      createStatus: { initial: { phase: 'Pending' } },
      validate: validatePod,
    }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'services',
      kind: 'Service',
      shortNames: ['svc'],
      categories: ['all'],
      status: true,
      createStatus: { initial: { loadBalancer: {} } },
    }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'endpoints',
      kind: 'Endpoints',
      shortNames: ['ep'],
    }),
    builtin({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret' }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'configmaps',
      kind: 'ConfigMap',
      shortNames: ['cm'],
    }),
    builtin({ group: '', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'] }),
    builtin({
      group: '',
      version: 'v1',
      resource: 'serviceaccounts',
      kind: 'ServiceAccount',
      shortNames: ['sa'],
    }),
    builtin({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      kind: 'Deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      status: true,
      scale: true,
      generation: true,
      validate: validateReplicas,
    }),
    builtin({
      group: 'apps',
      version: 'v1',
      resource: 'replicasets',
      kind: 'ReplicaSet',
      shortNames: ['rs'],
      categories: ['all'],
      status: true,
      scale: true,
      generation: true,
      validate: validateReplicas,
    }),
    ...workloadResources(),
    builtin({
      group: 'discovery.k8s.io',
      version: 'v1',
      resource: 'endpointslices',
      kind: 'EndpointSlice',
    }),
    builtin({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease' }),
    builtin({
      group: 'events.k8s.io',
      version: 'v1',
      resource: 'events',
      kind: 'Event',
      shortNames: ['ev'],
    }),
    builtin({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      resource: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      status: true,
      generation: true,
    }),
  ];
}
