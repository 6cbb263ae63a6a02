import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { createInformer, type Informer, type KubeClient } from '@bascule/kube';
import {
  GROUP,
  VERSION,
  formatPath,
  validateResource,
  type Model,
  type Provider,
  type Route,
} from '@bascule/spec';
import { buildCatalog, type InvalidRoute } from '@bascule/router';
import type { ResourceSnapshot, ResourceSource } from '../resources/resource-source.js';

export interface KubeResourcesOptions {
  client: KubeClient;
  /** The namespace whose Routes, Models and Providers the gateway serves. */
  namespace: string;
  /**
   * Told about objects that fail validation (they are left out; once per object version) and
   * watch errors.
   */
  onWarning?: (message: string, detail: Record<string, unknown>) => void;
}

type Plural = 'models' | 'routes' | 'providers';

/**
 * Routes, Models (with their status endpoints) and Providers from Kubernetes, kept current by
 * watches; every change rebuilds the snapshot the request path reads. Invalid Routes (a
 * kubectl apply skips the cross-field rules) are left out of routing but kept in the catalog
 * with their issues, so a request naming one is told why instead of "does not exist".
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
  let warned = new Set<string>();
  const rebuild = (): void => {
    scheduled = false;
    const seen = new Set<string>();
    const invalidRoutes: InvalidRoute[] = [];
    const models = valid<Model>('Model', informers.models.list(namespace), seen);
    const routes = valid<Route>('Route', informers.routes.list(namespace), seen, invalidRoutes);
    const providers = valid<Provider>('Provider', informers.providers.list(namespace), seen);
    warned = seen;
    snap = {
      models,
      routes,
      providers,
      version: snap.version + 1,
      catalog: buildCatalog({ models, routes, providers, invalidRoutes }),
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

  function valid<T>(
    kind: string,
    objects: readonly KubernetesObject[],
    seen: Set<string>,
    invalid?: InvalidRoute[],
  ): T[] {
    const out: T[] = [];
    for (const o of objects) {
      const r = validateResource(o);
      if (r.status === 'valid' && r.resource.kind === kind) {
        out.push(r.resource as T);
        continue;
      }
      // Why, as bascule would say it: an object applied with kubectl skips the cross-field rules.
      const issues =
        r.status === 'invalid'
          ? r.issues.map((i) => `${formatPath(i.path).replace(/^\./, '')}: ${i.message}`)
          : [`not a ${kind}`];
      const name = o.metadata?.name ?? '';
      invalid?.push({ name, aliases: stringAliases(o), message: issues.join('; ') });
      const id = `${kind}/${name}@${o.metadata?.resourceVersion ?? ''}`;
      seen.add(id);
      if (!warned.has(id))
        options.onWarning?.(`ignoring invalid ${kind}`, { name, status: r.status, issues });
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

/** The aliases of a Route that failed validation, where they are still a list of strings. */
function stringAliases(o: KubernetesObject): string[] {
  const aliases = (o as { spec?: { aliases?: unknown } }).spec?.aliases;
  return Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [];
}
