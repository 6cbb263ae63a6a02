import type { ComplexityTier, Route, RouteJudge } from '@bascule/spec';
import type { RoutingCatalog } from '../catalog/routing-catalog.js';
import { resolveTargets } from '../targets/resolve-targets.js';
import type { Target } from '../targets/target.js';
import { sampleUnit } from './sample-unit.js';

export interface ShadowInput {
  route: Route;
  catalog: RoutingCatalog;
  /** The target that served the request, with its tier. */
  served: Target;
  requestId: string;
  /** The request said `x-bascule-privacy: strict`. */
  privacyStrict?: boolean;
  /** Shadow and judge spend of this Route today (USD), as last read. */
  spentTodayUSD: number;
}

/** Why a request was not shadowed (a stable code for logs and metrics). */
export type NoShadowReason =
  'off' | 'not-sampled' | 'untiered' | 'no-other-tier' | 'private' | 'no-judge' | 'cap';

export type ShadowDecision =
  | { shadow: true; servedTier: ComplexityTier; other: Target; judge: Target }
  | { shadow: false; reason: NoShadowReason };

/**
 * Whether to shadow one served request, and against what. Pure: the gateway calls it after the
 * answer went out, the shadow worker calls it again before spending anything.
 *
 * 1. Off unless the Route has `learning` with shadowRate > 0 and a judge.
 * 2. Sampled by the request id's hash (`sampleUnit(id) < shadowRate`), so every replica agrees.
 * 3. Only a tiered answer teaches anything: the other target is the first target of the other
 *    tier (Route order) that resolves, untiered targets never count as the other tier.
 * 4. Privacy first: on a private Route (`allowExternal: false`) or a strict request, neither the
 *    other target nor the judge may be a Provider model; an external one is skipped, and with
 *    none left nothing is shadowed (fail closed, never a closed call).
 * 5. The spend cap last: once today's shadow spend reached maxSpendPerDay, stop.
 */
export function decideShadow(input: ShadowInput): ShadowDecision {
  const { route, catalog, served } = input;
  const learning = route.spec.learning;
  if (!learning || learning.shadowRate <= 0) return { shadow: false, reason: 'off' };
  if (!learning.judge) return { shadow: false, reason: 'no-judge' };
  if (sampleUnit(input.requestId) >= learning.shadowRate)
    return { shadow: false, reason: 'not-sampled' };
  const servedTier = tierOf(route, served);
  if (!servedTier) return { shadow: false, reason: 'untiered' };
  const privateRoute = !route.spec.allowExternal || input.privacyStrict === true;
  const want: ComplexityTier = servedTier === 'simple' ? 'complex' : 'simple';
  const resolved = resolveTargets(catalog, route.metadata.name);
  const candidates =
    resolved.kind === 'route' ? resolved.targets.filter((t) => t.tier === want) : [];
  if (candidates.length === 0) return { shadow: false, reason: 'no-other-tier' };
  const other = candidates.find((t) => !privateRoute || t.kind === 'model');
  if (!other) return { shadow: false, reason: 'private' };
  const judge = resolveJudge(catalog, learning.judge);
  if (!judge) return { shadow: false, reason: 'no-judge' };
  if (privateRoute && judge.kind !== 'model') return { shadow: false, reason: 'private' };
  if (!withinShadowCap(input.spentTodayUSD, 0, learning.maxSpendPerDay))
    return { shadow: false, reason: 'cap' };
  return { shadow: true, servedTier, other, judge };
}

/**
 * True when spending `estimateUSD` more keeps today's shadow spend within the cap. A zero
 * estimate asks whether anything is left at all (the cap itself is not "within" once reached).
 */
export function withinShadowCap(spentUSD: number, estimateUSD: number, capUSD: number): boolean {
  if (estimateUSD <= 0) return spentUSD < capUSD;
  return spentUSD + estimateUSD <= capUSD;
}

/** The tier of the served target as the Route declares it (the Route's own target entry). */
export function tierOf(route: Route, served: Target): ComplexityTier | undefined {
  if (served.tier) return served.tier;
  const t = route.spec.targets.find((x) =>
    served.kind === 'provider'
      ? x.provider !== undefined && `${x.provider}/${x.model}` === served.name
      : x.provider === undefined && x.model === served.name,
  );
  return t?.tier;
}

/** The judge as a target: a Provider model, or a Model of the namespace. */
export function resolveJudge(catalog: RoutingCatalog, judge: RouteJudge): Target | undefined {
  if (judge.provider !== undefined) {
    const provider = catalog.provider(judge.provider);
    const providerModel = catalog.providerModel(judge.provider, judge.model);
    if (!provider || !providerModel) return undefined;
    return { kind: 'provider', name: `${judge.provider}/${judge.model}`, provider, providerModel };
  }
  const model = catalog.model(judge.model);
  return model ? { kind: 'model', name: model.metadata.name, model } : undefined;
}
