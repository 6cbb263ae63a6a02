import type { RoleName } from '../config/serve-config.js';
import { apiRole } from './api-role.js';
import { controllerRole } from './controller-role.js';
import { gatewayRole } from './gateway-role.js';
import type { RoleModule } from './role.js';
import { workerRole } from './worker-role.js';

/**
 * The roles this build provides, in start order. A role is one module: the gateway, api and
 * worker roles are added here as they are built.
 */
export const ROLE_MODULES: readonly RoleModule[] = [
  controllerRole,
  gatewayRole,
  apiRole,
  workerRole,
];

export function availableRoles(): RoleName[] {
  return ROLE_MODULES.map((r) => r.name);
}
