/**
 * HTTP headers between bascule's own components (the worker and the gateway), named once: the
 * queue sets them on the requests it sends through the gateway, the gateway reads them.
 */

/**
 * The id of the key that submitted a queued job or batch. The gateway then admits the request
 * under that key (scope, budget) and bills it there. Only an admin key (the worker's) may send
 * it; on any other key it is a 403.
 */
export const ON_BEHALF_OF_HEADER = 'x-bascule-on-behalf-of';
/** `self-hosted`: a queued attempt before its deadline; never sent to a Provider. */
export const DEFERRED_HEADER = 'x-bascule-deferred';
/** `strict`: the request must not leave the cluster (shadow calls of private Routes). */
export const PRIVACY_HEADER = 'x-bascule-privacy';
/** `{ns}/{route}`: a shadow evaluation's call, metered under that Route's shadow usage. */
export const SHADOW_HEADER = 'x-bascule-shadow';
/** On responses: the target (Model name or provider/model) that served the request. */
export const TARGET_HEADER = 'x-bascule-target';
