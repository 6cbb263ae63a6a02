import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import type { GpuCapacity } from '@bascule/controller';
import type {
  KeyAuthenticator,
  KeyPrincipal,
  KeyStore,
  LearningScorerFactory,
} from '@bascule/gateway';
import type { KubeClient } from '@bascule/kube';
import type { ComplexityScorer } from '@bascule/router';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** What the control API runs on (injected: tests pass kube-sim and a private redis-server). */
export interface ApiDeps {
  kube: KubeClient;
  /** Keys, limits and usage live here; without it only the bootstrap admin key works. */
  redis?: Redis;
  keys?: KeyStore;
  auth: Pick<KeyAuthenticator, 'verify'>;
  logger: Logger;
  registry: Registry;
  /** Namespace when a request names none. */
  namespace: string;
  /** The controller's GPU view when it runs in this process; otherwise computed from the API. */
  capacity?: () => GpuCapacity;
  /** Largest request body in bytes (default 1 MiB; apply takes up to 4 MiB). */
  maxBodyBytes?: number;
  /** The job and Batch API (/api/v1/jobs, /api/v1/dead-letter, /v1/files, /v1/batches), tenant-scoped by key. */
  queue?: { handle(req: IncomingMessage, res: ServerResponse): boolean };
  /** The Routes' online learner (feedback updates the weights through it). */
  learner?: LearningScorerFactory;
  /** The scorer of Routes with a fixed complexityThreshold (BASCULE_COMPLEXITY_SCORER; default heuristic). */
  complexityScorer?: ComplexityScorer;
  /** Redis key prefix (default `bsc:`). */
  prefix?: string;
  /** The dashboard's built assets (apps/dashboard/dist), served at /dashboard/; none when absent. */
  dashboardDir?: string;
  /** Where the dashboard links for longer history (Prometheus, or bascule's /metrics). */
  prometheusUrl?: string;
  /** Clock for the dashboard's windows (tests). */
  now?: () => number;
}

/** The authenticated caller of a request (set by the auth middleware). */
export function principalOf(res: Response): KeyPrincipal {
  return (res.locals as { principal: KeyPrincipal }).principal;
}

export function requestIdOf(res: Response): string {
  return String((res.locals as { requestId?: string }).requestId ?? '');
}
