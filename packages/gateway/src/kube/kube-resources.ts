import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { createInformer, type Informer, type KubeClient } from '@modelplane/kube';
import {
  GROUP,
  VERSION,
  formatPath,
  validateResource,
  type Model,
  type Provider,
  type Route,
} from '@modelplane/spec';
import { buildCatalog } from '@modelplane/router';
import type { ResourceSnapshot, ResourceSource } from '../resources/resource-source.js';

export interface KubeResourcesOptions {
  client: KubeClient;
  /** The namespace whose Routes, Models and Providers the gateway serves. */
  namespace: string;
  /** Told about objects that fail validation (they are left out) and watch errors. */
  onWarning?: (message: string, detail: Record<string, unknown>) => void;
}

type Plural = 'models' | 'routes' | 'providers';

/**
 * Routes, Models (with their status endpoints) and Providers from Kubernetes, kept current by
 * watches; every change rebuilds the snapshot the request path reads.
 */
export async function startKubeResources(
  options: KubeResourcesOptions,
): Promise<ResourceSource & { stop(): Promise<void> }> {
  const { client, namespace } = options;
  const listeners = new Set<() => void>();
  let snap: ResourceSnapshot = {
    models: [],
    routes: [],
    providers: [],
    version: 0,
    catalog: buildCatalog({}),
  };
  let scheduled = false;
  const rebuild = (): void => {
    scheduled = false;
    const models = valid<Model>('Model', informers.models.list(namespace));
    const routes = valid<Route>('Route', informers.routes.list(namespace));
    const providers = valid<Provider>('Provider', informers.providers.list(namespace));
    snap = {
      models,
      routes,
      providers,
      version: snap.version + 1,
      catalog: buildCatalog({ models, routes, providers }),
    };
    for (const l of listeners) l();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(rebuild);
  };
  const informer = (plural: Plural): Informer<KubernetesObject> =>
    createInformer<KubernetesObject>({
      config: client.config,
      path: `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`,
      list: async () =>
        (await client.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural,
        })) as KubernetesListObject<KubernetesObject>,
      onEvent: schedule,
      onError: (err) =>
        options.onWarning?.(`watch of ${plural} failed; restarting`, { error: String(err) }),
    });
  const informers = {
    models: informer('models'),
    routes: informer('routes'),
    providers: informer('providers'),
  };
  await Promise.all(Object.values(informers).map((i) => i.start()));
  rebuild();

  function valid<T>(kind: string, objects: readonly KubernetesObject[]): T[] {
    const out: T[] = [];
    for (const o of objects) {
      const r = validateResource(o);
      if (r.status === 'valid' && r.resource.kind === kind) out.push(r.resource as T);
      else
        options.onWarning?.(`ignoring invalid ${kind}`, {
          name: o.metadata?.name,
          status: r.status,
          // Why, as mpctl would say it: an object applied with kubectl skips the cross-field rules.
          ...(r.status === 'invalid'
            ? { issues: r.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) }
            : {}),
        });
    }
    return out;
  }

  return {
    snapshot: () => snap,
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async stop() {
      await Promise.all(Object.values(informers).map((i) => i.stop()));
    },
  };
}
