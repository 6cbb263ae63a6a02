import type { V1Probe } from '@kubernetes/client-node';
import { ENGINE_PORT_NAME } from './model-labels.js';

/** Default time a replica gets to download and load its weights before it is restarted. */
export const DEFAULT_STARTUP_TIMEOUT_SECONDS = 3600;
const STARTUP_PERIOD_SECONDS = 10;

export interface EngineProbes {
  startupProbe: V1Probe;
  readinessProbe: V1Probe;
  livenessProbe: V1Probe;
}

/**
 * Probes on the engine's health path. The startup probe allows a whole model load (period 10 s,
 * enough failures to cover `startupTimeoutSeconds`); liveness only starts after it, and
 * restarts an engine that stopped answering for a minute; readiness takes a replica out of its
 * Service after 15 s of failures.
 */
export function renderProbes(
  healthPath: string,
  startupTimeoutSeconds = DEFAULT_STARTUP_TIMEOUT_SECONDS,
): EngineProbes {
  const httpGet = { path: healthPath, port: ENGINE_PORT_NAME, scheme: 'HTTP' };
  return {
    startupProbe: {
      httpGet,
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds: 5,
      failureThreshold: Math.max(1, Math.ceil(startupTimeoutSeconds / STARTUP_PERIOD_SECONDS)),
    },
    readinessProbe: {
      httpGet,
      periodSeconds: 5,
      timeoutSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    },
    livenessProbe: { httpGet, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
  };
}
