// The start most gateway scenarios share: a stack (kube-sim, redis-server, provider-sims), the
// scenario's Models and Routes applied with kubectl, then one `bascule-server` serving them
// (controller, gateway and API roles unless the scenario names others). Each scenario passes its
// own nodes, providers, documents and environment; what it waits for next stays in the scenario.
import { startStack, type Serve, type Stack, type StackOptions } from './stack.js';

export {
  hasKubectl,
  modelYaml,
  routeDoc,
  waitFor,
  type ModelView,
  type Serve,
  type Stack,
} from './stack.js';
export { llamaOnL4 } from '../../controller/support/controller-harness.js';

export interface ServedStackOptions extends StackOptions {
  /** Models, Routes and anything else to apply before the server starts. */
  docs: Parameters<Stack['apply']>[0];
  /** `bascule-server --roles` (default 'controller,gateway,api'). */
  roles?: string;
  /** The REST API's bootstrap admin key (BASCULE_ADMIN_KEY), when the scenario uses one. */
  adminKey?: string;
  /** Further environment of the server. */
  env?: NodeJS.ProcessEnv;
}

export interface ServedStack {
  stack: Stack;
  serve: Serve;
}

/** Starts the stack, applies `docs` and starts one server; closes the stack if any step fails. */
export async function startServedStack(options: ServedStackOptions): Promise<ServedStack> {
  const { docs, roles = 'controller,gateway,api', adminKey, env, ...stackOptions } = options;
  const stack = await startStack(stackOptions);
  try {
    await stack.apply(docs);
    const serve = await stack.serve({
      roles,
      env: { ...(adminKey === undefined ? {} : { BASCULE_ADMIN_KEY: adminKey }), ...env },
    });
    return { stack, serve };
  } catch (err) {
    await stack.close();
    throw err;
  }
}
