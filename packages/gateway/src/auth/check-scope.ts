import { echoName } from '@bascule/spec';
import { GatewayError } from '../errors/gateway-error.js';
import type { Principal } from '../proxy/principal.js';

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
