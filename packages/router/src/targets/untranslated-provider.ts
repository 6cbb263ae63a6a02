import type { RoutingCatalog } from '../catalog/routing-catalog.js';
import { resolveTargets } from './resolve-targets.js';

/**
 * Whether a request for `name` may carry fields only Providers of `providerType` honour (an
 * Anthropic Messages request with `thinking`, server tools or documents): true when every
 * target the name resolves to is a Provider of that type, so whatever the Route picks,
 * overflow included, takes the request untranslated, and when the Route does not inspect
 * requests for sensitive data (privacy.detect reads only what translation carries, and could
 * neither see nor redact those fields). A self-hosted Model, another provider type, or no
 * target at all makes it false.
 */
export function routesUntranslatedTo(
  catalog: RoutingCatalog,
  name: string,
  providerType: string,
): boolean {
  const r = resolveTargets(catalog, name);
  if (r.kind === 'unknown' || r.kind === 'model' || r.targets.length === 0) return false;
  if (r.kind === 'route') {
    const privacy = r.route.spec.privacy;
    if (privacy && (privacy.detect.length > 0 || (privacy.patterns?.length ?? 0) > 0)) return false;
  }
  return r.targets.every((t) => t.kind === 'provider' && t.provider.spec.type === providerType);
}
