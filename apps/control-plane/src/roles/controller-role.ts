import { ModelController } from '@bascule/controller';
import type { RoleModule } from './role.js';
import { startAutoscaler } from './autoscaler-hook.js';

/** The `controller` role: reconciles Models into engine Deployments, holding the Lease. */
export const controllerRole: RoleModule = {
  name: 'controller',
  async start(context) {
    const { config, logger, registry, inProcess } = context;
    const client = context.kube();
    const controller = new ModelController({
      client,
      logger: logger.child({ role: 'controller' }),
      registry,
      ...(config.namespace ? { namespace: config.namespace } : {}),
      workers: config.workers,
      ...(context.tracer ? { tracer: context.tracer('controller') } : {}),
      render: {
        startupTimeoutSeconds: Math.round(config.startupTimeout / 1000),
        ...(config.gpuProfileTable ? { gpuProfiles: config.gpuProfileTable } : {}),
      },
      ...(config.leaderElect
        ? {
            leaderElection: {
              namespace: config.leaseNamespace ?? client.namespace,
              name: config.leaseName,
              identity: config.identity,
              leaseDurationMs: config.leaseDuration,
              renewDeadlineMs: config.renewDeadline,
              retryPeriodMs: config.retryPeriod,
            },
          }
        : {}),
    });
    await controller.start();
    inProcess.gpuCapacity = controller.capacity;
    const autoscaler = startAutoscaler(context, controller);
    return {
      ready: () => true,
      stop: () => autoscaler.stop().then(() => controller.stop()),
    };
  },
};
