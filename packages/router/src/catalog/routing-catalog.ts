import type { Model, Provider, ProviderModel, Route } from '@bascule/spec';

/** Everything the router knows about the cluster's resources, indexed for lookups. */
export interface RoutingCatalog {
  /** Route by name or alias. */
  route(name: string): Route | undefined;
  /** A Route that exists but fails validation (so it cannot route), by name or alias. */
  invalidRoute?(name: string): InvalidRoute | undefined;
  /** Model by name, served name or alias. */
  model(name: string): Model | undefined;
  /** A LoRA adapter declared on a Model (spec.loraAdapters), by the adapter's name. */
  adapter?(name: string): { model: Model; adapter: string } | undefined;
  provider(name: string): Provider | undefined;
  providerModel(provider: string, model: string): ProviderModel | undefined;
  routes(): readonly Route[];
  models(): readonly Model[];
  providers(): readonly Provider[];
}

/** A stored Route that fails validation: kept so the gateway can say why it does not route. */
export interface InvalidRoute {
  name: string;
  aliases?: readonly string[];
  /** The validation issues, e.g. `spec.targets[1].provider: allowExternal is false, ...`. */
  message: string;
}

export interface CatalogInput {
  routes?: readonly Route[];
  invalidRoutes?: readonly InvalidRoute[];
  models?: readonly Model[];
  providers?: readonly Provider[];
}

/**
 * Indexes Routes, Models and Providers of one namespace. Later entries never shadow earlier
 * ones: a name claimed by a Route wins over a Model alias of the same spelling at lookup time
 * (resolveTargets tries Routes first).
 */
export function buildCatalog(input: CatalogInput): RoutingCatalog {
  const routes = [...(input.routes ?? [])];
  const models = [...(input.models ?? [])];
  const providers = [...(input.providers ?? [])];
  const routeBy = new Map<string, Route>();
  for (const r of routes) {
    setOnce(routeBy, r.metadata.name, r);
    for (const a of r.spec.aliases ?? []) setOnce(routeBy, a, r);
  }
  const modelBy = new Map<string, Model>();
  for (const m of models) setOnce(modelBy, m.metadata.name, m);
  for (const m of models) {
    for (const n of m.spec.servedNames ?? []) setOnce(modelBy, n, m);
    for (const a of m.spec.aliases ?? []) setOnce(modelBy, a, m);
  }
  // Adapter names after every Model name, served name and alias: a Model name always wins.
  const adapterBy = new Map<string, { model: Model; adapter: string }>();
  for (const m of models)
    for (const a of m.spec.loraAdapters ?? [])
      if (!modelBy.has(a.name)) setOnce(adapterBy, a.name, { model: m, adapter: a.name });
  const invalidBy = new Map<string, InvalidRoute>();
  for (const r of input.invalidRoutes ?? []) {
    for (const n of [r.name, ...(r.aliases ?? [])]) if (!routeBy.has(n)) setOnce(invalidBy, n, r);
  }
  const providerBy = new Map<string, Provider>();
  for (const p of providers) setOnce(providerBy, p.metadata.name, p);
  return {
    route: (n) => routeBy.get(n),
    invalidRoute: (n) => invalidBy.get(n),
    model: (n) => modelBy.get(n),
    adapter: (n) => adapterBy.get(n),
    provider: (n) => providerBy.get(n),
    providerModel: (p, m) => providerBy.get(p)?.spec.models.find((x) => x.name === m),
    routes: () => routes,
    models: () => models,
    providers: () => providers,
  };
}

function setOnce<T>(map: Map<string, T>, key: string, value: T): void {
  if (!map.has(key)) map.set(key, value);
}
