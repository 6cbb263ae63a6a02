import type {
  KubernetesListObject,
  KubernetesObject,
  V1Deployment,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import { createInformer, type Informer, type InformerEvent, type KubeClient } from '@bascule/kube';
import {
  GROUP,
  MANAGED_SELECTOR,
  VERSION,
  type ProviderStatus,
  type RouteStatus,
} from '@bascule/spec';
import type { ModelObject } from '../plan/plan-model.js';

/** A Route as the API server stores it (validated by the controller, not by the API server). */
export interface RouteObject extends KubernetesObject {
  spec?: unknown;
  status?: RouteStatus;
}

/** A Provider as the API server stores it. */
export interface ProviderObject extends KubernetesObject {
  spec?: unknown;
  status?: ProviderStatus;
}

type Watched =
  ModelObject | RouteObject | ProviderObject | V1Deployment | V1Service | V1Pod | V1Node;

export interface ClusterInformers {
  models: Informer<ModelObject>;
  /** Routes and Providers, whose status the controller writes (see routing/). */
  routes: Informer<RouteObject>;
  providers: Informer<ProviderObject>;
  deployments: Informer<V1Deployment>;
  services: Informer<V1Service>;
  /** Every pod (GPU capacity counts other workloads' GPUs too). */
  pods: Informer<V1Pod>;
  nodes: Informer<V1Node>;
}

export type ClusterEventHandler = (
  resource: keyof ClusterInformers,
  event: InformerEvent,
  object: Watched,
) => void;

export interface ClusterInformerOptions {
  client: KubeClient;
  /** Watch one namespace; every namespace when undefined. */
  namespace?: string;
  onEvent: ClusterEventHandler;
  onError: (resource: keyof ClusterInformers, err: unknown) => void;
}

/**
 * Informers on Models, Routes, Providers, the Deployments and Services the controller owns,
 * Pods and Nodes.
 */
export function createClusterInformers(options: ClusterInformerOptions): ClusterInformers {
  const { client, namespace: ns } = options;
  const config = client.config;
  const scoped = (group: string, plural: string) =>
    `${group === '' ? '/api/v1' : `/apis/${group}`}${ns ? `/namespaces/${ns}` : ''}/${plural}`;
  const hooks = <T extends Watched>(resource: keyof ClusterInformers) => ({
    onEvent: (event: InformerEvent, object: T) => options.onEvent(resource, event, object),
    onError: (err: unknown) => options.onError(resource, err),
  });
  const custom = <T extends ModelObject | RouteObject | ProviderObject>(
    plural: 'models' | 'routes' | 'providers',
  ) =>
    createInformer<T>({
      config,
      path: scoped(`${GROUP}/${VERSION}`, plural),
      list: async () =>
        (ns
          ? await client.custom.listNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace: ns,
              plural,
            })
          : await client.custom.listClusterCustomObject({
              group: GROUP,
              version: VERSION,
              plural,
            })) as KubernetesListObject<T>,
      ...hooks<T>(plural),
    });
  return {
    models: custom<ModelObject>('models'),
    routes: custom<RouteObject>('routes'),
    providers: custom<ProviderObject>('providers'),
    deployments: createInformer<V1Deployment>({
      config,
      path: scoped('apps/v1', 'deployments'),
      labelSelector: MANAGED_SELECTOR,
      list: () =>
        ns
          ? client.apps.listNamespacedDeployment({ namespace: ns, labelSelector: MANAGED_SELECTOR })
          : client.apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      ...hooks<V1Deployment>('deployments'),
    }),
    services: createInformer<V1Service>({
      config,
      path: scoped('', 'services'),
      labelSelector: MANAGED_SELECTOR,
      list: () =>
        ns
          ? client.core.listNamespacedService({ namespace: ns, labelSelector: MANAGED_SELECTOR })
          : client.core.listServiceForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      ...hooks<V1Service>('services'),
    }),
    pods: createInformer<V1Pod>({
      config,
      path: '/api/v1/pods',
      list: () => client.core.listPodForAllNamespaces(),
      ...hooks<V1Pod>('pods'),
    }),
    nodes: createInformer<V1Node>({
      config,
      path: '/api/v1/nodes',
      list: () => client.core.listNode(),
      ...hooks<V1Node>('nodes'),
    }),
  };
}

/** Starts every informer and waits for their first lists. */
export async function startInformers(informers: ClusterInformers): Promise<void> {
  await Promise.all(Object.values(informers).map((i: Informer<unknown>) => i.start()));
}

export async function stopInformers(informers: ClusterInformers): Promise<void> {
  await Promise.all(Object.values(informers).map((i: Informer<unknown>) => i.stop()));
}
