import { GatewayError } from '../errors/gateway-error.js';
import type { Principal } from '../proxy/principal.js';

/** Longest caller-supplied name echoed back in an error (the rest is cut, with an ellipsis). */
export const MAX_ECHOED_NAME = 64;

/** A caller-supplied name as an error message quotes it: at most MAX_ECHOED_NAME characters. */
export function echoName(name: string): string {
  return name.length <= MAX_ECHOED_NAME ? name : `${name.slice(0, MAX_ECHOED_NAME)}…`;
}

/**
 * The key's scope: a key with `routes` may use only those Routes, Models and provider/model
 * names. The one check for inference, jobs and batches (403 naming the field).
 */
export function checkScope(principal: Principal, target: string, param = 'model'): void {
  if (principal.allowedModels && !principal.allowedModels.includes(target))
    throw new GatewayError({
      status: 403,
      code: 'model_not_allowed',
      param,
      message: `this API key may not use model '${echoName(target)}'`,
    });
}
