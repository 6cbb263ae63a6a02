import type { RoutingCatalog } from '@bascule/router';

/** What the worker needs to know about a job's Route or Model. */
export interface TargetPolicy {
  /** Self-hosted Models (by name) the target can run on. */
  models: string[];
  /** True when the Route has a closed (provider) target and allows leaving the cluster. */
  canGoExternal: boolean;
  /** The closed target as the gateway names it (`provider/model`), when canGoExternal. */
  externalModel?: string;
  /** Why it cannot, for error messages. */
  privateReason?: string;
}

/** Reads a Route's (or Model's) targets and privacy from the catalog. Pure. */
export function targetPolicy(catalog: RoutingCatalog, name: string): TargetPolicy {
  const route = catalog.route(name);
  if (route) {
    const models = route.spec.targets
      .filter((t) => t.provider === undefined)
      .map((t) => catalog.model(t.model)?.metadata.name ?? t.model);
    const ext = route.spec.targets.find((t) => t.provider !== undefined);
    if (!route.spec.allowExternal)
      return {
        models,
        canGoExternal: false,
        privateReason: `Route '${name}' is private (allowExternal: false), so its jobs never go to a closed API`,
      };
    return ext
      ? { models, canGoExternal: true, externalModel: `${ext.provider}/${ext.model}` }
      : { models, canGoExternal: false, privateReason: `Route '${name}' has no closed target` };
  }
  const model = catalog.model(name);
  if (model)
    return {
      models: [model.metadata.name],
      canGoExternal: false,
      privateReason: `'${name}' is a Model, which has no closed target (use a Route with one)`,
    };
  return { models: [], canGoExternal: false, privateReason: `no Route or Model '${name}'` };
}
