import { buildCatalog, resolveRoute } from '@bascule/router';
import type { Model, Provider } from '@bascule/spec';
import type { ModelObject } from '../plan/plan-model.js';
import type { ProviderObject, RouteObject } from '../informers/cluster-informers.js';
import { invalidVerdict, type ReadyVerdict, type Validate } from './ready-verdict.js';

export interface RouteCheckInput {
  route: RouteObject;
  /** Models and Providers of the Route's namespace, as stored (validated here). */
  models: readonly ModelObject[];
  providers: readonly ProviderObject[];
  validate: Validate;
}

interface Problem {
  reason: string;
  message: string;
}

/**
 * Ready of a Route (pure): the spec passes every rule bascule applies, and each target resolves
 * by the router's own resolution (`resolveRoute`), the one the gateway routes by: a valid Model
 * by name, served name or alias, or a LoRA adapter of one; a valid Provider that lists the
 * model. A Route with some unresolved targets is not Ready, though the gateway keeps routing to
 * the targets that do resolve; the message says so.
 */
export function checkRoute(input: RouteCheckInput): ReadyVerdict {
  const { route, validate } = input;
  const namespace = route.metadata?.namespace ?? 'default';
  const result = validate(route);
  if (result.status !== 'valid' || result.resource.kind !== 'Route') return invalidVerdict(result);
  const spec = result.resource.spec;

  const models: Model[] = [];
  const invalidModels = new Set<string>();
  for (const o of input.models) {
    const r = validate(o);
    if (r.status === 'valid' && r.resource.kind === 'Model') models.push(r.resource);
    else invalidModels.add(o.metadata?.name ?? '');
  }
  const providers: Provider[] = [];
  const invalidProviders = new Set<string>();
  for (const o of input.providers) {
    const r = validate(o);
    if (r.status === 'valid' && r.resource.kind === 'Provider') providers.push(r.resource);
    else invalidProviders.add(o.metadata?.name ?? '');
  }

  // The router's own resolution, on the catalog the gateway would build from these objects.
  const catalog = buildCatalog({ models, providers });
  const { targets, unresolved } = resolveRoute(catalog, result.resource);
  const problems = unresolved.map((u): Problem => {
    const t = spec.targets[u.index]!;
    const at = `spec.targets[${u.index}]`;
    if (u.missing === 'model')
      return invalidModels.has(t.model)
        ? {
            reason: 'ModelInvalid',
            message: `${at}.model: Model ${t.model} is invalid, so the gateway ignores it (see kubectl describe model ${t.model})`,
          }
        : {
            reason: 'ModelNotFound',
            message: `${at}.model: no Model named ${t.model} in namespace ${namespace}`,
          };
    if (u.missing === 'provider')
      return invalidProviders.has(t.provider!)
        ? {
            reason: 'ProviderInvalid',
            message: `${at}.provider: Provider ${t.provider} is invalid, so the gateway ignores it (see kubectl describe provider ${t.provider})`,
          }
        : {
            reason: 'ProviderNotFound',
            message: `${at}.provider: no Provider named ${t.provider} in namespace ${namespace}`,
          };
    const offered = catalog.provider(t.provider!)!.spec.models.map((m) => m.name);
    return {
      reason: 'ProviderModelNotFound',
      message: `${at}.model: Provider ${t.provider} does not list model ${t.model} (it lists ${offered.join(', ')})`,
    };
  });

  const names = spec.targets.map((t) => (t.provider ? `${t.provider}/${t.model}` : t.model));
  if (problems.length === 0) {
    return {
      status: 'True',
      reason: 'Resolved',
      message: `${resolvesPhrase(names.length)}: ${names.join(', ')}`,
    };
  }
  const resolved = targets.length;
  const consequence =
    resolved > 0
      ? `meanwhile the gateway routes to the ${resolved === 1 ? 'one target that resolves' : `${resolved} targets that resolve`}`
      : 'no target resolves, so requests to this Route fail';
  return {
    status: 'False',
    reason: problems[0]!.reason,
    message: `${problems.map((p) => p.message).join('; ')}; ${consequence}`,
  };
}

function resolvesPhrase(n: number): string {
  if (n === 1) return 'the target resolves';
  return n === 2 ? 'both targets resolve' : `all ${n} targets resolve`;
}
