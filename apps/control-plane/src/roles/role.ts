import type { KubeClient } from '@bascule/kube';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RoleName, ServeConfig } from '../config/serve-config.js';

/** What every role gets from `serve`: the config, a logger, the shared metrics registry. */
export interface RoleContext {
  config: ServeConfig;
  logger: Logger;
  registry: Registry;
  /** The Kubernetes client, created once for every role that needs one. */
  kube(): KubeClient;
  /** Shared between roles started in one process (e.g. the controller's GPU capacity view). */
  shared: Map<string, unknown>;
  /** The process's log stream (stdout): where the gateway's access log lines go too. */
  logStream: NodeJS.WritableStream;
  /** Only when tracing is on (OTEL_* variables): a Tracer for a component. */
  tracer?: (component: string) => Tracer;
}

/** A started role. */
export interface RunningRole {
  /** True once the role can do its job (feeds /readyz). */
  ready(): boolean;
  /** Graceful stop: finish work in flight, release what is held. */
  stop(): Promise<void>;
}

/** One role of the binary: a module that starts and stops. */
export interface RoleModule {
  name: RoleName;
  start(context: RoleContext): Promise<RunningRole>;
}
