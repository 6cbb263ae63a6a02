import type { Express } from 'express';
import type { ApiDeps } from '../api-deps.js';

/** /healthz (alive), /readyz (Kubernetes and Redis reachable), /metrics (Prometheus). */
export function healthRoutes(app: Express, deps: ApiDeps): void {
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', async (_req, res) => {
    const timeout = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref()),
      ]);
    const kubernetes = await timeout(deps.kube.core.getAPIResources()).then(
      () => 'ok',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    const redis = deps.redis
      ? await timeout(deps.redis.ping()).then(
          () => 'ok',
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        )
      : 'not configured';
    const ok = kubernetes === 'ok' && (redis === 'ok' || redis === 'not configured');
    res.status(ok ? 200 : 503).json({ ready: ok, checks: { kubernetes, redis } });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
}
