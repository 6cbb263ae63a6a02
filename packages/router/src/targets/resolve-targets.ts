import { echoName, type Route } from '@bascule/spec';
import type { RoutingCatalog } from '../catalog/routing-catalog.js';
import type { Target } from './target.js';

export type Resolution =
  | { kind: 'route'; route: Route; targets: Target[]; unresolved: UnresolvedTarget[] }
  | { kind: 'model'; targets: Target[] }
  | { kind: 'provider'; targets: Target[] }
  /** Nothing routes this name; `status` and `code` when it is not a plain 404 model_not_found. */
  | { kind: 'unknown'; message: string; status?: number; code?: string };

/** A Route target that names a Model or Provider model that does not exist. */
export interface UnresolvedTarget {
  name: string;
  reason: string;
  /** Its position in the Route's spec.targets. */
  index: number;
  /** What is missing: the Model (or LoRA adapter), the Provider, or the Provider's model. */
  missing: 'model' | 'provider' | 'providerModel';
}

/**
 * Resolves the client's `model` to targets: a Route (by name or alias), then a Model (by
 * name, served name or alias), then `provider/model`. A name taken by an invalid Route
 * resolves to nothing, with the Route's validation issues as the message.
 */
export function resolveTargets(catalog: RoutingCatalog, name: string): Resolution {
  const route = catalog.route(name);
  if (route) return resolvedRoute(catalog, route);
  const invalid = catalog.invalidRoute?.(name);
  if (invalid) {
    // The name is taken by a Route an operator must fix: not the client's error, and not
    // "does not exist". 503, as for a Route none of whose targets resolve.
    return {
      kind: 'unknown',
      status: 503,
      code: 'route_invalid',
      message: `Route '${invalid.name}' is invalid: ${invalid.message} (an operator must fix the Route; kubectl describe route ${invalid.name} shows its status)`,
    };
  }
  const model = catalog.model(name);
  if (model)
    return { kind: 'model', targets: [{ kind: 'model', name: model.metadata.name, model }] };
  const lora = catalog.adapter?.(name);
  if (lora)
    return {
      kind: 'model',
      targets: [
        { kind: 'model', name: lora.model.metadata.name, model: lora.model, adapter: lora.adapter },
      ],
    };
  const slash = name.indexOf('/');
  if (slash > 0) {
    const providerName = name.slice(0, slash);
    const modelName = name.slice(slash + 1);
    const provider = catalog.provider(providerName);
    const providerModel = catalog.providerModel(providerName, modelName);
    if (provider && providerModel) {
      return {
        kind: 'provider',
        targets: [{ kind: 'provider', name, provider, providerModel }],
      };
    }
    if (provider) {
      return {
        kind: 'unknown',
        message: `provider ${echoName(providerName)} does not offer model ${echoName(modelName)} (it offers ${provider.spec.models.map((m) => m.name).join(', ')})`,
      };
    }
  }
  return {
    kind: 'unknown',
    message: `the model '${echoName(name)}' does not exist: no Route, Model, LoRA adapter or provider/model has that name`,
  };
}

/**
 * resolveRoute once per catalog and Route: a catalog is an immutable snapshot (rebuilt on every
 * change), so its Routes resolve the same way for every request it serves. The lists are frozen:
 * every request shares them.
 */
const RESOLVED = new WeakMap<
  RoutingCatalog,
  WeakMap<Route, Extract<Resolution, { kind: 'route' }>>
>();
function resolvedRoute(
  catalog: RoutingCatalog,
  route: Route,
): Extract<Resolution, { kind: 'route' }> {
  let byRoute = RESOLVED.get(catalog);
  if (!byRoute) RESOLVED.set(catalog, (byRoute = new WeakMap()));
  let r = byRoute.get(route);
  if (!r) {
    r = resolveRoute(catalog, route);
    Object.freeze(r.targets);
    Object.freeze(r.unresolved);
    byRoute.set(route, r);
  }
  return r;
}

/**
 * A Route's targets as the gateway routes to them: a Model by name, served name or alias, else a
 * LoRA adapter of one; a Provider's listed model. Targets that resolve to nothing are listed
 * apart (the controller's Ready condition reads the same list).
 */
export function resolveRoute(
  catalog: RoutingCatalog,
  route: Route,
): Extract<Resolution, { kind: 'route' }> {
  const targets: Target[] = [];
  const unresolved: UnresolvedTarget[] = [];
  route.spec.targets.forEach((t, index) => {
    const tier = {
      ...(t.tier === undefined ? {} : { tier: t.tier }),
      ...(t.strengths === undefined || t.strengths.length === 0 ? {} : { strengths: t.strengths }),
    };
    if (t.provider === undefined) {
      const model = catalog.model(t.model);
      const lora = model ? undefined : catalog.adapter?.(t.model);
      if (model) targets.push({ kind: 'model', name: model.metadata.name, model, ...tier });
      else if (lora)
        targets.push({
          kind: 'model',
          name: lora.model.metadata.name,
          model: lora.model,
          adapter: lora.adapter,
          ...tier,
        });
      else
        unresolved.push({
          name: t.model,
          reason: `Model or LoRA adapter ${t.model} not found`,
          index,
          missing: 'model',
        });
      return;
    }
    const name = `${t.provider}/${t.model}`;
    const provider = catalog.provider(t.provider);
    const providerModel = catalog.providerModel(t.provider, t.model);
    if (provider && providerModel) {
      targets.push({ kind: 'provider', name, provider, providerModel, ...tier });
    } else {
      unresolved.push({
        name,
        reason: provider
          ? `provider ${t.provider} does not offer ${t.model}`
          : `Provider ${t.provider} not found`,
        index,
        missing: provider ? 'providerModel' : 'provider',
      });
    }
  });
  return { kind: 'route', route, targets, unresolved };
}

/** The name usage rows and metric labels use for a `model` nothing routes (one bucket). */
export const UNKNOWN_NAME = 'unknown';

/**
 * The client's `model` as usage and metrics may record it: the name itself when the catalog
 * knows it (a Route, an invalid Route, a Model or a provider/model), else {@link UNKNOWN_NAME},
 * so names a client invents never become label values or usage rows of their own.
 */
export function recordableName(catalog: RoutingCatalog, name: string): string {
  if (catalog.route(name) || catalog.invalidRoute?.(name)) return name;
  return resolveTargets(catalog, name).kind === 'unknown' ? UNKNOWN_NAME : name;
}
