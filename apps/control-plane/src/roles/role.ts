import type { RoleName } from '../config/serve-config.js';
import type { Services } from './services.js';

export type { InProcess, Services } from './services.js';

/** A started role. */
export interface RunningRole {
  /** True once the role can do its job (feeds /readyz). */
  ready(): boolean;
  /** Graceful stop: finish work in flight, release what is held. */
  stop(): Promise<void>;
}

/** One role of the binary: a module that starts (on the process's Services) and stops. */
export interface RoleModule {
  name: RoleName;
  start(services: Services): Promise<RunningRole>;
}
