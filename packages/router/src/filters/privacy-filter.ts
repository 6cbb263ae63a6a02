import type { TargetFilter } from './target-filter.js';

/**
 * Privacy first: a Route with allowExternal false, or a request with
 * `x-bascule-privacy: strict`, or one in which the Route's privacy.detect found a class whose
 * action is keep, never reaches a provider. A spent budget that says
 * self-hosted-only drops providers the same way.
 */
export const privacyFilter: TargetFilter = {
  name: 'privacy',
  check(target, { request, route }) {
    if (target.kind !== 'provider') return undefined;
    if (route && !route.spec.allowExternal) {
      return {
        code: 'privacy',
        message: `Route ${route.metadata.name} has allowExternal: false; ${target.name} is outside the cluster`,
      };
    }
    if (request.privacy?.action === 'keep') {
      return {
        code: 'privacy',
        message: `privacy.detect found ${request.privacy.classes.join(', ')} (action keep); ${target.name} is outside the cluster`,
      };
    }
    if (request.privacyStrict) {
      return {
        code: 'privacy',
        message: `x-bascule-privacy: strict; ${target.name} is outside the cluster`,
      };
    }
    if (request.deferred) {
      return {
        code: 'deferred',
        message: `queued work waits for self-hosted capacity until its deadline; ${target.name} is outside the cluster`,
      };
    }
    if (request.externalForbiddenByBudget) {
      return {
        code: 'budget',
        message: `${route ? `Route ${route.metadata.name}'s` : 'the'} closed-API budget is spent (onExceeded: self-hosted-only); ${target.name} is a paid API`,
      };
    }
    return undefined;
  },
};
